//! What the human format shows of the sources: for each diagnostic, only the
//! lines its labels touch, each cut to a window around the label when the line
//! is long, with characters that could drive a terminal replaced by `?`.
//!
//! Building excerpts per diagnostic keeps the output proportional to the number
//! of findings, not to the size of the files (a minified 50 MB template is one
//! line), while line and column numbers stay those of the real file.

use std::collections::BTreeMap;
use std::ops::Range;

use codespan_reporting::files::{Error, Files, Location};

use super::is_unsafe_char;
use crate::diagnostic::Diagnostic;
use crate::source::{Sources, floor_char_boundary};

/// The most bytes of one source line shown.
pub const MAX_LINE_BYTES: usize = 240;
/// Bytes shown before a label's start on a long line.
const CONTEXT_BYTES: usize = 60;
/// Lines of a multi-line label shown in full (more are elided in the middle).
const MAX_LABEL_LINES: usize = 8;

/// The excerpts of one diagnostic, one per file it refers to.
pub struct Excerpts<'s> {
    sources: &'s Sources,
    files: Vec<Excerpt>,
}

/// The shown lines of one file.
struct Excerpt {
    /// The original file.
    file: usize,
    name: String,
    text: String,
    lines: Vec<ShownLine>,
}

/// One line of an excerpt and where it comes from.
struct ShownLine {
    /// Byte range of the line in the excerpt's text (without its `\n`).
    range: Range<usize>,
    /// The original byte offset of the first shown byte (after `prefix`).
    origin: usize,
    /// Bytes of the `…` marker before the original text.
    prefix: usize,
    /// 1-based line number in the original file (for a gap, the line after
    /// the previous one: codespan needs a positive number for every line).
    number: usize,
    /// An empty line standing for elided lines.
    gap: bool,
}

impl<'s> Excerpts<'s> {
    /// Builds the excerpts of `d` and returns it with spans remapped into them.
    pub fn build(sources: &'s Sources, d: &Diagnostic) -> (Excerpts<'s>, Diagnostic) {
        let labels: Vec<_> = std::iter::once(&d.primary).chain(&d.related).collect();
        // The original lines each file must show, with the byte window of each.
        let mut wanted: BTreeMap<usize, BTreeMap<usize, Range<usize>>> = BTreeMap::new();
        for label in &labels {
            let file = sources.get(label.span.file);
            let (start, end) = clamp(&file.text, label.span.range());
            let first = file.line_index(start as u32);
            let last = file.line_index(end as u32);
            let lines = wanted.entry(label.span.file).or_default();
            let mut shown: Vec<usize> = (first..=last).collect();
            if shown.len() > MAX_LABEL_LINES {
                let tail = shown.split_off(shown.len() - MAX_LABEL_LINES / 2);
                shown.truncate(MAX_LABEL_LINES / 2);
                shown.extend(tail);
            }
            for line in shown {
                let (line_start, line_end) = line_bounds(sources, label.span.file, line);
                let point = if line == first { start } else { line_start };
                let window = window(&file.text, line_start..line_end, point);
                // The first label on a line decides its window.
                lines.entry(line).or_insert(window);
            }
        }
        for (&file, lines) in wanted.iter_mut() {
            fill_one_line_gaps(sources, file, lines);
        }
        let mut files = Vec::new();
        let mut ids = BTreeMap::new();
        for (file, lines) in wanted {
            ids.insert(file, files.len());
            files.push(Excerpt::new(sources, file, &lines));
        }
        let excerpts = Excerpts { sources, files };
        let mut mapped = d.clone();
        for label in std::iter::once(&mut mapped.primary).chain(mapped.related.iter_mut()) {
            let id = ids[&label.span.file];
            let range = excerpts.files[id].map_range(sources, label.span.range());
            label.span = crate::source::Span::new(id, range.start as u32, range.end as u32);
        }
        (excerpts, mapped)
    }
}

/// Shows a single unlabelled line between two shown lines, as rustc and
/// codespan do: a `·` break would take as much room as the line itself.
fn fill_one_line_gaps(sources: &Sources, file: usize, lines: &mut BTreeMap<usize, Range<usize>>) {
    let gaps: Vec<usize> = lines
        .keys()
        .zip(lines.keys().skip(1))
        .filter(|&(&a, &b)| b == a + 2)
        .map(|(&a, _)| a + 1)
        .collect();
    let text = &sources.get(file).text;
    for line in gaps {
        let (start, end) = line_bounds(sources, file, line);
        lines.insert(line, window(text, start..end, start));
    }
}

/// Clamps a byte range to the text and to char boundaries.
fn clamp(text: &str, range: Range<usize>) -> (usize, usize) {
    let start = floor_char_boundary(text, range.start);
    let end = floor_char_boundary(text, range.end.max(start));
    (start, end)
}

/// The byte range of line `line` without its line ending.
fn line_bounds(sources: &Sources, file: usize, line: usize) -> (usize, usize) {
    let f = sources.get(file);
    let starts = f.line_starts();
    let start = starts[line] as usize;
    let end = starts.get(line + 1).map_or(f.text.len(), |&e| e as usize - 1);
    let end = if f.text[start..end].ends_with('\r') {
        end - 1
    } else {
        end
    };
    (start, end.max(start))
}

/// The part of `line` shown around byte `point`: all of it when short.
fn window(text: &str, line: Range<usize>, point: usize) -> Range<usize> {
    if line.end - line.start <= MAX_LINE_BYTES {
        return line;
    }
    let from = point.saturating_sub(CONTEXT_BYTES).max(line.start);
    let to = (from + MAX_LINE_BYTES).min(line.end);
    let from = to.saturating_sub(MAX_LINE_BYTES).max(line.start).min(from);
    floor_char_boundary(text, from)..floor_char_boundary(text, to)
}

impl Excerpt {
    fn new(sources: &Sources, file: usize, lines: &BTreeMap<usize, Range<usize>>) -> Excerpt {
        let source = sources.get(file);
        let mut text = String::new();
        let mut shown = Vec::new();
        let mut previous: Option<usize> = None;
        for (&line, window) in lines {
            if previous.is_some_and(|p| line > p + 1) {
                // Two empty lines make codespan draw a break between distant lines.
                for _ in 0..2 {
                    shown.push(ShownLine {
                        range: text.len()..text.len(),
                        origin: window.start,
                        prefix: 0,
                        number: previous.unwrap_or(0) + 2,
                        gap: true,
                    });
                    text.push('\n');
                }
            }
            let (line_start, line_end) = line_bounds(sources, file, line);
            let start = text.len();
            let prefix = if window.start > line_start { "…" } else { "" };
            text.push_str(prefix);
            push_safe(&mut text, &source.text[window.clone()]);
            if window.end < line_end {
                text.push('…');
            }
            shown.push(ShownLine {
                range: start..text.len(),
                origin: window.start,
                prefix: prefix.len(),
                number: line + 1,
                gap: false,
            });
            text.push('\n');
            previous = Some(line);
        }
        Excerpt {
            file,
            name: super::sanitize(&source.name).into_owned(),
            text,
            lines: shown,
        }
    }

    /// Maps an original byte range into the excerpt (clamped to the shown windows).
    fn map_range(&self, sources: &Sources, range: Range<usize>) -> Range<usize> {
        let source = sources.get(self.file);
        let (start, end) = clamp(&source.text, range);
        let map = |offset: usize| {
            let line = source.line_index(offset as u32) + 1;
            match self.lines.iter().find(|l| l.number == line && !l.gap) {
                Some(l) => {
                    let shown = l.range.end - l.range.start - l.prefix;
                    let shown = shown.saturating_sub(if self.text[l.range.clone()].ends_with('…') {
                        3
                    } else {
                        0
                    });
                    let within = offset.saturating_sub(l.origin).min(shown);
                    l.range.start + l.prefix + within
                }
                // A line elided from a long multi-line label: its last shown line's end.
                None => self
                    .lines
                    .iter()
                    .rfind(|l| !l.gap && l.number < line)
                    .map_or(0, |l| l.range.end),
            }
        };
        let s = map(start);
        s..map(end).max(s)
    }

    fn line_of(&self, byte: usize) -> usize {
        match self.lines.binary_search_by(|l| l.range.start.cmp(&byte)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }
}

/// Appends `s` with every character that could drive a terminal replaced by
/// `?` byte for byte (so offsets stay valid).
fn push_safe(out: &mut String, s: &str) {
    for c in s.chars() {
        if is_unsafe_char(c) && c != '\t' {
            out.extend(std::iter::repeat_n('?', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
}

impl<'a> Files<'a> for Excerpts<'_> {
    type FileId = usize;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: usize) -> Result<&'a str, Error> {
        self.files.get(id).map(|f| f.name.as_str()).ok_or(Error::FileMissing)
    }

    fn source(&'a self, id: usize) -> Result<&'a str, Error> {
        self.files.get(id).map(|f| f.text.as_str()).ok_or(Error::FileMissing)
    }

    fn line_index(&'a self, id: usize, byte_index: usize) -> Result<usize, Error> {
        Ok(self.files.get(id).ok_or(Error::FileMissing)?.line_of(byte_index))
    }

    fn line_range(&'a self, id: usize, line_index: usize) -> Result<Range<usize>, Error> {
        let file = self.files.get(id).ok_or(Error::FileMissing)?;
        let line = file.lines.get(line_index).ok_or(Error::LineTooLarge {
            given: line_index,
            max: file.lines.len().saturating_sub(1),
        })?;
        Ok(line.range.start..line.range.end + 1)
    }

    fn line_number(&'a self, id: usize, line_index: usize) -> Result<usize, Error> {
        let file = self.files.get(id).ok_or(Error::FileMissing)?;
        Ok(file.lines.get(line_index).map_or(1, |l| l.number.max(1)))
    }

    fn location(&'a self, id: usize, byte_index: usize) -> Result<Location, Error> {
        let file = self.files.get(id).ok_or(Error::FileMissing)?;
        let line = file.lines.get(file.line_of(byte_index)).ok_or(Error::FileMissing)?;
        let within = byte_index.saturating_sub(line.range.start + line.prefix);
        let source = self.sources.get(file.file);
        let original = floor_char_boundary(&source.text, line.origin + within);
        let position = source.position(original as u32);
        Ok(Location {
            line_number: position.line as usize,
            column_number: position.column as usize,
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::{Diagnostic, Label, Severity};
    use crate::source::{SourceFile, Sources, Span};
    use codespan_reporting::term::termcolor::Buffer;

    fn render(sources: &Sources, d: &Diagnostic) -> String {
        let mut buffer = Buffer::no_color();
        super::super::render_human(std::slice::from_ref(d), sources, &mut buffer).unwrap();
        String::from_utf8(buffer.into_inner()).unwrap()
    }

    #[test]
    fn multi_line_labels_distant_lines_and_long_lines() {
        let mut text: String = (1..=30).map(|i| format!("line {i}\n")).collect();
        let long_start = text.len();
        text.push_str(&format!("{}TARGET{}\n", "é".repeat(3000), "x".repeat(3000)));
        let start_of = |line: usize| text.match_indices('\n').nth(line - 2).map_or(0, |(i, _)| i + 1) as u32;
        let target = (long_start + text[long_start..].find("TARGET").unwrap()) as u32;
        let sources = Sources {
            files: vec![SourceFile::new("a.json".into(), text.clone())],
        };
        let d = Diagnostic::new(
            "LH1",
            Severity::Error,
            "m",
            Label::new(Span::new(0, start_of(3), start_of(25) + 4), "big"),
        )
        .with_related(Label::new(Span::new(0, start_of(28), start_of(28) + 4), "far"))
        .with_related(Label::new(Span::new(0, target, target + 6), "long"));
        let out = render(&sources, &d);
        assert!(out.contains("a.json:3:1"), "{out}");
        for shown in ["line 3", "line 25", "line 28", "TARGET"] {
            assert!(out.contains(shown), "{shown}: {out}");
        }
        assert!(!out.contains("line 14"), "the middle of a long label is elided: {out}");
        assert!(out.lines().all(|l| l.chars().count() < 400), "{out}");
        assert!(out.contains("31 │   …éé") && out.contains("xxx…\n"), "{out}");
    }

    #[test]
    fn spans_past_the_end_and_inside_chars_are_clamped() {
        let sources = Sources {
            files: vec![SourceFile::new("b.json".into(), "é\u{1b}x".into())],
        };
        let d = Diagnostic::new("LH1", Severity::Error, "m", Label::new(Span::new(0, 1, 99), "x"));
        let out = render(&sources, &d);
        assert!(out.contains("b.json:1:1"), "{out}");
        assert!(!out.contains('\u{1b}'), "{out}");
    }
}

//! Source files as read from disk, and the position arithmetic on them.

use std::ops::Range;
use std::sync::OnceLock;

/// Index of a file in the run's [`Sources`].
pub type FileId = usize;

/// A byte range inside one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: u32, end: u32) -> Self {
        Span { file, start, end }
    }

    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A 1-based line and column (the column counts Unicode scalar values).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// One input file: its display path and its text (BOM removed, invalid UTF-8 replaced).
#[derive(Debug)]
pub struct SourceFile {
    /// The path as the user gave it, with `/` separators.
    pub name: String,
    pub text: String,
    line_starts: OnceLock<Vec<u32>>,
    /// Number of chars before each [`CHAR_BLOCK`]-byte block (see [`SourceFile::chars_before`]).
    char_marks: OnceLock<Vec<u32>>,
}

/// Block size of the char-count checkpoints that keep column numbers cheap on long lines.
const CHAR_BLOCK: usize = 4096;

impl SourceFile {
    pub fn new(name: String, text: String) -> Self {
        SourceFile {
            name,
            text,
            line_starts: OnceLock::new(),
            char_marks: OnceLock::new(),
        }
    }

    /// The number of chars before byte `offset` (a char boundary), in time
    /// bounded by [`CHAR_BLOCK`] whatever the length of the line.
    pub fn chars_before(&self, offset: usize) -> usize {
        let marks = self.char_marks.get_or_init(|| {
            let mut marks = Vec::with_capacity(self.text.len() / CHAR_BLOCK + 1);
            let mut count = 0;
            let mut prev = 0;
            for k in 0..=self.text.len() / CHAR_BLOCK {
                let at = floor_char_boundary(&self.text, k * CHAR_BLOCK);
                count += self.text[prev..at].chars().count();
                marks.push(count as u32);
                prev = at;
            }
            marks
        });
        let k = offset / CHAR_BLOCK;
        let block_start = floor_char_boundary(&self.text, k * CHAR_BLOCK);
        marks[k] as usize + self.text[block_start..offset].chars().count()
    }

    /// Byte offsets at which each line starts.
    pub fn line_starts(&self) -> &[u32] {
        self.line_starts.get_or_init(|| {
            let mut starts = Vec::with_capacity(self.text.len() / 32 + 1);
            starts.push(0);
            starts.extend(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| i as u32 + 1));
            starts
        })
    }

    /// 0-based line index of byte `offset`.
    pub fn line_index(&self, offset: u32) -> usize {
        match self.line_starts().binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        }
    }

    /// The 1-based position of byte `offset` (clamped to the text).
    pub fn position(&self, offset: u32) -> Position {
        let offset = (offset as usize).min(self.text.len());
        let offset = floor_char_boundary(&self.text, offset) as u32;
        let line = self.line_index(offset);
        let start = self.line_starts()[line] as usize;
        let column = if offset as usize - start <= CHAR_BLOCK {
            // A usual line: count its characters up to the offset.
            self.text[start..offset as usize].chars().count()
        } else {
            // A long line (minified JSON): counted from the nearest block mark.
            self.chars_before(offset as usize) - self.chars_before(start)
        } as u32
            + 1;
        Position {
            line: line as u32 + 1,
            column,
        }
    }
}

/// The largest char boundary at or below `i`.
pub fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// All files of a run, addressable by [`FileId`]; implements codespan's `Files`.
#[derive(Debug, Default)]
pub struct Sources {
    pub files: Vec<SourceFile>,
}

impl Sources {
    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id]
    }
}

impl<'a> codespan_reporting::files::Files<'a> for Sources {
    type FileId = FileId;
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        self.files
            .get(id)
            .map(|f| f.name.as_str())
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, codespan_reporting::files::Error> {
        self.files
            .get(id)
            .map(|f| f.text.as_str())
            .ok_or(codespan_reporting::files::Error::FileMissing)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, codespan_reporting::files::Error> {
        let file = self
            .files
            .get(id)
            .ok_or(codespan_reporting::files::Error::FileMissing)?;
        Ok(file.line_index(byte_index.min(file.text.len()) as u32))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, codespan_reporting::files::Error> {
        let file = self
            .files
            .get(id)
            .ok_or(codespan_reporting::files::Error::FileMissing)?;
        let starts = file.line_starts();
        let start = *starts
            .get(line_index)
            .ok_or(codespan_reporting::files::Error::LineTooLarge {
                given: line_index,
                max: starts.len() - 1,
            })? as usize;
        let end = starts
            .get(line_index + 1)
            .map(|&e| e as usize)
            .unwrap_or(file.text.len());
        Ok(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::SourceFile;

    #[test]
    fn columns_count_chars_across_checkpoint_blocks() {
        let text = format!("é\n{}{}x", "a".repeat(5000), "€".repeat(3000));
        let file = SourceFile::new("t".into(), text.clone());
        for offset in [0, 2, 3, 4098, 4099, 4100, 5003, 5006, 9000, text.len() - 1, text.len()] {
            let offset = super::floor_char_boundary(&text, offset);
            let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
            let want = text[line_start..offset].chars().count() as u32 + 1;
            assert_eq!(file.position(offset as u32).column, want, "offset {offset}");
        }
    }
}

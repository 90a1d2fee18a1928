//! The comment form: `// lhlint-ignore LH042, LH031 until=2026-12-31 -- reason`
//! (the line below, or this line when code stands before the comment) and
//! `// lhlint-ignore-file LH031 -- reason` (the whole file); `/* */` works too.

use super::date::Date;
use super::{IdRef, Invalid, Scope, Suppression};
use crate::json::Document;
use crate::source::{FileId, SourceFile, Span};

/// The suppressions written in the comments of one file.
pub fn collect(file: FileId, doc: &Document, source: &SourceFile, out: &mut Vec<Suppression>, bad: &mut Vec<Invalid>) {
    let text = source.text.as_str();
    for &(start, end) in doc.comments() {
        let (start, end) = (start as usize, end as usize);
        let raw = &text[start..end];
        let (body_start, body_end) = if raw.starts_with("/*") {
            (start + 2, end.saturating_sub(2).max(start + 2))
        } else {
            (start + 2, end)
        };
        let body = &text[body_start..body_end];
        let lead = body.len() - body.trim_start_matches(|c: char| c.is_whitespace() || c == '*').len();
        let directive_start = body_start + lead;
        let rest = &text[directive_start..body_end];
        let (whole_file, after) = if let Some(r) = keyword(rest, "lhlint-ignore-file") {
            (true, r)
        } else if let Some(r) = keyword(rest, "lhlint-ignore") {
            (false, r)
        } else {
            continue;
        };
        let spec_start = body_end - after.len();
        let span = Span::new(file, start as u32, end as u32);
        let (spec, reason) = match after.find("--") {
            Some(i) => (&after[..i], Some(&after[i + 2..])),
            None => (after, None),
        };
        let reason = reason
            .map(|r| r.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|r| !r.is_empty());
        let mut ids = Vec::new();
        let mut until = None;
        let mut broken = false;
        for (offset, token) in tokens(spec) {
            let token_span = Span::new(
                file,
                (spec_start + offset) as u32,
                (spec_start + offset + token.len()) as u32,
            );
            if let Some(date) = token.strip_prefix("until=") {
                match Date::parse(date) {
                    Some(d) => until = Some((d, token_span)),
                    None => {
                        bad.push(Invalid {
                            span: token_span,
                            message: format!("invalid suppression: `{token}` is not a date (until=YYYY-MM-DD)"),
                        });
                        broken = true;
                    }
                }
            } else if is_id(token) {
                ids.push(IdRef {
                    id: token.to_ascii_uppercase(),
                    span: token_span,
                    used: false,
                });
            } else {
                bad.push(Invalid {
                    span: token_span,
                    message: format!("invalid suppression: `{token}` is not a rule id"),
                });
                broken = true;
            }
        }
        if broken {
            continue;
        }
        if ids.is_empty() {
            bad.push(Invalid {
                span,
                message: "invalid suppression: it names no rule (write the rule ids after `lhlint-ignore`)".into(),
            });
            continue;
        }
        let scope = if whole_file {
            Scope::File
        } else {
            Scope::Line(target_line(doc, source, start, end))
        };
        out.push(Suppression {
            file,
            scope,
            ids,
            reason,
            until,
            span,
            expired: false,
        });
    }
}

/// `rest` without the leading `word`, when `word` stands alone there.
fn keyword<'t>(rest: &'t str, word: &str) -> Option<&'t str> {
    let after = rest.strip_prefix(word)?;
    match after.chars().next() {
        None => Some(after),
        Some(':') => Some(&after[1..]),
        Some(c) if c.is_whitespace() => Some(after),
        Some(_) => None,
    }
}

/// Tokens separated by commas and whitespace, with their offsets.
fn tokens(spec: &str) -> impl Iterator<Item = (usize, &str)> {
    spec.split(|c: char| c == ',' || c.is_ascii_whitespace())
        .scan(0usize, |pos, token| {
            let offset = *pos;
            *pos += token.len() + 1;
            Some((offset, token))
        })
        .filter(|(_, t)| !t.is_empty())
}

fn is_id(token: &str) -> bool {
    let mut chars = token.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// The 0-based line a line suppression covers: its own line when code stands
/// before it there, else the line of the next code after it.
fn target_line(doc: &Document, source: &SourceFile, start: usize, end: usize) -> u32 {
    let text = source.text.as_bytes();
    let line = source.line_index(start as u32);
    let line_start = source.line_starts()[line] as usize;
    if text[line_start..start].iter().any(|b| !b.is_ascii_whitespace()) {
        return line as u32;
    }
    let mut pos = end;
    let comments = doc.comments();
    while pos < text.len() {
        if text[pos].is_ascii_whitespace() {
            pos += 1;
            continue;
        }
        match comments.binary_search_by_key(&(pos as u32), |c| c.0) {
            Ok(i) => pos = comments[i].1 as usize,
            Err(_) => break,
        }
    }
    source.line_index(pos.min(text.len()) as u32) as u32
}

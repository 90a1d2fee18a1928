//! Baselines: record the findings of today, then report only new ones.
//!
//! A finding is keyed by its rule, its file (relative to the baseline file's
//! directory), the JSON pointer of its primary node and a fingerprint of that
//! node's value (whitespace, comments and key order do not matter; for
//! objects and arrays only the type counts, so edits elsewhere inside them do
//! not invalidate the entry). Each key has a count, so a second finding of
//! the same rule at the same place is still reported.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};

use crate::config::pattern::normalize;
use crate::diagnostic::Diagnostic;
use crate::json::{Document, Kind, NodeId};
use crate::workspace::Workspace;

/// The version of the baseline file's shape.
pub const VERSION: u32 = 1;

/// A baseline file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub version: u32,
    #[serde(default)]
    pub tool: Option<String>,
    pub findings: Vec<Entry>,
}

/// One recorded key with how many findings it had.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub rule: String,
    pub file: String,
    pub pointer: String,
    pub fingerprint: String,
    pub count: usize,
    /// The message of the first finding, for people reading the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// What identifies a finding across edits.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub file: String,
    pub pointer: String,
    pub rule: String,
    pub fingerprint: String,
}

/// How a baseline matched this run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Findings hidden because the baseline has them.
    pub matched: usize,
    /// Baseline findings that no longer occur (the file can be pruned).
    pub unmatched: usize,
}

impl Baseline {
    /// Reads a baseline file; the error says what is wrong.
    pub fn read(path: &Path) -> Result<Baseline, String> {
        let text = std::fs::read_to_string(path).map_err(|e| crate::workspace::io_reason(&e))?;
        let baseline: Baseline = serde_json::from_str(&text).map_err(|e| format!("not a lhlint baseline: {e}"))?;
        if baseline.version != VERSION {
            return Err(format!(
                "baseline version {} is not supported (this lhlint writes version {VERSION})",
                baseline.version
            ));
        }
        Ok(baseline)
    }

    /// The baseline of `diagnostics`, with files relative to `base_dir`.
    pub fn of(ws: &Workspace, diagnostics: &[Diagnostic], base_dir: &Path) -> Baseline {
        let mut counts: BTreeMap<Key, (usize, String)> = BTreeMap::new();
        for d in diagnostics.iter().filter(|d| d.suppressed.is_none()) {
            let entry = counts
                .entry(key(ws, d, base_dir))
                .or_insert_with(|| (0, d.message.clone()));
            entry.0 += 1;
        }
        Baseline {
            version: VERSION,
            tool: Some(format!("lhlint {}", env!("CARGO_PKG_VERSION"))),
            findings: counts
                .into_iter()
                .map(|(k, (count, message))| Entry {
                    rule: k.rule,
                    file: k.file,
                    pointer: k.pointer,
                    fingerprint: k.fingerprint,
                    count,
                    message: Some(message),
                })
                .collect(),
        }
    }

    /// Writes the baseline as pretty JSON (creating its directory).
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let mut text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        text.push('\n');
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, text)
    }

    /// Removes the findings the baseline has from `diagnostics` (suppressed
    /// ones stay as they are), in order: the first `count` findings of a key match.
    pub fn filter(&self, ws: &Workspace, diagnostics: &mut Vec<Diagnostic>, base_dir: &Path) -> Stats {
        let mut remaining: BTreeMap<Key, usize> = BTreeMap::new();
        for e in &self.findings {
            let k = Key {
                file: e.file.clone(),
                pointer: e.pointer.clone(),
                rule: e.rule.clone(),
                fingerprint: e.fingerprint.clone(),
            };
            *remaining.entry(k).or_default() += e.count;
        }
        let mut stats = Stats::default();
        diagnostics.retain(|d| {
            if d.suppressed.is_some() {
                return true;
            }
            match remaining.get_mut(&key(ws, d, base_dir)) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    stats.matched += 1;
                    false
                }
                _ => true,
            }
        });
        stats.unmatched = remaining.values().sum();
        stats
    }
}

/// The key of a finding.
pub fn key(ws: &Workspace, d: &Diagnostic, base_dir: &Path) -> Key {
    let span = d.primary.span;
    let file = relative(base_dir, &normalize(&ws.inputs[span.file].path));
    let text = ws.text(span.file);
    let doc = ws.doc(span.file).filter(|doc| !doc.is_empty());
    let node = doc.and_then(|doc| match &d.pointer {
        Some(p) => doc.at_pointer(text, p),
        None => doc.node_at(span.start),
    });
    let (pointer, value) = match (doc, node) {
        (Some(doc), Some(node)) => {
            let pointer = d.pointer.clone().unwrap_or_else(|| doc.pointer(text, node));
            (pointer, canonical(doc, text, node))
        }
        _ => {
            let raw = text.get(span.range()).unwrap_or_default();
            (d.pointer.clone().unwrap_or_default(), raw.split_whitespace().collect())
        }
    };
    let digest = Sha1::digest(value.as_bytes());
    let mut fingerprint = String::with_capacity(16);
    crate::hex::push(&mut fingerprint, &digest[..8]);
    Key {
        file,
        pointer,
        rule: d.rule.clone(),
        fingerprint,
    }
}

/// A scalar as canonical JSON; a container as its type only.
fn canonical(doc: &Document, text: &str, node: NodeId) -> String {
    match doc.node(node).kind {
        Kind::String => serde_json::to_string(&doc.str(text, node).unwrap_or_default()).unwrap_or_default(),
        Kind::Number => doc.raw(text, node).to_string(),
        Kind::Bool(b) => b.to_string(),
        Kind::Null => "null".into(),
        Kind::Array => "array".into(),
        Kind::Object => "object".into(),
    }
}

/// `to` relative to directory `from` (both absolute, normalized), with `/`.
pub fn relative(from: &Path, to: &Path) -> String {
    let f: Vec<Component<'_>> = from.components().collect();
    let t: Vec<Component<'_>> = to.components().collect();
    let common = f.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = std::iter::repeat_n("..".to_string(), f.len() - common).collect();
    parts.extend(t[common..].iter().map(|c| c.as_os_str().to_string_lossy().into_owned()));
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::relative;
    use std::path::Path;

    #[test]
    fn relative_paths() {
        assert_eq!(relative(Path::new("/a/b"), Path::new("/a/b/c/d.json")), "c/d.json");
        assert_eq!(relative(Path::new("/a/b"), Path::new("/a/x.json")), "../x.json");
    }
}

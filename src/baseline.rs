//! Baselines: record the findings of today, then report only new ones.
//!
//! A finding is keyed by its rule, its file (relative to the baseline file's
//! directory), the JSON pointer of its primary node and a fingerprint of that
//! node's value (whitespace, comments and key order do not matter; for
//! objects and arrays only the type counts, so edits elsewhere inside them do
//! not invalidate the entry), and of the array element it is in (an
//! authorization, say). Each key has a count, so a second finding of the
//! same rule at the same place is still reported.
//!
//! Array indexes move when an element is inserted or removed before them, so
//! matching goes in passes, each over the findings no earlier pass matched:
//! the whole key; the key with any array index; the key without the element
//! (the element was edited elsewhere); both relaxations. A finding thus keeps
//! its baseline entry when its authorization moves, and an inserted
//! authorization's finding is the one reported.

use std::collections::BTreeMap;
use std::path::{Component, Path};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};

use crate::config::pattern::normalize;
use crate::diagnostic::Diagnostic;
use crate::json::{Document, Kind, NodeId};
use crate::workspace::{NodeRef, Workspace};

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
    /// Fingerprint of the array element holding the finding's node (empty
    /// when it is in none, and in baselines written before it was recorded).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub element: String,
    pub count: usize,
    /// The message of the first finding, for people reading the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

impl Entry {
    /// The key this entry records.
    fn key(&self) -> Key {
        Key {
            file: self.file.clone(),
            pointer: self.pointer.clone(),
            rule: self.rule.clone(),
            fingerprint: self.fingerprint.clone(),
            element: self.element.clone(),
        }
    }
}

/// What identifies a finding across edits.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Key {
    pub file: String,
    pub pointer: String,
    pub rule: String,
    pub fingerprint: String,
    pub element: String,
}

impl Key {
    /// The key as matching pass `pass` compares it (see the module docs).
    fn relaxed(mut self, pass: usize) -> Key {
        if pass % 2 == 1 {
            self.pointer = any_array_index(&self.pointer);
        }
        if pass >= 2 {
            self.element.clear();
        }
        self
    }
}

/// The matching passes: whole key, any index, any element, both.
const PASSES: usize = 4;

/// `pointer` with each all-digit segment (an array index) replaced by `*`.
fn any_array_index(pointer: &str) -> String {
    pointer
        .split('/')
        .map(|segment| {
            if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
                "*"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
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
        for (k, d) in keys(ws, diagnostics, base_dir).into_iter().zip(diagnostics) {
            if let Some(k) = k {
                counts.entry(k).or_insert_with(|| (0, d.message.clone())).0 += 1;
            }
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
                    element: k.element,
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
    /// ones stay as they are), in order: in each pass (see the module docs),
    /// the first findings of a key take the entries' remaining counts.
    pub fn filter(&self, ws: &Workspace, diagnostics: &mut Vec<Diagnostic>, base_dir: &Path) -> Stats {
        let mut remaining: Vec<usize> = self.findings.iter().map(|e| e.count).collect();
        let keys = keys(ws, diagnostics, base_dir);
        let mut matched = vec![false; diagnostics.len()];
        for pass in 0..PASSES {
            let mut entries: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
            for (i, e) in self.findings.iter().enumerate() {
                // An entry without an element fingerprint matches only where elements do not count.
                if remaining[i] > 0 && (pass >= 2 || !e.element.is_empty()) {
                    entries.entry(e.key().relaxed(pass)).or_default().push(i);
                }
            }
            for (d, k) in keys.iter().enumerate() {
                let Some(k) = k.as_ref().filter(|_| !matched[d]) else {
                    continue;
                };
                let candidates = entries
                    .get(&k.clone().relaxed(pass))
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                if let Some(&i) = candidates.iter().find(|&&i| remaining[i] > 0) {
                    remaining[i] -= 1;
                    matched[d] = true;
                }
            }
        }
        let mut matched_flags = matched.iter();
        diagnostics.retain(|_| !matched_flags.next().copied().unwrap_or(false));
        Stats {
            matched: matched.iter().filter(|&&m| m).count(),
            unmatched: remaining.iter().sum(),
        }
    }
}

/// The keys of `diagnostics` (`None` for suppressed ones), computed in
/// parallel. Each array element is fingerprinted once, however many findings
/// it holds (a nested deployment can hold every authorization of a template).
fn keys(ws: &Workspace, diagnostics: &[Diagnostic], base_dir: &Path) -> Vec<Option<Key>> {
    let partial: Vec<Option<(Key, Option<NodeRef>)>> = diagnostics
        .par_iter()
        .map(|d| d.suppressed.is_none().then(|| key_without_element(ws, d, base_dir)))
        .collect();
    let mut elements: Vec<NodeRef> = partial.iter().flatten().filter_map(|(_, e)| *e).collect();
    elements.sort_unstable();
    elements.dedup();
    let prints: Vec<String> = elements
        .par_iter()
        .map(|&e| {
            let doc = ws.doc_of(e);
            fingerprint(&crate::rules::to_value(doc, ws.text(e.file), e.node).to_string())
        })
        .collect();
    partial
        .into_iter()
        .map(|p| {
            p.map(|(mut key, element)| {
                if let Some(i) = element.and_then(|e| elements.binary_search(&e).ok()) {
                    key.element = prints[i].clone();
                }
                key
            })
        })
        .collect()
}

/// The key of a finding, but for its element's fingerprint, and the array
/// element holding its node.
fn key_without_element(ws: &Workspace, d: &Diagnostic, base_dir: &Path) -> (Key, Option<NodeRef>) {
    let span = d.primary.span;
    let file = relative(base_dir, &normalize(&ws.inputs[span.file].path));
    let text = ws.text(span.file);
    let doc = ws.doc(span.file).filter(|doc| !doc.is_empty());
    let node = doc.and_then(|doc| match &d.pointer {
        Some(p) => doc.at_pointer(text, p),
        None => doc.node_at(span.start),
    });
    let (pointer, value, element) = match (doc, node) {
        (Some(doc), Some(node)) => {
            let pointer = d.pointer.clone().unwrap_or_else(|| doc.pointer(text, node));
            let element = array_element(doc, node).map(|e| NodeRef {
                file: span.file,
                node: e,
            });
            (pointer, canonical(doc, text, node), element)
        }
        _ => {
            let raw = text.get(span.range()).unwrap_or_default();
            (
                d.pointer.clone().unwrap_or_default(),
                raw.split_whitespace().collect(),
                None,
            )
        }
    };
    let key = Key {
        file,
        pointer,
        rule: d.rule.clone(),
        fingerprint: fingerprint(&value),
        element: String::new(),
    };
    (key, element)
}

/// 16 hex digits of the SHA-1 of `text`.
fn fingerprint(text: &str) -> String {
    let digest = Sha1::digest(text.as_bytes());
    let mut hex = String::with_capacity(16);
    crate::hex::push(&mut hex, &digest[..8]);
    hex
}

/// The nearest array element at or above `node`.
fn array_element(doc: &Document, node: NodeId) -> Option<NodeId> {
    doc.ancestors(node)
        .find(|&n| n != Document::ROOT && doc.node(doc.node(n).parent).kind == Kind::Array)
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
    use super::{any_array_index, relative};

    #[test]
    fn array_indexes_become_wildcards() {
        assert_eq!(
            any_array_index("/parameters/authorizations/value/12/delegatedRoleDefinitionIds/0"),
            "/parameters/authorizations/value/*/delegatedRoleDefinitionIds/*"
        );
        assert_eq!(any_array_index("/a/1b/"), "/a/1b/");
    }
    use std::path::Path;

    #[test]
    fn relative_paths() {
        assert_eq!(relative(Path::new("/a/b"), Path::new("/a/b/c/d.json")), "c/d.json");
        assert_eq!(relative(Path::new("/a/b"), Path::new("/a/x.json")), "../x.json");
    }
}

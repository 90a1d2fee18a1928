//! The metadata form, for files that tools rewrite without comments:
//! `"metadata": {"lhlint-ignore": {"LH042": "reason"}}` on an object (a
//! resource, a parameter, the template, an authorization…) covers the findings
//! inside that object, and those whose value was used inside it. An entry may
//! also be `{"reason": "…", "until": "YYYY-MM-DD"}`.

use super::date::Date;
use super::{IdRef, Invalid, Scope, Suppression};
use crate::json::{Document, Kind, NONE, NodeId};
use crate::source::{FileId, Span};

/// The suppressions written in `metadata` objects of one file.
pub fn collect(file: FileId, doc: &Document, text: &str, out: &mut Vec<Suppression>, bad: &mut Vec<Invalid>) {
    for id in 0..doc.len() as NodeId {
        let node = doc.node(id);
        if node.kind != Kind::Object || node.parent == NONE || !doc.key_eq(text, id, "metadata") {
            continue;
        }
        let Some(table) = doc.get(text, id, "lhlint-ignore") else {
            continue;
        };
        let owner = doc.node(node.parent);
        let scope = Scope::Node {
            start: owner.start,
            end: owner.end,
        };
        let t = doc.node(table);
        if t.kind != Kind::Object {
            bad.push(Invalid {
                span: Span::new(file, t.start, t.end),
                message: "invalid suppression: `lhlint-ignore` must be an object of rule id → reason".into(),
            });
            continue;
        }
        for entry in doc.children(table) {
            if let Some(s) = entry_suppression(file, doc, text, entry, scope, bad) {
                out.push(s);
            }
        }
    }
}

fn entry_suppression(
    file: FileId,
    doc: &Document,
    text: &str,
    entry: NodeId,
    scope: Scope,
    bad: &mut Vec<Invalid>,
) -> Option<Suppression> {
    let n = doc.node(entry);
    let key_span = Span::new(file, n.key_start, n.key_end);
    let id = doc.key(text, entry)?.trim().to_ascii_uppercase();
    let string = |node: NodeId| doc.str(text, node).map(|s| s.trim().to_string());
    let (reason, until) = match n.kind {
        Kind::String => (string(entry), None),
        Kind::Object => {
            for member in doc.children(entry) {
                let known = ["reason", "until"].iter().any(|k| doc.key_eq(text, member, k));
                if !known {
                    let m = doc.node(member);
                    bad.push(Invalid {
                        span: Span::new(file, m.key_start, m.key_end),
                        message: "invalid suppression: expected only `reason` and `until` here".into(),
                    });
                    return None;
                }
            }
            let reason = doc.get(text, entry, "reason").and_then(string);
            let until = match doc.get(text, entry, "until") {
                None => None,
                Some(u) => {
                    let un = doc.node(u);
                    let span = Span::new(file, un.start, un.end);
                    match string(u).as_deref().and_then(Date::parse) {
                        Some(d) => Some((d, span)),
                        None => {
                            bad.push(Invalid {
                                span,
                                message: "invalid suppression: `until` must be a date \"YYYY-MM-DD\"".into(),
                            });
                            return None;
                        }
                    }
                }
            };
            (reason, until)
        }
        _ => {
            bad.push(Invalid {
                span: Span::new(file, n.start, n.end),
                message: "invalid suppression: expected the reason as a string, or {\"reason\", \"until\"}".into(),
            });
            return None;
        }
    };
    Some(Suppression {
        file,
        scope,
        ids: vec![IdRef {
            id,
            span: key_span,
            used: false,
        }],
        reason: reason.filter(|r| !r.is_empty()),
        until,
        span: Span::new(file, n.key_start, n.end),
        expired: false,
    })
}

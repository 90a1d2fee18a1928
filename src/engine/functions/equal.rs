//! Structural equality of two effective values (expressions followed).

use crate::effective::{Resolved, View};
use crate::json::Kind;
use crate::workspace::NodeRef;

/// Nesting deeper than this is not compared (the value is unknown).
const MAX_DEPTH: usize = 64;

/// How values are compared.
#[derive(Clone, Copy, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct Compare {
    /// Strings ignoring ASCII case.
    pub case_insensitive: bool,
    /// Arrays as multisets: the same elements in any order.
    pub ignore_order: bool,
}

/// Whether `a` and `b` hold the same JSON value: object members in any order
/// (names compared ignoring ASCII case, as ARM does), array elements in order
/// (or in any order), strings exactly (or ignoring ASCII case), numbers by
/// value. `None` when a value on the way is unknown.
pub fn same_value(view: &View<'_>, a: NodeRef, b: NodeRef, how: Compare) -> Option<bool> {
    same(view, a, b, how, 0)
}

fn same(view: &View<'_>, a: NodeRef, b: NodeRef, how: Compare, depth: usize) -> Option<bool> {
    if depth > MAX_DEPTH {
        return None;
    }
    let (da, db) = (view.doc_of(a), view.doc_of(b));
    let (ka, kb) = (da.node(a.node).kind, db.node(b.node).kind);
    match (ka, kb) {
        (Kind::Null, Kind::Null) => Some(true),
        (Kind::Bool(x), Kind::Bool(y)) => Some(x == y),
        (Kind::Number, Kind::Number) => {
            let x = da.raw(view.text(a.file), a.node);
            let y = db.raw(view.text(b.file), b.node);
            Some(x == y || matches!((x.parse::<f64>(), y.parse::<f64>()), (Ok(p), Ok(q)) if p == q))
        }
        (Kind::String, Kind::String) => {
            let (x, y) = (view.str(a)?, view.str(b)?);
            Some(if how.case_insensitive {
                x.eq_ignore_ascii_case(&y)
            } else {
                x == y
            })
        }
        (Kind::Array, Kind::Array) => {
            if da.node(a.node).len != db.node(b.node).len {
                return Some(false);
            }
            let xs: Vec<NodeRef> = da
                .children(a.node)
                .map(|x| resolve(view, NodeRef { file: a.file, node: x }))
                .collect::<Option<_>>()?;
            let ys: Vec<NodeRef> = db
                .children(b.node)
                .map(|y| resolve(view, NodeRef { file: b.file, node: y }))
                .collect::<Option<_>>()?;
            if !how.ignore_order {
                for (x, y) in xs.iter().zip(&ys) {
                    if !same(view, *x, *y, how, depth + 1)? {
                        return Some(false);
                    }
                }
                return Some(true);
            }
            let mut used = vec![false; ys.len()];
            for x in &xs {
                let mut matched = false;
                for (i, y) in ys.iter().enumerate() {
                    if !used[i] && same(view, *x, *y, how, depth + 1)? {
                        used[i] = true;
                        matched = true;
                        break;
                    }
                }
                if !matched {
                    return Some(false);
                }
            }
            Some(true)
        }
        (Kind::Object, Kind::Object) => {
            let text_a = view.text(a.file);
            let names = |r: NodeRef| -> Vec<String> {
                let d = view.doc_of(r);
                let text = view.text(r.file);
                let mut n: Vec<String> = d
                    .children(r.node)
                    .filter_map(|c| d.key(text, c).map(|k| k.to_ascii_lowercase()))
                    .collect();
                n.sort();
                n.dedup();
                n
            };
            if names(a) != names(b) {
                return Some(false);
            }
            for child in da.children(a.node) {
                let Some(name) = da.key(text_a, child) else { continue };
                let mut scratch = Vec::new();
                let x = view.member(a, &name, &mut scratch)?.node()?;
                let y = view.member(b, &name, &mut scratch)?.node()?;
                if !same(view, x, y, how, depth + 1)? {
                    return Some(false);
                }
            }
            Some(true)
        }
        _ => Some(false),
    }
}

fn resolve(view: &View<'_>, r: NodeRef) -> Option<NodeRef> {
    let mut scratch = Vec::new();
    match view.resolve(r, &mut scratch) {
        Resolved::Node(n) => Some(n),
        Resolved::Unknown => None,
    }
}

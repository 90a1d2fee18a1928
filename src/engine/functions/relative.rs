//! Relative selectors: JSONPath written from the checked node (`@.a[*]`), or
//! aliases of such paths whose steps depend on the kind of file.
//!
//! They let one check look at several arrays below the node it checks, for
//! example at both the permanent and the eligible authorizations of one
//! registration definition, whatever file they are written in.

use crate::diagnostic::Label;
use crate::effective::{Resolved, View};
use crate::engine::selector::{self, Step};
use crate::engine::trie::eval_pred;
use crate::json::Kind;
use crate::workspace::{FileKind, NodeRef};

/// Deeper descendant walks stop here (the parser bounds nesting; this bounds hops).
const MAX_DEPTH: usize = 256;

/// Compiled relative selectors, per kind of file.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Relative {
    /// As written in the rule, for messages.
    pub text: String,
    paths: Vec<(FileKind, Vec<Step>)>,
}

impl Relative {
    /// Compiles `(kind, "@…")` pairs (aliases already expanded).
    pub fn compile(text: &str, paths: &[(FileKind, String)]) -> Result<Relative, String> {
        let mut compiled = Vec::new();
        for (kind, path) in paths {
            let Some(rest) = path.strip_prefix('@') else {
                return Err(format!(
                    "`{path}` is not relative: paths here start with `@`, the checked node"
                ));
            };
            compiled.push((*kind, selector::compile(&format!("${rest}"))?));
        }
        Ok(Relative {
            text: text.to_string(),
            paths: compiled,
        })
    }

    /// The nodes selected from `from` in files of `view.match_kind()`, in path order;
    /// `None` when a value on the way is unknown. A missing member selects nothing.
    pub fn select(&self, view: &View<'_>, from: NodeRef) -> Option<Vec<NodeRef>> {
        Some(self.select_with_uses(view, from)?.into_iter().map(|(n, _)| n).collect())
    }

    /// Like [`Relative::select`], with the places that used each value on the
    /// way (`[parameters('…')]` expressions), for related labels.
    pub fn select_with_uses(&self, view: &View<'_>, from: NodeRef) -> Option<Vec<(NodeRef, Vec<Label>)>> {
        let mut out: Vec<(NodeRef, Vec<Label>)> = Vec::new();
        // Distinct nodes, found by set: a selection can be 100,000 elements.
        let mut seen: foldhash::HashSet<NodeRef> = foldhash::HashSet::default();
        for (kind, steps) in &self.paths {
            if *kind != view.match_kind() {
                continue;
            }
            let mut current = vec![(from, Vec::new())];
            for step in steps {
                let mut next = Vec::new();
                for (node, via) in current {
                    apply(view, node, &via, step, &mut next, 0)?;
                }
                current = next;
            }
            for (node, via) in current {
                if seen.insert(node) {
                    out.push((node, via));
                }
            }
        }
        Some(out)
    }
}

type Selected = Vec<(NodeRef, Vec<Label>)>;

/// Appends the nodes `step` selects from `node`; `None` when one is unknown.
fn apply(view: &View<'_>, node: NodeRef, via: &[Label], step: &Step, out: &mut Selected, depth: usize) -> Option<()> {
    let doc = view.doc_of(node);
    let kind = doc.node(node.node).kind;
    match step {
        Step::Name(name) => {
            let mut uses = via.to_vec();
            if let Some(r) = view.member(node, name, &mut uses) {
                out.push((r.node()?, uses));
            }
        }
        Step::Index(i) => {
            if kind == Kind::Array {
                let len = doc.node(node.node).len as i64;
                let index = if *i < 0 { len + i } else { *i };
                if let Some(child) = usize::try_from(index).ok().and_then(|n| doc.element(node.node, n)) {
                    out.push(resolve(view, node, child, via)?);
                }
            }
        }
        Step::Wildcard => {
            if matches!(kind, Kind::Array | Kind::Object) {
                for child in doc.children(node.node) {
                    out.push(resolve(view, node, child, via)?);
                }
            }
        }
        Step::Filter(pred) => {
            if matches!(kind, Kind::Array | Kind::Object) {
                for child in doc.children(node.node) {
                    let (r, uses) = resolve(view, node, child, via)?;
                    if eval_pred(pred, view, r)? {
                        out.push((r, uses));
                    }
                }
            }
        }
        Step::Descendant(inner) => {
            if depth >= MAX_DEPTH || !matches!(kind, Kind::Array | Kind::Object) {
                return Some(());
            }
            apply(view, node, via, inner, out, depth + 1)?;
            for child in doc.children(node.node) {
                let (r, uses) = resolve(view, node, child, via)?;
                apply(view, r, &uses, step, out, depth + 1)?;
            }
        }
    }
    Some(())
}

fn resolve(view: &View<'_>, parent: NodeRef, child: u32, via: &[Label]) -> Option<(NodeRef, Vec<Label>)> {
    let mut uses = via.to_vec();
    match view.resolve(
        NodeRef {
            file: parent.file,
            node: child,
        },
        &mut uses,
    ) {
        Resolved::Node(r) => Some((r, uses)),
        Resolved::Unknown => None,
    }
}

/// The nodes a check iterates over, with the places that used them: those
/// `items` selects from `target`, or else the elements of the array `target`
/// (none for a non-array). `None` when one is unknown.
pub fn items_of(view: &View<'_>, target: NodeRef, items: Option<&Relative>) -> Option<Selected> {
    match items {
        Some(rel) => rel.select_with_uses(view, target),
        None => {
            if view.doc_of(target).node(target.node).kind != Kind::Array {
                return Some(Vec::new());
            }
            crate::engine::checks::elements(view, target)
                .map(|e| e.map(|n| (n, Vec::new())))
                .collect()
        }
    }
}

/// The scalar values of `fields` below `node` (lower-cased when
/// `case_insensitive`); `None` when one is missing, unknown or not a scalar.
pub fn key_of(
    view: &View<'_>,
    node: NodeRef,
    fields: &[crate::engine::checks::Field],
    case_insensitive: bool,
) -> Option<Vec<String>> {
    use crate::engine::checks::{Nav, navigate, scalar_text};
    let mut key = Vec::with_capacity(fields.len());
    for field in fields {
        let Nav::Found(r) = navigate(view, node, Some(field)) else {
            return None;
        };
        let v = scalar_text(view, r)?;
        key.push(if case_insensitive { v.to_ascii_lowercase() } else { v });
    }
    Some(key)
}

//! All rules' selectors in one prefix trie, evaluated in one pruned walk per file.
//!
//! The walk carries the set of trie states that are still alive; a subtree no
//! state reaches is never visited. Values written as ARM expressions are
//! followed through the [`View`] as the walk goes, so selectors see the
//! effective deployment, and each hit remembers where its value was used.

use std::sync::Arc;

use smallvec::SmallVec;

use super::selector::{Lit, PathSeg, Pred, Step};
use crate::diagnostic::Label;
use crate::effective::{CopyInstance, Resolved, View};
use crate::json::{Document, Kind};
use crate::workspace::NodeRef;

/// Walks deeper than this stop (the parser bounds nesting; this bounds hops across files).
const MAX_WALK_DEPTH: usize = 1100;

#[derive(Debug, Default)]
struct TrieNode {
    edges: Vec<(Step, u32)>,
    descendant_edges: Vec<(Step, u32)>,
    /// Rules whose selector ends here.
    terminals: Vec<u32>,
}

/// The compiled selectors of every active rule, for one kind of file.
#[derive(Debug)]
pub struct Trie {
    nodes: Vec<TrieNode>,
}

impl Default for Trie {
    fn default() -> Self {
        Trie {
            nodes: vec![TrieNode::default()],
        }
    }
}

/// A node that a rule's selector matched.
#[derive(Clone, Debug)]
pub struct Hit {
    /// Index of the rule in the rule set.
    pub rule: u32,
    /// The matched node, after following expressions.
    pub node: NodeRef,
    /// The places that used the value on the way to it (shared by the hits
    /// found along the same path).
    pub via: Arc<[Label]>,
    /// The copy-loop instance the match belongs to.
    pub copy: Option<CopyInstance>,
}

type States = SmallVec<[(u32, bool); 8]>;

/// The mutable state of one walk.
struct Walk<'h> {
    via: Vec<Label>,
    /// `via` as shared by hits, while it is unchanged.
    via_shared: Option<Arc<[Label]>>,
    hits: &'h mut Vec<Hit>,
    unknown: Option<&'h mut Vec<u32>>,
    /// Values entered through expressions on the current path.
    jumps: Vec<NodeRef>,
}

/// A child being visited, and its place in its parent.
struct Place<'d> {
    doc: &'d Document,
    text: &'d str,
    parent_kind: Kind,
    child: u32,
    index: i64,
    len: i64,
    file: usize,
}

impl Trie {
    /// Adds a compiled selector whose matches belong to `rule`.
    pub fn insert(&mut self, steps: &[Step], rule: u32) {
        let mut cur = 0usize;
        for step in steps {
            let (edges_of, wanted) = match step {
                Step::Descendant(inner) => (true, inner.as_ref()),
                other => (false, other),
            };
            let existing = {
                let node = &self.nodes[cur];
                let edges = if edges_of { &node.descendant_edges } else { &node.edges };
                edges.iter().find(|(s, _)| s == wanted).map(|(_, t)| *t)
            };
            cur = match existing {
                Some(t) => t as usize,
                None => {
                    let t = self.nodes.len();
                    self.nodes.push(TrieNode::default());
                    let node = &mut self.nodes[cur];
                    let edges = if edges_of {
                        &mut node.descendant_edges
                    } else {
                        &mut node.edges
                    };
                    edges.push((wanted.clone(), t as u32));
                    t
                }
            };
        }
        if !self.nodes[cur].terminals.contains(&rule) {
            self.nodes[cur].terminals.push(rule);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.len() == 1 && self.nodes[0].terminals.is_empty()
    }

    /// Walks the tree below `root` and appends every selector match to `hits`.
    pub fn walk(&self, view: &View<'_>, root: NodeRef, hits: &mut Vec<Hit>) {
        self.walk_inner(view, root, hits, None);
    }

    /// Like [`Trie::walk`]; also returns the selectors (their terminal ids) a
    /// step of which matched a value lhlint cannot evaluate, so that a missing
    /// match may exist after deployment.
    pub fn walk_noting_unknown(&self, view: &View<'_>, root: NodeRef, hits: &mut Vec<Hit>) -> Vec<u32> {
        let mut unknown = Vec::new();
        self.walk_inner(view, root, hits, Some(&mut unknown));
        unknown.sort_unstable();
        unknown.dedup();
        unknown
    }

    fn walk_inner(&self, view: &View<'_>, root: NodeRef, hits: &mut Vec<Hit>, unknown: Option<&mut Vec<u32>>) {
        if self.is_empty() {
            return;
        }
        let mut via = Vec::new();
        let Resolved::Node(root) = view.resolve(root, &mut via) else {
            if let Some(u) = unknown {
                self.terminals_below(0, u);
            }
            return;
        };
        for &rule in &self.nodes[0].terminals {
            hits.push(Hit {
                rule,
                node: root,
                via: via.as_slice().into(),
                copy: None,
            });
        }
        let states: States = SmallVec::from_slice(&[(0, false)]);
        let mut walk = Walk {
            via,
            via_shared: None,
            hits,
            unknown,
            jumps: Vec::new(),
        };
        self.visit(view, root, &states, &mut walk, 0);
    }

    /// Appends the terminals of trie node `state` and of every node below it.
    fn terminals_below(&self, state: u32, out: &mut Vec<u32>) {
        let mut stack = vec![state];
        let mut seen = vec![false; self.nodes.len()];
        while let Some(s) = stack.pop() {
            if std::mem::replace(&mut seen[s as usize], true) {
                continue;
            }
            let node = &self.nodes[s as usize];
            out.extend(&node.terminals);
            stack.extend(node.edges.iter().chain(&node.descendant_edges).map(|(_, t)| *t));
        }
    }

    fn visit(&self, view: &View<'_>, at: NodeRef, states: &States, walk: &mut Walk<'_>, depth: usize) {
        if depth >= MAX_WALK_DEPTH {
            return;
        }
        crate::stack::guard(|| self.visit_unguarded(view, at, states, walk, depth));
    }

    fn visit_unguarded(&self, view: &View<'_>, at: NodeRef, states: &States, walk: &mut Walk<'_>, depth: usize) {
        let doc = view.doc_of(at);
        let parent = doc.node(at.node);
        if !matches!(parent.kind, Kind::Array | Kind::Object) {
            return;
        }
        let text = view.text(at.file);
        let len = parent.len as i64;
        let in_resources = parent.kind == Kind::Array && doc.key_eq(text, at.node, "resources");
        for (index, child) in doc.children(at.node).enumerate() {
            let child_ref = NodeRef {
                file: at.file,
                node: child,
            };
            let place = Place {
                doc,
                text,
                parent_kind: parent.kind,
                child,
                index: index as i64,
                len,
                file: at.file,
            };
            let copy = if in_resources {
                view.get(child_ref, "copy")
            } else {
                None
            };
            match copy.filter(|c| view.kind(*c) == Kind::Object) {
                // A resource copy loop: each instance is linted with its index.
                // Once the unit's budget of instances is spent, the rest is linted
                // once, with an unknown index.
                Some(copy) => {
                    let count = view.copy_count(copy).unwrap_or(1).max(0);
                    let granted = view.grant_copy_instances(count);
                    let instances = (0..granted).map(Some).chain((granted < count).then_some(None));
                    for i in instances {
                        let previous = view.set_copy_instance(i.map(|index| CopyInstance { copy, index }));
                        self.visit_child(view, &place, states, walk, depth);
                        view.set_copy_instance(previous);
                    }
                }
                None => self.visit_child(view, &place, states, walk, depth),
            }
        }
    }

    fn visit_child(&self, view: &View<'_>, place: &Place<'_>, states: &States, walk: &mut Walk<'_>, depth: usize) {
        let mark = walk.via.len();
        let child_ref = NodeRef {
            file: place.file,
            node: place.child,
        };
        let resolved = view.resolve(child_ref, &mut walk.via);
        if walk.via.len() != mark {
            walk.via_shared = None;
        }
        let mut next: States = SmallVec::new();
        for &(state, descendant_only) in states {
            let node = &self.nodes[state as usize];
            if !descendant_only {
                for (step, target) in &node.edges {
                    if self.step_matches(step, view, place, resolved) {
                        push_unique(&mut next, (*target, false));
                    }
                }
            }
            if !node.descendant_edges.is_empty() {
                for (step, target) in &node.descendant_edges {
                    if self.step_matches(step, view, place, resolved) {
                        push_unique(&mut next, (*target, false));
                    }
                }
                push_unique(&mut next, (state, true));
            }
        }
        if !next.is_empty() {
            match resolved {
                Resolved::Node(target) => {
                    for &(state, descendant_only) in &next {
                        if descendant_only {
                            continue;
                        }
                        for &rule in &self.nodes[state as usize].terminals {
                            let via = walk
                                .via_shared
                                .get_or_insert_with(|| walk.via.as_slice().into())
                                .clone();
                            walk.hits.push(Hit {
                                rule,
                                node: target,
                                via,
                                copy: view.copy_instance(),
                            });
                        }
                    }
                    // A value reached through an expression is walked unless it
                    // is already being walked (a reference cycle).
                    // Once the unit's walk budget is spent, values reached through
                    // references are matched but walked no more (a value used from
                    // many places is walked at each use, which multiplies).
                    let jumped = target != child_ref;
                    let within_budget = view.walk_step();
                    if !(jumped && (walk.jumps.contains(&target) || !within_budget)) {
                        if jumped {
                            walk.jumps.push(target);
                        }
                        self.visit(view, target, &next, walk, depth + 1);
                        if jumped {
                            walk.jumps.pop();
                        }
                    }
                }
                Resolved::Unknown => {
                    if let Some(u) = walk.unknown.as_deref_mut() {
                        for &(state, descendant_only) in &next {
                            if !descendant_only {
                                self.terminals_below(state, u);
                            }
                        }
                    }
                }
            }
        }
        if walk.via.len() != mark {
            walk.via.truncate(mark);
            walk.via_shared = None;
        }
    }

    fn step_matches(&self, step: &Step, view: &View<'_>, place: &Place<'_>, resolved: Resolved) -> bool {
        match step {
            Step::Name(name) => place.parent_kind == Kind::Object && place.doc.key_eq(place.text, place.child, name),
            Step::Index(i) => {
                place.parent_kind == Kind::Array && (if *i < 0 { place.len + i } else { *i }) == place.index
            }
            Step::Wildcard => true,
            Step::Filter(pred) => match resolved {
                Resolved::Node(r) => eval_pred(pred, view, r) == Some(true),
                Resolved::Unknown => false,
            },
            Step::Descendant(inner) => self.step_matches(inner, view, place, resolved),
        }
    }
}

fn push_unique(set: &mut States, item: (u32, bool)) {
    if !set.contains(&item) {
        set.push(item);
    }
}

/// Evaluates a filter predicate on a node; `None` when a value is unknown.
pub fn eval_pred(pred: &Pred, view: &View<'_>, at: NodeRef) -> Option<bool> {
    match pred {
        // A member exists even when its value cannot be evaluated.
        Pred::Exists(path) => match path.split_last() {
            None => Some(true),
            Some((last, init)) => match follow(view, at, init)? {
                Some(parent) => Some(has_member(view, parent, last)),
                None => Some(false),
            },
        },
        Pred::Compare { path, equal, value } => {
            let found = follow(view, at, path)?;
            let same = match found {
                Some(node) => lit_eq(view, node, value),
                None => false,
            };
            Some(same == *equal)
        }
        Pred::And(items) => super::logic::all(items.iter().map(|p| eval_pred(p, view, at))),
        Pred::Or(items) => super::logic::any(items.iter().map(|p| eval_pred(p, view, at))),
        Pred::Not(p) => eval_pred(p, view, at).map(|b| !b),
    }
}

/// Whether `parent` has the member (or element) `seg`, whatever its value.
fn has_member(view: &View<'_>, parent: NodeRef, seg: &PathSeg) -> bool {
    let doc = view.ws.doc_of(parent);
    match seg {
        PathSeg::Name(name) => view.ws.get(parent, name).is_some(),
        PathSeg::Index(i) => {
            let len = doc.node(parent.node).len as i64;
            let idx = if *i < 0 { len + i } else { *i };
            usize::try_from(idx)
                .ok()
                .and_then(|idx| doc.element(parent.node, idx))
                .is_some()
        }
    }
}

/// Follows a relative path; `Some(None)` when a step is missing, `None` when unknown.
fn follow(view: &View<'_>, at: NodeRef, path: &[PathSeg]) -> Option<Option<NodeRef>> {
    let mut cur = at;
    let mut scratch = Vec::new();
    for seg in path {
        let child = match seg {
            PathSeg::Name(name) => view.get(cur, name),
            PathSeg::Index(i) => {
                let doc = view.doc_of(cur);
                let len = doc.node(cur.node).len as i64;
                let idx = if *i < 0 { len + i } else { *i };
                usize::try_from(idx)
                    .ok()
                    .and_then(|idx| doc.element(cur.node, idx))
                    .map(|node| NodeRef { file: cur.file, node })
            }
        };
        let Some(child) = child else {
            return Some(None);
        };
        match view.resolve(child, &mut scratch) {
            Resolved::Node(r) => cur = r,
            Resolved::Unknown => return None,
        }
    }
    Some(Some(cur))
}

fn lit_eq(view: &View<'_>, node: NodeRef, lit: &Lit) -> bool {
    let doc = view.doc_of(node);
    match (doc.node(node.node).kind, lit) {
        (Kind::String, Lit::Str(s)) => view.str(node).is_some_and(|v| v.eq_ignore_ascii_case(s)),
        (Kind::Number, Lit::Num(n)) => doc.raw(view.text(node.file), node.node).parse::<f64>().ok() == Some(*n),
        (Kind::Bool(b), Lit::Bool(l)) => b == *l,
        (Kind::Null, Lit::Null) => true,
        _ => false,
    }
}

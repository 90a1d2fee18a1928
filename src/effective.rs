//! The effective deployment: what a template really deploys.
//!
//! A lint unit is a template with the parameters file it is deployed with (or
//! an orphan parameters file, or an offer manifest). The [`View`] evaluates ARM
//! expressions lazily (memoised) as the rule walk meets them. A value that is
//! written somewhere (a parameters-file literal, a `defaultValue`, a variable)
//! stays a reference to that node, so findings point where it was written; a
//! value that an expression computes (`concat`, `guid`, …) becomes a small
//! synthetic document whose origin is the expression. Each hop remembers the
//! place that used the value. What depends on the deployment is unknown.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use typed_arena::Arena;

use crate::arm::{self, StringKind, Value};
use crate::diagnostic::Label;
use crate::json::{self, Document, Kind};
use crate::source::{FileId, Span};
use crate::workspace::{FileKind, NodeRef, Workspace};

/// File ids at or above this refer to synthetic (computed) documents.
const SYNTHETIC_BASE: FileId = usize::MAX / 2;
/// How deep expressions may refer to other expressions (cycles stop here).
const MAX_EVAL_DEPTH: usize = 48;
/// The most instances of one copy loop that are linted (ARM's own limit).
pub const MAX_COPY: i64 = 800;
/// The most copy-loop instances linted in one unit, all loops together: nested
/// loops would otherwise multiply (four nested loops of 800 are 800⁴ walks).
pub const MAX_COPY_INSTANCES: i64 = 4 * MAX_COPY;
/// Steps of the rule walk per node of the unit's files (plus a base): values
/// used from many places, and copy loops, are walked again at each use, which
/// multiplies (20,000 uses of a 5,000-element value); past the budget they are
/// walked no more.
const WALK_STEPS_PER_NODE: usize = 8;
const WALK_STEPS_BASE: usize = 1_000_000;
/// Largest materialized value, in nodes.
const MAX_MATERIALIZE: usize = 100_000;

/// What is linted together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    /// The kind of the root file.
    pub kind: FileKind,
    /// The root file: a template, an orphan parameters file, or an offer.
    pub root: FileId,
    /// The parameters file a template is deployed with.
    pub params: Option<FileId>,
    /// The template is linted once per parameters file (it has several).
    pub one_of_several: bool,
}

impl Unit {
    /// The files whose trees are walked, each with its kind.
    pub fn roots(&self) -> impl Iterator<Item = (FileId, FileKind)> + '_ {
        std::iter::once((self.root, self.kind)).chain(self.params.map(|p| (p, FileKind::Parameters)))
    }
}

/// The effective value of a node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A node holds the value (in a file, or in a synthetic document).
    Node(NodeRef),
    /// The value depends on the deployment (or on what lhlint cannot evaluate).
    Unknown,
}

impl Resolved {
    pub fn node(self) -> Option<NodeRef> {
        match self {
            Resolved::Node(r) => Some(r),
            Resolved::Unknown => None,
        }
    }
}

/// One instance of a `copy` loop: the loop's `copy` object and the index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct CopyInstance {
    pub copy: NodeRef,
    pub index: i64,
}

/// A value computed by an expression, as a small document.
pub struct Synthetic {
    doc: Document,
    text: String,
    /// The expression string that computed it.
    origin: NodeRef,
}

/// Storage for the synthetic documents of one unit.
pub type SyntheticArena = Arena<Synthetic>;

/// An expression node evaluated in one copy-loop instance.
type MemoKey = (NodeRef, Option<CopyInstance>);

/// Resolution of values within one unit.
pub struct View<'a> {
    pub ws: &'a Workspace,
    pub unit: &'a Unit,
    arena: &'a SyntheticArena,
    synthetic: RefCell<Vec<&'a Synthetic>>,
    memo: RefCell<foldhash::HashMap<MemoKey, (Resolved, Vec<Label>)>>,
    /// The copy-loop instance being linted, if any.
    copy: Cell<Option<CopyInstance>>,
    /// Copy-loop instances still to be granted in this unit.
    copy_budget: Cell<i64>,
    /// Steps left to the rule walk (see [`WALK_STEPS_PER_NODE`]).
    walk_budget: Cell<usize>,
    /// Computed `copy` variables by their `copy` entry (they do not depend on
    /// where they are used, and nested ones would otherwise be recomputed).
    copy_variables: RefCell<HashMap<NodeRef, Value<NodeRef>>>,
    depth: Cell<usize>,
    /// The kind of file whose selectors matched the node being checked: it
    /// picks the per-kind paths of aliases used in `field` and `items`.
    match_kind: Cell<FileKind>,
}

impl<'a> View<'a> {
    pub fn new(ws: &'a Workspace, unit: &'a Unit, arena: &'a SyntheticArena) -> Self {
        View {
            ws,
            unit,
            arena,
            synthetic: RefCell::new(Vec::new()),
            memo: RefCell::new(foldhash::HashMap::default()),
            copy: Cell::new(None),
            copy_budget: Cell::new(MAX_COPY_INSTANCES),
            walk_budget: Cell::new(Self::walk_allowance(ws, unit)),
            copy_variables: RefCell::new(HashMap::new()),
            depth: Cell::new(0),
            match_kind: Cell::new(unit.kind),
        }
    }

    /// The kind of file whose selectors matched the node being checked.
    pub fn match_kind(&self) -> FileKind {
        self.match_kind.get()
    }

    /// Sets the kind of file whose selectors matched; returns the previous one.
    pub fn set_match_kind(&self, kind: FileKind) -> FileKind {
        self.match_kind.replace(kind)
    }

    // ----- access to nodes, whether in files or synthetic -----

    fn synthetic_of(&self, file: FileId) -> Option<&'a Synthetic> {
        file.checked_sub(SYNTHETIC_BASE)
            .and_then(|i| self.synthetic.borrow().get(i).copied())
    }

    /// The document holding `r`.
    pub fn doc_of(&self, r: NodeRef) -> &'a Document {
        match self.synthetic_of(r.file) {
            Some(s) => &s.doc,
            None => self.ws.doc_of(r),
        }
    }

    /// The text of the document holding a node of `file`.
    pub fn text(&self, file: FileId) -> &'a str {
        match self.synthetic_of(file) {
            Some(s) => &s.text,
            None => self.ws.text(file),
        }
    }

    /// Where a node was written: synthetic nodes map to their expression.
    pub fn origin(&self, r: NodeRef) -> NodeRef {
        self.synthetic_of(r.file).map(|s| s.origin).unwrap_or(r)
    }

    pub fn kind(&self, r: NodeRef) -> Kind {
        self.doc_of(r).node(r.node).kind
    }

    pub fn str(&self, r: NodeRef) -> Option<std::borrow::Cow<'a, str>> {
        self.doc_of(r).str(self.text(r.file), r.node)
    }

    pub fn raw(&self, r: NodeRef) -> &'a str {
        self.doc_of(r).raw(self.text(r.file), r.node)
    }

    /// The member `name` of object `r`, without resolving expressions.
    pub fn get(&self, r: NodeRef, name: &str) -> Option<NodeRef> {
        self.doc_of(r)
            .get(self.text(r.file), r.node, name)
            .map(|node| NodeRef { file: r.file, node })
    }

    pub fn children(&self, r: NodeRef) -> impl Iterator<Item = NodeRef> + 'a {
        let file = r.file;
        self.doc_of(r).children(r.node).map(move |node| NodeRef { file, node })
    }

    /// The one-line span labelling a node (its origin for computed values).
    pub fn head_span(&self, r: NodeRef) -> Span {
        self.ws.head_span(self.origin(r))
    }

    /// The member-name span of a node (its origin's for computed values).
    pub fn key_span(&self, r: NodeRef) -> Span {
        self.ws.key_span(self.origin(r))
    }

    /// The RFC 6901 pointer of a node (its origin for computed values).
    pub fn pointer(&self, r: NodeRef) -> String {
        self.ws.pointer(self.origin(r))
    }

    /// The root node of a file of the unit.
    pub fn root(&self, file: FileId) -> Option<NodeRef> {
        self.ws.root(file)
    }

    // ----- copy loops -----

    /// The copy-loop instance now being linted.
    pub fn copy_instance(&self) -> Option<CopyInstance> {
        self.copy.get()
    }

    /// Sets the copy-loop instance; returns the previous one.
    /// The steps a walk of `unit` may take: proportional to its size.
    fn walk_allowance(ws: &Workspace, unit: &Unit) -> usize {
        unit.roots()
            .filter_map(|(file, _)| ws.doc(file))
            .map(|d| d.len())
            .sum::<usize>()
            .saturating_mul(WALK_STEPS_PER_NODE)
            .saturating_add(WALK_STEPS_BASE)
    }

    /// Starts another walk of the unit through this view (the cross-file
    /// records after the rules): fresh walk and copy budgets, no copy
    /// instance, the unit's own kind. Evaluated values stay memoized.
    pub fn start_another_walk(&self) {
        self.walk_budget.set(Self::walk_allowance(self.ws, self.unit));
        self.copy_budget.set(MAX_COPY_INSTANCES);
        self.copy.set(None);
        self.match_kind.set(self.unit.kind);
    }

    pub fn set_copy_instance(&self, copy: Option<CopyInstance>) -> Option<CopyInstance> {
        self.copy.replace(copy)
    }

    /// Takes up to `count` instances from the unit's budget of copy-loop
    /// instances ([`MAX_COPY_INSTANCES`]); returns how many may be linted.
    pub fn grant_copy_instances(&self, count: i64) -> i64 {
        if self.walk_budget.get() == 0 {
            return 0;
        }
        let granted = count.clamp(0, self.copy_budget.get());
        self.copy_budget.set(self.copy_budget.get() - granted);
        granted
    }

    /// Takes one step of the rule walk; false once the unit's budget is spent.
    pub fn walk_step(&self) -> bool {
        let left = self.walk_budget.get();
        self.walk_budget.set(left.saturating_sub(1));
        left > 0
    }

    /// The number of instances of copy object `copy` (`None` when unknown).
    pub fn copy_count(&self, copy: NodeRef) -> Option<i64> {
        let count = self.get(copy, "count")?;
        let mut scratch = Vec::new();
        let r = self.resolve(count, &mut scratch).node()?;
        self.raw(r).parse::<f64>().ok().map(|n| (n as i64).clamp(0, MAX_COPY))
    }

    // ----- resolution -----

    /// Follows an expression string from `r` to the node holding its value,
    /// pushing a label for each place that used the value onto `via`.
    pub fn resolve(&self, r: NodeRef, via: &mut Vec<Label>) -> Resolved {
        if !self.evaluates(r) || self.kind(r) != Kind::String {
            return Resolved::Node(r);
        }
        // Most strings are plain literals: seen from their first character,
        // without decoding escapes (workbooks embed long escaped JSON).
        if !arm::may_be_expression(self.raw(r)) {
            return Resolved::Node(r);
        }
        let Some(text) = self.str(r) else {
            return Resolved::Node(r);
        };
        let expression = match arm::classify(&text) {
            StringKind::Expression(e) => e,
            // `[[…]`: an expression deferred to a later deployment (a policy payload).
            StringKind::Literal(l) if l.starts_with('[') => return Resolved::Unknown,
            StringKind::Literal(_) => return Resolved::Node(r),
        };
        let key = (r, self.copy.get());
        if let Some((resolved, trail)) = self.memo.borrow().get(&key) {
            via.extend(trail.iter().cloned());
            return *resolved;
        }
        if self.depth.get() >= MAX_EVAL_DEPTH {
            return Resolved::Unknown;
        }
        self.depth.set(self.depth.get() + 1);
        let (resolved, trail) = crate::stack::guard(|| self.evaluate(r, expression));
        self.depth.set(self.depth.get() - 1);
        via.extend(trail.iter().cloned());
        self.memo.borrow_mut().insert(key, (resolved, trail));
        resolved
    }

    /// The member `name` of `r` (already resolved), itself resolved.
    pub fn member(&self, r: NodeRef, name: &str, via: &mut Vec<Label>) -> Option<Resolved> {
        self.get(r, name).map(|m| self.resolve(m, via))
    }

    /// Only the unit's template holds expressions (parameters files and offers are literal).
    fn evaluates(&self, r: NodeRef) -> bool {
        self.unit.kind == FileKind::Template && r.file == self.unit.root
    }

    fn evaluate(&self, r: NodeRef, expression: &str) -> (Resolved, Vec<Label>) {
        let Ok(expr) = arm::parse(expression) else {
            return (Resolved::Unknown, Vec::new());
        };
        let mut cx = EvalCx {
            view: self,
            scope: self.scope_of(r),
            trail: Vec::new(),
        };
        let mut errors = Vec::new();
        let value = arm::eval(&expr, &mut cx, &mut errors);
        let mut trail = cx.trail;
        let resolved = match value {
            Value::Node(target) => {
                trail.insert(
                    0,
                    Label::new(
                        self.ws.span(r),
                        format!("value used here: {}", crate::engine::checks::display(expression)),
                    ),
                );
                Resolved::Node(target)
            }
            Value::Unknown => Resolved::Unknown,
            computed => self.synthesize(&computed, r),
        };
        (resolved, trail)
    }

    /// Stores a computed value as a synthetic document with origin `origin`.
    fn synthesize(&self, value: &Value<NodeRef>, origin: NodeRef) -> Resolved {
        let mut budget = MAX_MATERIALIZE;
        let Some(json) = self.to_json(value, &mut budget, 0) else {
            return Resolved::Unknown;
        };
        let text = json.to_string();
        let Ok(doc) = json::parse(&text) else {
            return Resolved::Unknown;
        };
        let synthetic = self.arena.alloc(Synthetic { doc, text, origin });
        let mut list = self.synthetic.borrow_mut();
        list.push(synthetic);
        Resolved::Node(NodeRef {
            file: SYNTHETIC_BASE + list.len() - 1,
            node: Document::ROOT,
        })
    }

    fn to_json(&self, value: &Value<NodeRef>, budget: &mut usize, depth: usize) -> Option<serde_json::Value> {
        use serde_json::Value as J;
        // Deeper than the parser accepts: it could not be re-read anyway.
        if depth > json::MAX_DEPTH {
            return None;
        }
        *budget = budget.checked_sub(1)?;
        Some(match value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Str(s) => J::String(s.clone()),
            Value::Array(items) => J::Array(
                items
                    .iter()
                    .map(|v| crate::stack::guard(|| self.to_json(v, budget, depth + 1)))
                    .collect::<Option<_>>()?,
            ),
            Value::Object(members) => J::Object(
                members
                    .iter()
                    .map(|(k, v)| crate::stack::guard(|| self.to_json(v, budget, depth + 1)).map(|v| (k.clone(), v)))
                    .collect::<Option<_>>()?,
            ),
            Value::Node(r) => {
                let materialized = self.materialize(*r, budget, 0);
                return self.to_json(&materialized, budget, depth);
            }
            Value::Unknown => return None,
        })
    }

    /// Converts a node (evaluating the expressions inside it) into a value.
    fn materialize(&self, r: NodeRef, budget: &mut usize, depth: usize) -> Value<NodeRef> {
        if depth > json::MAX_DEPTH || *budget == 0 {
            return Value::Unknown;
        }
        crate::stack::guard(|| self.materialize_unguarded(r, budget, depth))
    }

    fn materialize_unguarded(&self, r: NodeRef, budget: &mut usize, depth: usize) -> Value<NodeRef> {
        *budget -= 1;
        let mut scratch = Vec::new();
        let Resolved::Node(r) = self.resolve(r, &mut scratch) else {
            return Value::Unknown;
        };
        let doc = self.doc_of(r);
        match doc.node(r.node).kind {
            Kind::Null => Value::Null,
            Kind::Bool(b) => Value::Bool(b),
            Kind::Number => self.raw(r).parse::<i64>().map(Value::Int).unwrap_or(Value::Unknown),
            Kind::String => self
                .str(r)
                .map(|s| Value::Str(s.into_owned()))
                .unwrap_or(Value::Unknown),
            Kind::Array => Value::Array(
                self.children(r)
                    .map(|c| self.materialize(c, budget, depth + 1))
                    .collect(),
            ),
            Kind::Object => Value::Object(
                self.children(r)
                    .map(|c| {
                        let key = doc.key(self.text(r.file), c.node).unwrap_or_default().into_owned();
                        (key, self.materialize(c, budget, depth + 1))
                    })
                    .collect(),
            ),
        }
    }

    /// The template object whose parameters and variables an expression at `r`
    /// sees: the file's root, or a nested deployment's inline template when
    /// that deployment uses the `inner` expression scope.
    pub fn scope_of(&self, r: NodeRef) -> NodeRef {
        let doc = self.doc_of(r);
        let text = self.text(r.file);
        let mut cur = r.node;
        while cur != json::NONE {
            let node = doc.node(cur);
            if doc.key_eq(text, cur, "template") && node.kind == Kind::Object {
                let properties = node.parent;
                let resource = if properties != json::NONE {
                    doc.node(properties).parent
                } else {
                    json::NONE
                };
                if resource != json::NONE && doc.key_eq(text, properties, "properties") {
                    let resource = NodeRef {
                        file: r.file,
                        node: resource,
                    };
                    let inner = self
                        .get(
                            NodeRef {
                                file: r.file,
                                node: properties,
                            },
                            "expressionEvaluationOptions",
                        )
                        .and_then(|o| self.get(o, "scope"))
                        .and_then(|s| self.str(s))
                        .is_some_and(|s| s.eq_ignore_ascii_case("inner"));
                    if inner && self.get(resource, "type").is_some() {
                        return NodeRef {
                            file: r.file,
                            node: cur,
                        };
                    }
                }
            }
            cur = node.parent;
        }
        NodeRef {
            file: r.file,
            node: Document::ROOT,
        }
    }

    /// Where the value of parameter `name` of template `scope` is written:
    /// `Some(None)` when declared without a value, `None` when undeclared.
    pub fn parameter_value(&self, scope: NodeRef, name: &str) -> Option<Option<NodeRef>> {
        let declared = self.get(scope, "parameters").and_then(|ps| self.get(ps, name))?;
        let supplied = if scope.node == Document::ROOT {
            self.unit
                .params
                .and_then(|p| self.root(p))
                .and_then(|root| self.get(root, "parameters"))
                .and_then(|ps| self.get(ps, name))
        } else {
            // A nested deployment's `properties.parameters`, beside its `template`.
            let properties = NodeRef {
                file: scope.file,
                node: self.doc_of(scope).node(scope.node).parent,
            };
            self.get(properties, "parameters").and_then(|ps| self.get(ps, name))
        };
        if let Some(entry) = supplied {
            // A Key Vault `reference` instead of `value` is unknown to lhlint.
            return Some(self.get(entry, "value"));
        }
        Some(self.get(declared, "defaultValue"))
    }

    /// The node of variable `name` of template `scope`, or a computed `copy` variable.
    fn variable_value(&self, scope: NodeRef, name: &str) -> Option<Value<NodeRef>> {
        let variables = self.get(scope, "variables")?;
        if let Some(v) = self.get(variables, name) {
            return Some(self.value_of(v));
        }
        let copies = self.get(variables, "copy")?;
        for entry in self.children(copies) {
            let matches = self
                .get(entry, "name")
                .and_then(|n| self.str(n))
                .is_some_and(|n| n.eq_ignore_ascii_case(name));
            if !matches {
                continue;
            }
            if let Some(value) = self.copy_variables.borrow().get(&entry) {
                return Some(value.clone());
            }
            let value = self.copy_variable(entry);
            self.copy_variables.borrow_mut().insert(entry, value.clone());
            return Some(value);
        }
        None
    }

    /// Computes the `copy` variable of entry `entry` once, as a synthetic
    /// document whose origin is the entry.
    fn copy_variable(&self, entry: NodeRef) -> Value<NodeRef> {
        let Some(count) = self.copy_count(entry) else {
            return Value::Unknown;
        };
        let Some(input) = self.get(entry, "input") else {
            return Value::Unknown;
        };
        let previous = self.copy.get();
        let mut items = Vec::new();
        let mut budget = MAX_MATERIALIZE;
        for index in 0..count {
            self.copy.set(Some(CopyInstance { copy: entry, index }));
            items.push(self.materialize(input, &mut budget, 0));
        }
        self.copy.set(previous);
        match self.synthesize(&Value::Array(items), entry) {
            Resolved::Node(n) => Value::Node(n),
            Resolved::Unknown => Value::Unknown,
        }
    }

    /// A node as an evaluator value: resolved, and a handle when it is written somewhere.
    fn value_of(&self, r: NodeRef) -> Value<NodeRef> {
        let mut scratch = Vec::new();
        match self.resolve(r, &mut scratch) {
            Resolved::Node(n) => Value::Node(n),
            Resolved::Unknown => Value::Unknown,
        }
    }
}

/// The evaluator's window onto the unit.
struct EvalCx<'v, 'a> {
    view: &'v View<'a>,
    scope: NodeRef,
    /// Use sites met on the way to the value.
    trail: Vec<Label>,
}

impl EvalCx<'_, '_> {
    fn follow(&mut self, r: NodeRef) -> Value<NodeRef> {
        match self.view.resolve(r, &mut self.trail) {
            Resolved::Node(n) => Value::Node(n),
            Resolved::Unknown => Value::Unknown,
        }
    }
}

impl arm::Context for EvalCx<'_, '_> {
    type Handle = NodeRef;

    fn parameter(&mut self, name: &str) -> Option<Value<NodeRef>> {
        match self.view.parameter_value(self.scope, name)? {
            Some(node) => Some(self.follow(node)),
            None => Some(Value::Unknown),
        }
    }

    fn variable(&mut self, name: &str) -> Option<Value<NodeRef>> {
        let value = self.view.variable_value(self.scope, name)?;
        Some(match value {
            Value::Node(n) => self.follow(n),
            other => other,
        })
    }

    fn copy_index(&self, loop_name: Option<&str>) -> Option<i64> {
        let instance = self.view.copy.get()?;
        if let Some(wanted) = loop_name {
            let name = self.view.get(instance.copy, "name").and_then(|n| self.view.str(n))?;
            if !name.eq_ignore_ascii_case(wanted) {
                return None;
            }
        }
        Some(instance.index)
    }

    fn member(&mut self, h: NodeRef, name: &str) -> Option<Value<NodeRef>> {
        let child = self.view.get(h, name)?;
        Some(self.follow(child))
    }

    fn element(&mut self, h: NodeRef, index: usize) -> Option<Value<NodeRef>> {
        let node = self.view.doc_of(h).element(h.node, index)?;
        Some(self.follow(NodeRef { file: h.file, node }))
    }

    fn materialize(&mut self, h: NodeRef) -> Value<NodeRef> {
        let mut budget = MAX_MATERIALIZE;
        self.view.materialize(h, &mut budget, 0)
    }
}

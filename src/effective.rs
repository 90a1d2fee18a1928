//! The effective deployment: what a template really deploys.
//!
//! A lint unit is a template with the parameters file it is deployed with (or
//! an orphan parameters file, or an offer manifest). The [`View`] follows ARM
//! expressions such as `"[parameters('authorizations')]"` to the node that
//! holds the value (in the parameters file, or the template's `defaultValue`),
//! without copying trees, and remembers each place that used the value.

use std::sync::OnceLock;

use regex::Regex;

use crate::diagnostic::Label;
use crate::json::Kind;
use crate::source::FileId;
use crate::workspace::{FileKind, NodeRef, Workspace};

/// How many expression hops a value may take before lhlint gives up (cycles).
const MAX_HOPS: usize = 32;

/// What is linted together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    /// The kind of the root file.
    pub kind: FileKind,
    /// The root file: a template, an orphan parameters file, or an offer.
    pub root: FileId,
    /// The parameters file a template is deployed with.
    pub params: Option<FileId>,
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
    /// A node in some file holds the value.
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

/// Resolution of values within one unit.
#[derive(Clone, Copy)]
pub struct View<'a> {
    pub ws: &'a Workspace,
    pub unit: &'a Unit,
    /// The kind of file whose selectors matched the node being checked: it
    /// picks the per-kind paths of aliases used in `field` and `items`.
    pub kind: FileKind,
}

impl<'a> View<'a> {
    pub fn new(ws: &'a Workspace, unit: &'a Unit) -> Self {
        View {
            ws,
            unit,
            kind: unit.kind,
        }
    }

    /// The same view, for checks on a match of `kind`'s selectors.
    pub fn with_kind(self, kind: FileKind) -> Self {
        View { kind, ..self }
    }

    /// Follows expressions from `r` to the node holding its value, pushing a
    /// label for each place that used the value onto `via`.
    pub fn resolve(&self, r: NodeRef, via: &mut Vec<Label>) -> Resolved {
        let mut cur = r;
        for _ in 0..MAX_HOPS {
            if self.unit.kind != FileKind::Template || cur.file != self.unit.root {
                return Resolved::Node(cur);
            }
            let doc = self.ws.doc_of(cur);
            if doc.node(cur.node).kind != Kind::String {
                return Resolved::Node(cur);
            }
            let Some(text) = self.ws.str(cur) else {
                return Resolved::Node(cur);
            };
            if !text.starts_with('[') || !text.ends_with(']') {
                return Resolved::Node(cur);
            }
            let Some((function, name)) = simple_reference(&text) else {
                return Resolved::Unknown;
            };
            let target = match function {
                Reference::Parameter => self.parameter_value(name),
                Reference::Variable => self.variable_value(name),
            };
            let Some(target) = target else {
                return Resolved::Unknown;
            };
            via.push(Label::new(self.ws.span(cur), format!("value used here: {text}")));
            cur = target;
        }
        Resolved::Unknown
    }

    /// The member `name` of `r` (already resolved), itself resolved.
    pub fn member(&self, r: NodeRef, name: &str, via: &mut Vec<Label>) -> Option<Resolved> {
        self.ws.get(r, name).map(|m| self.resolve(m, via))
    }

    /// Where the value of template parameter `name` is written.
    fn parameter_value(&self, name: &str) -> Option<NodeRef> {
        if let Some(params) = self.unit.params.and_then(|p| self.ws.root(p)) {
            if let Some(entry) = self.ws.get(params, "parameters").and_then(|ps| self.ws.get(ps, name)) {
                // A Key Vault `reference` instead of `value` is unknown to lhlint.
                return self.ws.get(entry, "value");
            }
        }
        let template = self.ws.root(self.unit.root)?;
        let declared = self
            .ws
            .get(template, "parameters")
            .and_then(|ps| self.ws.get(ps, name))?;
        self.ws.get(declared, "defaultValue")
    }

    fn variable_value(&self, name: &str) -> Option<NodeRef> {
        let template = self.ws.root(self.unit.root)?;
        self.ws.get(template, "variables").and_then(|vs| self.ws.get(vs, name))
    }
}

enum Reference {
    Parameter,
    Variable,
}

/// Recognises `[parameters('x')]` and `[variables('x')]`.
fn simple_reference(text: &str) -> Option<(Reference, &str)> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"(?i)^\[\s*(parameters|variables)\s*\(\s*'([^']*)'\s*\)\s*\]$").expect("valid regex")
    });
    let caps = re.captures(text)?;
    let function = if caps[1].eq_ignore_ascii_case("parameters") {
        Reference::Parameter
    } else {
        Reference::Variable
    };
    Some((function, caps.get(2)?.as_str()))
}

//! The assertion functions that rules use in `when` and `then`.
//!
//! A small, closed vocabulary (Spectral-style). Each check looks at one node
//! (the selector's match, or the `field` below it) and passes, fails with the
//! places to label, or is unknown because a value depends on the deployment.
//! Unknown never produces a finding.

use crate::engine::pattern::Pattern;

use super::functions::structure;
use crate::catalog::{PrincipalType, Principals, Roles};
use crate::diagnostic::{Label, Severity};
use crate::effective::{Resolved, View};
use crate::json::Kind;
use crate::workspace::{FileKind, NodeRef};

/// Reference data the checks may consult.
pub struct Context<'a> {
    pub roles: &'a Roles,
    pub principals: &'a Principals,
    /// The customers' tenant ids (`customer-tenants` in `lhlint.toml`, or
    /// `--customer-tenant`), for checks that compare against them.
    pub customer_tenants: &'a [String],
}

/// A list of the run's context that `enumeration` and `excluded` can compare
/// with (`values-from`) instead of literal `values`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ContextList {
    /// `customer-tenants` in `lhlint.toml`, `--customer-tenant`.
    CustomerTenants,
}

impl ContextList {
    pub const NAMES: &'static str = "customer-tenants";

    pub fn parse(s: &str) -> Option<ContextList> {
        match s {
            "customer-tenants" => Some(ContextList::CustomerTenants),
            _ => None,
        }
    }

    /// The values a check compares with: the rule's own `values`, or those
    /// of list `from` in `cx` (see [`ContextList::values`]).
    fn values_or<'a>(from: Option<ContextList>, own: &'a [String], cx: &'a Context<'_>) -> Option<&'a [String]> {
        match from {
            None => Some(own),
            Some(list) => list.values(cx),
        }
    }

    /// The values of this list in `cx`; `None` when the run has none (the
    /// check cannot judge, so it is unknown).
    fn values<'a>(self, cx: &'a Context<'_>) -> Option<&'a [String]> {
        let values = match self {
            ContextList::CustomerTenants => cx.customer_tenants,
        };
        (!values.is_empty()).then_some(values)
    }
}

/// A dotted path of member names below the matched node (`a.b`), or an
/// alias (`#DelegatedRoles`) whose member names depend on the kind of file.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Field {
    pub text: String,
    pub names: Vec<String>,
    /// For an alias: the member names per kind of file (a kind without an
    /// entry has no such field).
    pub by_kind: Option<Vec<(FileKind, Vec<String>)>>,
    /// The path starts at the root of the matched node's file (`$.a.b`).
    pub from_root: bool,
}

impl Field {
    pub fn parse(text: &str) -> Result<Field, String> {
        let (from_root, rest) = match text.strip_prefix("$.") {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let names: Vec<String> = rest.split('.').map(str::to_string).collect();
        if names.iter().any(|n| n.is_empty()) {
            return Err(format!(
                "invalid field `{text}`: expected member names separated by dots"
            ));
        }
        Ok(Field {
            text: text.to_string(),
            names,
            by_kind: None,
            from_root,
        })
    }

    /// The member names of this field in files of `kind`.
    pub fn names_for(&self, kind: FileKind) -> Option<&[String]> {
        match &self.by_kind {
            None => Some(&self.names),
            Some(by_kind) => by_kind.iter().find(|(k, _)| *k == kind).map(|(_, n)| n.as_slice()),
        }
    }

    /// The field as the user reads it in files of `kind` (`a.b`).
    pub fn text_for(&self, kind: FileKind) -> String {
        match &self.by_kind {
            None => self.text.clone(),
            Some(_) => self
                .names_for(kind)
                .map(|n| n.join("."))
                .unwrap_or_else(|| self.text.clone()),
        }
    }
}

/// One compiled `then` or `when` entry.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct CheckItem {
    /// Conditions on the matched node; when one does not pass, this check passes.
    pub when: Vec<CheckItem>,
    pub field: Option<Field>,
    pub check: Check,
    /// Overrides the rule's message, severity and label when this check fails.
    pub message: Option<String>,
    pub severity: Option<Severity>,
    pub label: Option<String>,
}

/// The assertion functions.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub enum Check {
    /// The field is present.
    Defined,
    /// The field is absent.
    Undefined,
    /// A string matches `matches` and does not match `not_match`.
    Pattern {
        matches: Option<Pattern>,
        not_match: Option<Pattern>,
    },
    /// A scalar is one of `values` (or of a list of the run's context).
    Enumeration {
        values: Vec<String>,
        case_insensitive: bool,
        from: Option<ContextList>,
    },
    /// A scalar is none of `values` (or of a list of the run's context).
    Excluded {
        values: Vec<String>,
        case_insensitive: bool,
        from: Option<ContextList>,
    },
    /// The size of a string (characters), array or object is within bounds.
    Length { min: Option<usize>, max: Option<usize> },
    /// A string is a GUID (8-4-4-4-12 hex).
    Guid { lowercase: bool, allow_nil: bool },
    /// The JSON type is one of `types`.
    Type { types: Vec<String> },
    /// At least one array element passes the inner check.
    Some(Box<CheckItem>),
    /// No array element passes the inner check (each one that does is reported).
    None(Box<CheckItem>),
    /// No two array elements (or nodes that `items` selects) share the values of the `by` fields.
    Unique {
        by: Vec<Field>,
        case_insensitive: bool,
        items: Option<crate::engine::functions::relative::Relative>,
    },
    /// Every inner check passes.
    All(Vec<CheckItem>),
    /// At least one inner check passes.
    Any(Vec<CheckItem>),
    /// The inner check fails.
    Not(Box<CheckItem>),
    /// The principal is not of a banned kind, by the inventory or by evidence.
    PrincipalKind {
        not: Vec<PrincipalType>,
        display_name_field: Option<Field>,
        user_name_pattern: Option<Pattern>,
        /// A field of the checked entry that states the kind (an offer's `principalType`).
        type_field: Option<Field>,
    },
    /// A role id passes the role catalog's tests (`functions::role`).
    Role(crate::engine::functions::role::RoleCheck),
    /// An ISO 8601 duration within bounds (`functions::duration`).
    Duration(crate::engine::functions::duration::DurationCheck),
    /// Items that agree on some fields agree on others (`functions::consistent`).
    Consistent(crate::engine::functions::consistent::ConsistentCheck),
    /// Items have (or lack) a counterpart among other nodes (`functions::join`).
    Join(crate::engine::functions::join::JoinCheck),
    /// A template parameter declaration receives a value (file or default).
    ReceivesValue,
    /// The value a parameter receives matches its declaration.
    ConformsToDeclaration,
    /// A parameters-file entry is declared by the paired template.
    DeclaredByTemplate,
    /// Always fails: the match itself is the finding.
    Fail,
    /// The expression written in the field uses a parameter matching the pattern.
    ReferencesParameter(Pattern),
    /// Every member name of an object is one of `allowed` (each other member is reported).
    Keys {
        allowed: Vec<String>,
        case_insensitive: bool,
    },
    /// Every array element passes the inner check (each failure is reported).
    Each(Box<CheckItem>),
    /// A JSONPath filter expression (`@.accessType == 'eligible'`) holds for the
    /// node; strict: a missing member or another type makes a comparison false.
    Filter(crate::engine::selector::Pred),
    /// Another rule's checks, inlined at load time (`rule` function): passes
    /// when its `when` does not hold, else fails as its first failing `then` check.
    Rule { when: Vec<CheckItem>, then: Vec<CheckItem> },
}

/// Where and why a check failed.
#[derive(Clone, Debug)]
pub struct Failure {
    /// The node to label.
    pub at: NodeRef,
    /// The field was missing: label `at`'s head and say so.
    pub missing: bool,
    /// Values for the message template (`{{field}}`, `{{key}}`, …).
    pub vars: Vec<(&'static str, String)>,
    /// The node whose value fills `{{value}}` and `{{role}}`: worked out by
    /// [`value_vars`] only for the failures that become findings (most
    /// failures are of `when` conditions and of alternatives).
    pub value_of: Option<NodeRef>,
    pub related: Vec<Label>,
}

/// The result of a check.
#[derive(Debug)]
pub enum Outcome {
    Pass,
    Unknown,
    Fail(Vec<Failure>),
}

impl Outcome {
    /// Fails with `failures` if there are any; otherwise unknown when some
    /// part could not be judged, else passes.
    pub fn of(failures: Vec<Failure>, unknown: bool) -> Outcome {
        if !failures.is_empty() {
            Outcome::Fail(failures)
        } else if unknown {
            Outcome::Unknown
        } else {
            Outcome::Pass
        }
    }
}

pub(crate) enum Nav {
    Found(NodeRef),
    /// Missing; the deepest node that exists.
    Missing(NodeRef),
    Unknown,
}

pub(crate) fn navigate(view: &View<'_>, from: NodeRef, field: Option<&Field>) -> Nav {
    navigate_with_uses(view, from, field, &mut Vec::new())
}

/// Like [`navigate`], pushing a label for each expression followed on the way.
fn navigate_with_uses(view: &View<'_>, from: NodeRef, field: Option<&Field>, uses: &mut Vec<Label>) -> Nav {
    let Some(field) = field else {
        return Nav::Found(from);
    };
    let Some(names) = field.names_for(view.match_kind()) else {
        return Nav::Missing(from);
    };
    let mut cur = from;
    if field.from_root {
        match view.root(view.origin(from).file) {
            Some(root) => cur = root,
            None => return Nav::Unknown,
        }
    }
    for name in names {
        match view.member(cur, name, uses) {
            None => return Nav::Missing(cur),
            Some(Resolved::Unknown) => return Nav::Unknown,
            Some(Resolved::Node(r)) => cur = r,
        }
    }
    Nav::Found(cur)
}

impl CheckItem {
    /// Evaluates this check on `given` (the selector's match). Failures also
    /// label the expressions followed from `given` to the `field`.
    pub fn eval(&self, cx: &Context<'_>, view: &View<'_>, given: NodeRef) -> Outcome {
        let mut uses = Vec::new();
        let mut outcome = self.eval_field(cx, view, given, &mut uses);
        if let Outcome::Fail(failures) = &mut outcome {
            for failure in failures {
                failure.related.extend(uses.iter().rev().cloned());
            }
        }
        outcome
    }

    fn eval_field(&self, cx: &Context<'_>, view: &View<'_>, given: NodeRef, uses: &mut Vec<Label>) -> Outcome {
        if !self
            .when
            .iter()
            .all(|c| matches!(c.eval(cx, view, given), Outcome::Pass))
        {
            return Outcome::Pass;
        }
        if let Check::ReferencesParameter(pattern) = &self.check {
            // Looks at what is written, before evaluation.
            let written = match &self.field {
                Some(f) => f.names.iter().try_fold(given, |cur, name| view.get(cur, name)),
                None => Some(given),
            };
            return match written {
                Some(w) => super::functions::parameters::references_parameter(view, w, pattern),
                None => Outcome::Pass,
            };
        }
        let field_text = self
            .field
            .as_ref()
            .map(|f| f.text_for(view.match_kind()))
            .unwrap_or_default();
        let target = match navigate_with_uses(view, given, self.field.as_ref(), uses) {
            Nav::Unknown => return Outcome::Unknown,
            Nav::Missing(deepest) => {
                return match self.check {
                    Check::Defined => Outcome::Fail(vec![Failure {
                        at: deepest,
                        missing: true,
                        vars: vec![("field", field_text)],
                        value_of: None,
                        related: Vec::new(),
                    }]),
                    Check::Not(_) | Check::Undefined => Outcome::Pass,
                    _ => Outcome::Pass,
                };
            }
            Nav::Found(t) => t,
        };
        let fail = |vars: Vec<(&'static str, String)>| {
            let mut vars = vars;
            vars.push(("field", field_text.clone()));
            Outcome::Fail(vec![Failure {
                at: target,
                missing: false,
                vars,
                value_of: Some(target),
                related: Vec::new(),
            }])
        };
        let kind = view.kind(target);
        match &self.check {
            Check::Defined => Outcome::Pass,
            Check::Undefined => fail(Vec::new()),
            Check::Pattern { matches, not_match } => {
                let Some(s) = view.str(target) else {
                    return Outcome::Pass;
                };
                let ok = matches.as_ref().is_none_or(|re| re.is_match(&s))
                    && not_match.as_ref().is_none_or(|re| !re.is_match(&s));
                if ok { Outcome::Pass } else { fail(Vec::new()) }
            }
            Check::Enumeration {
                values,
                case_insensitive,
                from,
            } => {
                let Some(values) = ContextList::values_or(*from, values, cx) else {
                    return Outcome::Unknown;
                };
                match scalar_text(view, target) {
                    Some(v) if !contains(values, &v, *case_insensitive) => fail(vec![("allowed", values.join(", "))]),
                    _ => Outcome::Pass,
                }
            }
            Check::Excluded {
                values,
                case_insensitive,
                from,
            } => {
                let Some(values) = ContextList::values_or(*from, values, cx) else {
                    return Outcome::Unknown;
                };
                match scalar_text(view, target) {
                    Some(v) if contains(values, &v, *case_insensitive) => fail(Vec::new()),
                    _ => Outcome::Pass,
                }
            }
            Check::Length { min, max } => {
                let size = match kind {
                    Kind::String => view.str(target).map(|s| s.chars().count()),
                    Kind::Array | Kind::Object => Some(view.doc_of(target).node(target.node).len as usize),
                    _ => None,
                };
                match size {
                    Some(n) if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) => fail(vec![
                        ("count", n.to_string()),
                        ("min", min.map(|m| m.to_string()).unwrap_or_default()),
                        ("max", max.map(|m| m.to_string()).unwrap_or_default()),
                    ]),
                    _ => Outcome::Pass,
                }
            }
            Check::Guid { lowercase, allow_nil } => {
                let Some(s) = view.str(target) else {
                    return if kind == Kind::String {
                        Outcome::Pass
                    } else {
                        fail(Vec::new())
                    };
                };
                let ok = is_guid(&s)
                    && (!lowercase || !s.chars().any(|c| c.is_ascii_uppercase()))
                    && (*allow_nil || s.chars().any(|c| c != '0' && c != '-'));
                if ok { Outcome::Pass } else { fail(Vec::new()) }
            }
            Check::Type { types } => {
                let name = kind_name(kind);
                if types.iter().any(|t| t == name) {
                    Outcome::Pass
                } else {
                    fail(vec![("type", name.to_string())])
                }
            }
            Check::Some(inner) => {
                if kind != Kind::Array {
                    return Outcome::Pass;
                }
                let mut unknown = false;
                for element in elements(view, target) {
                    match element.map(|e| inner.eval(cx, view, e)) {
                        Some(Outcome::Pass) => return Outcome::Pass,
                        Some(Outcome::Fail(_)) => {}
                        Some(Outcome::Unknown) | None => unknown = true,
                    }
                }
                if unknown { Outcome::Unknown } else { fail(Vec::new()) }
            }
            Check::None(inner) => {
                if kind != Kind::Array {
                    return Outcome::Pass;
                }
                let failures: Vec<Failure> = elements(view, target)
                    .flatten()
                    .filter(|&e| matches!(inner.eval(cx, view, e), Outcome::Pass))
                    .map(|e| {
                        let at = match navigate(view, e, inner.field.as_ref()) {
                            Nav::Found(r) => r,
                            _ => e,
                        };
                        Failure {
                            at,
                            missing: false,
                            vars: vec![("field", field_text.clone())],
                            value_of: Some(at),
                            related: Vec::new(),
                        }
                    })
                    .collect();
                Outcome::of(failures, false)
            }
            Check::Unique {
                by,
                case_insensitive,
                items,
            } => unique(cx, view, target, by, *case_insensitive, items.as_ref()),
            Check::All(items) => {
                let mut unknown = false;
                for item in items {
                    match item.eval(cx, view, target) {
                        Outcome::Pass => {}
                        Outcome::Unknown => unknown = true,
                        fail @ Outcome::Fail(_) => return fail,
                    }
                }
                if unknown { Outcome::Unknown } else { Outcome::Pass }
            }
            Check::Any(items) => {
                let mut unknown = false;
                let mut first_fail = None;
                for item in items {
                    match item.eval(cx, view, target) {
                        Outcome::Pass => return Outcome::Pass,
                        Outcome::Unknown => unknown = true,
                        fail @ Outcome::Fail(_) => {
                            first_fail.get_or_insert(fail);
                        }
                    }
                }
                if unknown {
                    Outcome::Unknown
                } else {
                    first_fail.unwrap_or(Outcome::Pass)
                }
            }
            Check::Not(inner) => match inner.eval(cx, view, target) {
                Outcome::Pass => fail(Vec::new()),
                Outcome::Unknown => Outcome::Unknown,
                Outcome::Fail(_) => Outcome::Pass,
            },
            Check::PrincipalKind {
                not,
                display_name_field,
                user_name_pattern,
                type_field,
            } => principal_kind(
                cx,
                view,
                given,
                target,
                not,
                display_name_field.as_ref(),
                user_name_pattern.as_ref(),
                type_field.as_ref(),
            ),
            Check::Role(role) => role.eval(cx, view, target),
            Check::Duration(d) => d.eval(view, target),
            Check::Consistent(c) => c.eval(cx, view, target),
            Check::Join(j) => j.eval(cx, view, target),
            Check::ReceivesValue => super::functions::parameters::receives_value(view, target),
            Check::ConformsToDeclaration => super::functions::parameters::conforms_to_declaration(view, target),
            Check::DeclaredByTemplate => super::functions::parameters::declared_by_template(view, target),
            Check::Fail => fail(Vec::new()),
            Check::ReferencesParameter(_) => Outcome::Pass,
            Check::Keys {
                allowed,
                case_insensitive,
            } => structure::keys(view, target, allowed, *case_insensitive),
            Check::Each(inner) => structure::each(cx, view, target, inner),
            Check::Rule { when, then } => structure::rule(cx, view, target, when, then),
            Check::Filter(pred) => match crate::engine::trie::eval_pred(pred, view, target) {
                Some(true) => Outcome::Pass,
                Some(false) => fail(Vec::new()),
                None => Outcome::Unknown,
            },
        }
    }
}

/// Checks a principal against the inventory (or the kind its entry states),
/// else against display-name evidence.
#[allow(clippy::too_many_arguments)]
fn principal_kind(
    cx: &Context<'_>,
    view: &View<'_>,
    given: NodeRef,
    target: NodeRef,
    not: &[PrincipalType],
    display_name_field: Option<&Field>,
    user_name_pattern: Option<&Pattern>,
    type_field: Option<&Field>,
) -> Outcome {
    let id = view.str(target).map(|s| s.into_owned()).unwrap_or_default();
    let stated = type_field.and_then(|field| match navigate(view, given, Some(field)) {
        Nav::Found(r) => view.str(r).and_then(|s| PrincipalType::parse(&s)).map(|kind| {
            (
                kind,
                format!(
                    "its {} is `{}`",
                    field.text_for(view.match_kind()),
                    display(&s_of(view, r))
                ),
            )
        }),
        _ => None,
    });
    let known = cx
        .principals
        .get(&id)
        .map(|kind| (kind, cx.principals.evidence(&id, kind)))
        .or(stated);
    if let Some((kind, evidence)) = known {
        if not.iter().any(|&banned| kind.is_a(banned)) {
            let vars = vec![("kind", kind.as_str().to_string()), ("evidence", evidence)];
            return Outcome::Fail(vec![Failure {
                at: target,
                missing: false,
                vars,
                value_of: Some(target),
                related: Vec::new(),
            }]);
        }
        return Outcome::Pass;
    }
    if !not.contains(&PrincipalType::User) {
        return Outcome::Pass;
    }
    let (Some(field), Some(pattern)) = (display_name_field, user_name_pattern) else {
        return Outcome::Pass;
    };
    let Nav::Found(name_node) = navigate(view, given, Some(field)) else {
        return Outcome::Pass;
    };
    let Some(name) = view.str(name_node) else {
        return Outcome::Pass;
    };
    if !pattern.is_match(&name) {
        return Outcome::Pass;
    }
    let vars = vec![
        ("kind", "user".to_string()),
        (
            "evidence",
            format!("its {} `{}` looks like a user sign-in name", field.text, display(&name)),
        ),
    ];
    Outcome::Fail(vec![Failure {
        at: name_node,
        missing: false,
        vars,
        value_of: Some(target),
        related: vec![Label::new(view.head_span(target), "the principal")],
    }])
}

fn s_of(view: &View<'_>, r: NodeRef) -> String {
    view.str(r).map(|s| s.into_owned()).unwrap_or_default()
}

fn unique(
    cx: &Context<'_>,
    view: &View<'_>,
    target: NodeRef,
    by: &[Field],
    case_insensitive: bool,
    items: Option<&crate::engine::functions::relative::Relative>,
) -> Outcome {
    let elements: Vec<(NodeRef, Vec<Label>)> = match items {
        Some(rel) => match rel.select_with_uses(view, target) {
            Some(nodes) => nodes,
            None => return Outcome::Unknown,
        },
        None if view.doc_of(target).node(target.node).kind != Kind::Array => return Outcome::Pass,
        None => elements(view, target).flatten().map(|e| (e, Vec::new())).collect(),
    };
    // By key, so that a 100,000-element array is not compared pairwise.
    let mut seen: foldhash::HashMap<Vec<String>, NodeRef> = foldhash::HashMap::default();
    let mut failures = Vec::new();
    for (element, uses) in elements {
        let mut key = Vec::with_capacity(by.len().max(1));
        // Without `by`, scalar elements are compared themselves.
        if by.is_empty() {
            match scalar_text(view, element) {
                Some(v) => key.push(if case_insensitive { v.to_ascii_lowercase() } else { v }),
                None => continue,
            }
        }
        for field in by {
            match navigate(view, element, Some(field)) {
                Nav::Found(r) => match scalar_text(view, r) {
                    Some(v) => key.push(if case_insensitive { v.to_ascii_lowercase() } else { v }),
                    None => break,
                },
                _ => break,
            }
        }
        if key.len() != by.len().max(1) {
            continue;
        }
        if let Some(first) = seen.get(&key) {
            failures.push(Failure {
                at: element,
                missing: false,
                vars: vec![
                    ("duplicate", key.join(", ")),
                    (
                        "key",
                        key.iter().map(|k| cx.roles.describe(k)).collect::<Vec<_>>().join(", "),
                    ),
                ],
                value_of: Some(element),
                related: std::iter::once(Label::new(view.head_span(*first), "first occurrence"))
                    .chain(uses.iter().rev().cloned())
                    .collect(),
            });
        } else {
            seen.insert(key, element);
        }
    }
    Outcome::of(failures, false)
}

/// The resolved elements of an array (`None` for unknown ones).
pub(crate) fn elements<'v>(view: &'v View<'_>, array: NodeRef) -> impl Iterator<Item = Option<NodeRef>> + 'v {
    let doc = view.doc_of(array);
    doc.children(array.node).map(move |node| {
        let mut scratch = Vec::new();
        view.resolve(NodeRef { file: array.file, node }, &mut scratch).node()
    })
}

fn contains(values: &[String], v: &str, case_insensitive: bool) -> bool {
    values.iter().any(|x| {
        if case_insensitive {
            x.eq_ignore_ascii_case(v)
        } else {
            x == v
        }
    })
}

/// The text of a scalar (strings decoded, other scalars as written).
pub(crate) fn scalar_text(view: &View<'_>, r: NodeRef) -> Option<String> {
    let doc = view.doc_of(r);
    match doc.node(r.node).kind {
        Kind::String => view.str(r).map(|s| s.into_owned()),
        Kind::Number | Kind::Bool(_) | Kind::Null => Some(doc.raw(view.text(r.file), r.node).to_string()),
        Kind::Array | Kind::Object => None,
    }
}

fn kind_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Null => "null",
        Kind::Bool(_) => "boolean",
        Kind::Number => "number",
        Kind::String => "string",
        Kind::Array => "array",
        Kind::Object => "object",
    }
}

/// `value` and `role` for the failing node.
pub(crate) fn value_vars(cx: &Context<'_>, view: &View<'_>, at: NodeRef) -> [(&'static str, String); 2] {
    let value = match scalar_text(view, at) {
        Some(v) => v,
        None => kind_name(view.doc_of(at).node(at.node).kind).to_string(),
    };
    // A known role is named in full (`guid (Name)`); other values are shortened.
    let role = match cx.roles.get(&value) {
        Some(_) => cx.roles.describe(&value),
        None => display(&value),
    };
    [("role", role), ("value", display(&value))]
}

/// Shortens a value for a message.
pub fn display(s: &str) -> String {
    const MAX: usize = 80;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let cut: String = s.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

/// Whether `s` has the 8-4-4-4-12 hex shape of a GUID.
pub fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b[8] == b'-'
        && b[13] == b'-'
        && b[18] == b'-'
        && b[23] == b'-'
        && [&b[..8], &b[9..13], &b[14..18], &b[19..23], &b[24..]]
            .iter()
            .all(|group| group.iter().all(u8::is_ascii_hexdigit))
}

#[cfg(test)]
mod tests {
    use super::is_guid;

    #[test]
    fn guid_shape() {
        assert!(is_guid("8e3af657-a8ff-443c-a75c-2fe8c4bcb635"));
        assert!(is_guid("8E3AF657-A8FF-443C-A75C-2FE8C4BCB635"));
        assert!(!is_guid("3kl47fff-5655-4779-b726-2cf02b05c7c4"));
        assert!(!is_guid("<insert managing tenant id>"));
        assert!(!is_guid("8e3af657a8ff443ca75c2fe8c4bcb635"));
        assert!(!is_guid("8e3af657a-8ff-443c-a75c-2fe8c4bcb635"));
        assert!(!is_guid("8e3af657-a8ff-443c-a75c-2fe8c4bcb63g"));
        assert!(!is_guid("8e3af657-a8ff-443c-a75c-2fe8c4bcb6é"));
        assert!(!is_guid("8e3af657-a8ff-443c-a75c+2fe8c4bcb635"));
    }
}

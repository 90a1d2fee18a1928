//! ARM parameter semantics: does a declared parameter receive a value, does the
//! value conform to the declaration, is a supplied value declared at all.

use crate::diagnostic::Label;
use crate::effective::{Resolved, View};
use crate::engine::checks::{Failure, Outcome, display};
use crate::json::Kind;
use crate::workspace::{FileKind, NodeRef};

/// The name of a declaration or supplied value (its member name) and its template object.
fn name_and_scope(view: &View<'_>, decl: NodeRef) -> Option<(String, NodeRef)> {
    let doc = view.doc_of(decl);
    let name = doc.key(view.text(decl.file), decl.node)?.into_owned();
    let parameters = doc.node(decl.node).parent;
    let scope = doc.node(parameters).parent;
    (scope != crate::json::NONE).then_some((
        name,
        NodeRef {
            file: decl.file,
            node: scope,
        },
    ))
}

fn fail(at: NodeRef, vars: Vec<(&'static str, String)>, related: Vec<Label>) -> Outcome {
    Outcome::Fail(vec![Failure {
        at,
        missing: false,
        vars,
        value_of: None,
        related,
    }])
}

/// A declared parameter must get a value: from the parameters file (or the
/// nested deployment's `parameters`) or its `defaultValue`.
pub fn receives_value(view: &View<'_>, decl: NodeRef) -> Outcome {
    if view.unit.kind != FileKind::Template {
        return Outcome::Pass;
    }
    let Some((name, scope)) = name_and_scope(view, decl) else {
        return Outcome::Pass;
    };
    if scope.node == crate::json::Document::ROOT && view.unit.params.is_none() {
        // Without a parameters file the values are given at deployment time.
        return Outcome::Pass;
    }
    let supplied_by_reference = scope.node == crate::json::Document::ROOT
        && view
            .unit
            .params
            .and_then(|p| view.root(p))
            .and_then(|r| view.get(r, "parameters"))
            .and_then(|ps| view.get(ps, &name))
            .and_then(|entry| view.get(entry, "reference"))
            .is_some();
    match view.parameter_value(scope, &name) {
        Some(Some(_)) => Outcome::Pass,
        _ if supplied_by_reference => Outcome::Pass,
        _ => {
            let source = match view.unit.params {
                Some(p) => format!("`{}` sets no value for it", view.ws.sources.get(p).name),
                None => "no parameters file was found for this template".to_string(),
            };
            fail(decl, vec![("name", display(&name)), ("source", source)], Vec::new())
        }
    }
}

/// The value a declared parameter receives must match its `type`,
/// `allowedValues`, `minLength`/`maxLength` and `minValue`/`maxValue`.
pub fn conforms_to_declaration(view: &View<'_>, decl: NodeRef) -> Outcome {
    if view.unit.kind != FileKind::Template {
        return Outcome::Pass;
    }
    let Some((name, scope)) = name_and_scope(view, decl) else {
        return Outcome::Pass;
    };
    let Some(Some(value_node)) = view.parameter_value(scope, &name) else {
        return Outcome::Pass;
    };
    let mut scratch = Vec::new();
    let Resolved::Node(value) = view.resolve(value_node, &mut scratch) else {
        return Outcome::Pass;
    };
    let related = vec![Label::new(
        view.head_span(decl),
        format!("parameter `{}` declared here", display(&name)),
    )];
    let declared_type = view
        .get(decl, "type")
        .and_then(|t| view.str(t))
        .map(|t| t.to_ascii_lowercase())
        .unwrap_or_default();
    let kind = view.kind(value);
    let type_ok = match declared_type.as_str() {
        "string" | "securestring" => kind == Kind::String,
        "int" => kind == Kind::Number && !view.raw(value).contains(['.', 'e', 'E']),
        "bool" => matches!(kind, Kind::Bool(_)),
        "array" => kind == Kind::Array,
        "object" | "secureobject" => kind == Kind::Object,
        _ => true,
    };
    let problem = if !type_ok {
        Some(format!("is not of the declared type `{declared_type}`"))
    } else if let Some(p) = allowed_problem(view, decl, value) {
        Some(p)
    } else {
        bounds_problem(view, decl, value, kind)
    };
    match problem {
        None => Outcome::Pass,
        Some(problem) => fail(
            value,
            vec![
                ("name", display(&name)),
                ("problem", problem),
                ("value", display(&short_value(view, value))),
            ],
            related,
        ),
    }
}

fn allowed_problem(view: &View<'_>, decl: NodeRef, value: NodeRef) -> Option<String> {
    let allowed = view
        .get(decl, "allowedValues")
        .filter(|a| view.kind(*a) == Kind::Array)?;
    let options: Vec<String> = view.children(allowed).map(|a| view.raw(a).to_string()).collect();
    // A set, so that 100,000 values against 100,000 allowed ones is not 10¹⁰ comparisons.
    let allowed_set: std::collections::HashSet<&str> = options.iter().map(String::as_str).collect();
    let candidates: Vec<NodeRef> = if view.kind(value) == Kind::Array {
        view.children(value).collect()
    } else {
        vec![value]
    };
    let bad = candidates.iter().find(|c| {
        matches!(view.kind(**c), Kind::String | Kind::Number | Kind::Bool(_))
            && !allowed_set.contains(canonical(view, **c).as_str())
    })?;
    Some(format!(
        "{} is not one of the allowedValues ({})",
        display(&canonical(view, *bad)),
        display(&options.join(", "))
    ))
}

/// A scalar as written in JSON (strings re-quoted without escapes differences).
fn canonical(view: &View<'_>, r: NodeRef) -> String {
    match view.str(r) {
        Some(s) => serde_json::to_string(&s).unwrap_or_default(),
        None => view.raw(r).to_string(),
    }
}

fn bounds_problem(view: &View<'_>, decl: NodeRef, value: NodeRef, kind: Kind) -> Option<String> {
    let number = |name: &str| view.get(decl, name).and_then(|n| view.raw(n).parse::<f64>().ok());
    let size = match kind {
        Kind::String => view.str(value).map(|s| s.chars().count() as f64),
        Kind::Array => Some(view.doc_of(value).node(value.node).len as f64),
        _ => None,
    };
    if let Some(size) = size {
        if let Some(min) = number("minLength").filter(|m| size < *m) {
            return Some(format!("has length {size}, below minLength {min}"));
        }
        if let Some(max) = number("maxLength").filter(|m| size > *m) {
            return Some(format!("has length {size}, above maxLength {max}"));
        }
    }
    if kind == Kind::Number {
        let n = view.raw(value).parse::<f64>().ok()?;
        if let Some(min) = number("minValue").filter(|m| n < *m) {
            return Some(format!("is below minValue {min}"));
        }
        if let Some(max) = number("maxValue").filter(|m| n > *m) {
            return Some(format!("is above maxValue {max}"));
        }
    }
    None
}

/// A value supplied by a parameters file must be declared by the paired template.
pub fn declared_by_template(view: &View<'_>, supplied: NodeRef) -> Outcome {
    if view.unit.kind != FileKind::Template || view.unit.params != Some(supplied.file) {
        return Outcome::Pass;
    }
    let doc = view.doc_of(supplied);
    let Some(name) = doc.key(view.text(supplied.file), supplied.node) else {
        return Outcome::Pass;
    };
    let Some(template) = view.root(view.unit.root) else {
        return Outcome::Pass;
    };
    let declarations = view.get(template, "parameters");
    if declarations.and_then(|d| view.get(d, &name)).is_some() {
        return Outcome::Pass;
    }
    let related = vec![Label::new(
        view.head_span(declarations.unwrap_or(template)),
        format!(
            "`{}` declares these parameters",
            view.ws.sources.get(view.unit.root).name
        ),
    )];
    fail(supplied, vec![("name", display(&name))], related)
}

fn short_value(view: &View<'_>, r: NodeRef) -> String {
    match view.str(r) {
        Some(s) => s.into_owned(),
        None => view.raw(r).chars().take(80).collect(),
    }
}

/// Whether the expression written at `written` (followed through variables)
/// uses a parameter whose name matches `pattern`; constants fail.
pub fn references_parameter(view: &View<'_>, written: NodeRef, pattern: &crate::engine::pattern::Pattern) -> Outcome {
    if view.unit.kind != FileKind::Template || written.file != view.unit.root {
        return Outcome::Pass;
    }
    if view.str(written).is_some_and(|s| s.starts_with("[[")) {
        // Deferred to a later deployment (a policy payload): unknown here.
        return Outcome::Unknown;
    }
    let mut names = Vec::new();
    collect_parameters(view, written, &mut names, 0);
    if names.iter().any(|n| pattern.is_match(n)) {
        return Outcome::Pass;
    }
    let used = if names.is_empty() {
        "from a constant".to_string()
    } else {
        format!(
            "only from parameter(s) {}",
            names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
        )
    };
    fail(written, vec![("derived", display(&used))], Vec::new())
}

/// The parameter names an expression string uses, directly or through variables.
fn collect_parameters(view: &View<'_>, at: NodeRef, names: &mut Vec<String>, depth: usize) {
    use crate::arm::{ExprKind, StringKind};
    if depth > 16 {
        return;
    }
    let Some(text) = view.str(at) else { return };
    let StringKind::Expression(e) = crate::arm::classify(&text) else {
        return;
    };
    let Ok(expr) = crate::arm::parse(e) else { return };
    let scope = view.scope_of(at);
    for e in expr.nodes() {
        let ExprKind::Call { name, args, .. } = &e.kind else {
            continue;
        };
        if let [arg] = args.as_slice()
            && let ExprKind::Str(wanted) = &arg.kind
        {
            if name.eq_ignore_ascii_case("parameters") && !names.contains(wanted) {
                names.push(wanted.clone());
            } else if name.eq_ignore_ascii_case("variables")
                && let Some(v) = view.get(scope, "variables").and_then(|vs| view.get(vs, wanted))
            {
                collect_parameters(view, v, names, depth + 1);
            }
        }
    }
}

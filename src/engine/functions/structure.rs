//! Structure checks: allowed member names (`keys`), every element (`each`),
//! and another rule's checks reused in place (`rule`).

use crate::effective::View;
use crate::engine::checks::{CheckItem, Context, Failure, Outcome, elements};
use crate::json::Kind;
use crate::workspace::NodeRef;

/// Reports each member of object `target` whose name is not in `allowed`.
pub fn keys(view: &View<'_>, target: NodeRef, allowed: &[String], case_insensitive: bool) -> Outcome {
    let doc = view.doc_of(target);
    if doc.node(target.node).kind != Kind::Object {
        return Outcome::Pass;
    }
    let text = view.text(target.file);
    let failures: Vec<Failure> = doc
        .children(target.node)
        .filter_map(|child| {
            let key = doc.key(text, child)?;
            let known = allowed.iter().any(|a| {
                if case_insensitive {
                    a.eq_ignore_ascii_case(&key)
                } else {
                    *a == *key
                }
            });
            if known {
                return None;
            }
            let at = NodeRef {
                file: target.file,
                node: child,
            };
            // `at-name`: the failure is about the member name, labelled there.
            let vars = vec![
                ("key", key.into_owned()),
                ("allowed", allowed.join(", ")),
                ("at-name", String::new()),
            ];
            Some(Failure {
                at,
                missing: false,
                vars,
                value_of: Some(at),
                related: Vec::new(),
            })
        })
        .collect();
    Outcome::of(failures, false)
}

/// Runs `inner` on every element of array `target`; fails with every element's failures.
pub fn each(cx: &Context<'_>, view: &View<'_>, target: NodeRef, inner: &CheckItem) -> Outcome {
    if view.doc_of(target).node(target.node).kind != Kind::Array {
        return Outcome::Pass;
    }
    let mut failures = Vec::new();
    let mut unknown = false;
    for element in elements(view, target) {
        match element.map(|e| inner.eval(cx, view, e)) {
            Some(Outcome::Pass) => {}
            Some(Outcome::Fail(f)) => failures.extend(f),
            Some(Outcome::Unknown) | None => unknown = true,
        }
    }
    Outcome::of(failures, unknown)
}

/// Another rule's `when` and `then`, on `target`.
pub fn rule(cx: &Context<'_>, view: &View<'_>, target: NodeRef, when: &[CheckItem], then: &[CheckItem]) -> Outcome {
    for condition in when {
        if !matches!(condition.eval(cx, view, target), Outcome::Pass) {
            return Outcome::Pass;
        }
    }
    for item in then {
        match item.eval(cx, view, target) {
            Outcome::Pass => continue,
            other => return other,
        }
    }
    Outcome::Pass
}

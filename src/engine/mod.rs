//! The rule engine: one selector walk per file, then each rule's checks on its matches.

pub mod checks;
pub mod crossfile;
pub mod functions;
pub mod selector;
pub mod trie;

use checks::{Context, Failure, Outcome};
use trie::Hit;

use crate::diagnostic::{Diagnostic, Label};
use crate::effective::{Unit, View};
use crate::rules::{Rule, RuleSet};
use crate::workspace::Workspace;

/// Runs every active rule on one unit and returns its findings.
pub fn lint_unit(rules: &RuleSet, cx: &Context<'_>, ws: &Workspace, unit: &Unit) -> Vec<Diagnostic> {
    let view = View::new(ws, unit);
    let mut hits: Vec<Hit> = Vec::new();
    for (file, kind) in unit.roots() {
        if let (Some(trie), Some(root)) = (rules.trie(kind), ws.root(file)) {
            trie.walk(&view, root, &mut hits);
        }
    }
    // A node reached twice (from the template and from its parameters file)
    // is checked once, with the most context about where it was used.
    hits.sort_by(|a, b| {
        (a.rule, a.node, std::cmp::Reverse(a.via.len())).cmp(&(b.rule, b.node, std::cmp::Reverse(b.via.len())))
    });
    hits.dedup_by(|later, first| later.rule == first.rule && later.node == first.node);

    let mut out = Vec::new();
    for hit in &hits {
        let rule = &rules.rules[hit.rule as usize];
        let applies = rule
            .when
            .iter()
            .all(|c| matches!(c.eval(cx, &view, hit.node), Outcome::Pass));
        if !applies {
            continue;
        }
        // `report: all` reports every failing check, each place once.
        let mut reported: Vec<Failure> = Vec::new();
        for item in &rule.then {
            match item.eval(cx, &view, hit.node) {
                Outcome::Pass => continue,
                Outcome::Unknown if rule.report_all => continue,
                Outcome::Unknown => break,
                Outcome::Fail(failures) => {
                    for failure in failures {
                        if rule.report_all {
                            if covered(ws, &reported, &failure) {
                                continue;
                            }
                            reported.push(failure.clone());
                        }
                        out.push(build(rule, item, hit, &failure, ws));
                    }
                    if !rule.report_all {
                        break;
                    }
                }
            }
        }
    }
    out
}

/// Whether an earlier failure already reports `f`'s place: the same node or
/// one inside it, or the same missing member (or one below it).
fn covered(ws: &Workspace, earlier: &[Failure], f: &Failure) -> bool {
    let field = |x: &Failure| {
        x.vars
            .iter()
            .find(|(k, _)| *k == "field")
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    earlier.iter().any(|e| {
        if e.missing {
            let (ef, ff) = (field(e), field(f));
            f.missing && f.at == e.at && (ff == ef || ff.starts_with(&format!("{ef}.")))
        } else {
            e.at.file == f.at.file && is_within(ws, f.at, e.at)
        }
    })
}

/// Whether `inner` is `outer` or a descendant of it (same file).
fn is_within(ws: &Workspace, inner: crate::workspace::NodeRef, outer: crate::workspace::NodeRef) -> bool {
    let doc = ws.doc_of(inner);
    let mut cur = inner.node;
    loop {
        if cur == outer.node {
            return true;
        }
        let parent = doc.node(cur).parent;
        if parent == crate::json::NONE {
            return false;
        }
        cur = parent;
    }
}

/// Turns a failed check into a diagnostic with labels at the value and its uses.
fn build(rule: &Rule, item: &checks::CheckItem, hit: &Hit, failure: &Failure, ws: &Workspace) -> Diagnostic {
    let message = render(item.message.as_deref().unwrap_or(&rule.message), &failure.vars);
    let label = match item.label.as_deref().or(rule.label.as_deref()) {
        Some(template) => render(template, &failure.vars),
        None if failure.missing => {
            let field = failure
                .vars
                .iter()
                .find(|(k, _)| *k == "field")
                .map(|(_, v)| v.as_str())
                .unwrap_or("");
            format!("`{field}` is missing here")
        }
        None => String::new(),
    };
    // A failure about a member name is labelled at the name.
    let span = if failure.vars.iter().any(|(k, _)| *k == "key") {
        ws.key_span(failure.at)
    } else {
        ws.head_span(failure.at)
    };
    let mut diag = Diagnostic::new(
        rule.id.clone(),
        item.severity.unwrap_or(rule.severity),
        message,
        Label::new(span, label),
    )
    .with_pointer(ws.pointer(failure.at));
    for label in failure.related.iter().chain(hit.via.iter().rev()) {
        diag = diag.with_related(label.clone());
    }
    if let Some(note) = &rule.note {
        diag = diag.with_note(render(note, &failure.vars));
    }
    if let Some(help) = &rule.help {
        diag = diag.with_help(render(help, &failure.vars));
    }
    diag
}

/// Fills `{{name}}` placeholders; unknown names are left as written.
pub fn render<K: AsRef<str>>(template: &str, vars: &[(K, String)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("}}") {
            Some(end) => {
                let name = after[..end].trim();
                match vars.iter().rev().find(|(k, _)| k.as_ref() == name) {
                    Some((_, v)) => out.push_str(v),
                    None => out.push_str(&rest[start..start + 2 + end + 2]),
                }
                rest = &after[end + 2..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn renders_placeholders() {
        let vars = vec![("value", "x".to_string()), ("role", "r (Owner)".to_string())];
        assert_eq!(
            render("a {{value}} b {{ role }} {{nope}} {{", &vars),
            "a x b r (Owner) {{nope}} {{"
        );
    }
}

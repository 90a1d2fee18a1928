//! The rule engine: one selector walk per file, then each rule's checks on its matches.

pub mod checks;
pub mod crossfile;
pub mod expressions;
pub mod functions;
pub mod logic;
pub mod pattern;
pub mod selector;
pub mod trie;

use checks::{Context, Failure, Outcome};
use std::borrow::Cow;
use trie::Hit;

use crate::diagnostic::{Diagnostic, Label};
use crate::effective::{SyntheticArena, Unit, View};
use crate::rules::{Rule, RuleSet};
use crate::workspace::{FileKind, Workspace};

/// What linting one unit gives: its findings, and its records for the
/// cross-file relations.
#[derive(Default)]
pub struct Linted<'ws> {
    pub diagnostics: Vec<Diagnostic>,
    pub records: crossfile::UnitRecords<'ws>,
}

/// Runs every active rule on unit number `u` and, with a cross-file `plan`,
/// collects the unit's records through the same view.
pub fn lint_unit<'ws>(
    rules: &RuleSet,
    cx: &Context<'_>,
    ws: &'ws Workspace,
    unit: &Unit,
    plan: Option<(&crossfile::Plan<'_>, usize)>,
) -> Linted<'ws> {
    let arena = SyntheticArena::new();
    let view = View::new(ws, unit, &arena);
    // Each hit remembers the kind of file whose selectors found it.
    let mut hits: Vec<(FileKind, Hit)> = Vec::new();
    // The unit's root is walked once for the rules and the cross-file relations.
    let merged = plan.and_then(|(plan, _)| plan.merged_trie(unit.kind).map(|trie| (plan, trie)));
    let mut walked = crossfile::Walked::default();
    for (file, kind) in unit.roots() {
        let Some(root) = ws.root(file) else {
            continue;
        };
        let mut found = Vec::new();
        match merged {
            Some((plan, trie)) if file == unit.root => {
                let unknown = trie.walk_noting_unknown(&view, root, &mut found);
                walked = plan.split(&mut found, unknown);
            }
            _ => match rules.trie(kind) {
                Some(trie) => trie.walk(&view, root, &mut found),
                None => continue,
            },
        }
        hits.extend(found.into_iter().map(|h| (kind, h)));
    }
    let distinct = distinct(&hits);

    let mut out = Vec::new();
    if unit.kind == FileKind::Template {
        expressions::check(rules, &view, &mut out);
    }
    for (kind, hit) in distinct.iter().map(|&i| &hits[i]) {
        view.set_match_kind(*kind);
        let rule = &rules.rules[hit.rule as usize];
        view.set_copy_instance(hit.copy);
        let applies = rule
            .when
            .iter()
            .all(|c| matches!(c.eval(cx, &view, hit.node), Outcome::Pass));
        if !applies {
            continue;
        }
        let mut reported: Vec<Failure> = Vec::new();
        for item in &rule.then {
            match item.eval(cx, &view, hit.node) {
                Outcome::Pass => continue,
                Outcome::Unknown => break,
                Outcome::Fail(failures) => {
                    for failure in failures {
                        if rule.report_all {
                            if covered(&view, &reported, &failure) {
                                continue;
                            }
                            reported.push(failure.clone());
                        }
                        out.push(build(cx, rule, item, hit, &failure, &view));
                    }
                    if !rule.report_all {
                        break;
                    }
                }
            }
        }
    }
    if let (true, Some(params)) = (unit.one_of_several, unit.params) {
        // Say which parameters file produced findings that the template alone shows.
        let name = ws.sources.get(params).name.clone();
        for d in out.iter_mut().filter(|d| d.primary.span.file == unit.root) {
            d.message = format!("{} (with `{name}`)", d.message);
        }
    }
    Linted {
        diagnostics: out,
        records: plan
            .map(|(plan, u)| plan.records(cx, ws, &view, u, walked))
            .unwrap_or_default(),
    }
}

/// The indexes of the hits in (rule, node, copy instance) order, each hit once: a node reached
/// twice (from the template and from its parameters file) is checked once,
/// with the most context about where it was used.
fn distinct(hits: &[(FileKind, Hit)]) -> Vec<usize> {
    // Sorted as one packed integer per hit (its key, then its index) when
    // the fields fit, as they do but in contrived inputs: comparing the hits'
    // fields, or moving the hits (72 bytes each), was most of the cost.
    let mut order: Vec<usize> = match packed_keys(hits) {
        Some(mut keys) => {
            keys.sort_unstable();
            keys.iter().map(|k| (k & INDEX_MASK) as usize).collect()
        }
        None => {
            let mut keys: Vec<_> = hits
                .iter()
                .enumerate()
                .map(|(i, (_, h))| {
                    (
                        h.rule,
                        h.node,
                        h.copy.map(|c| c.index),
                        std::cmp::Reverse(h.via.len()),
                        i,
                    )
                })
                .collect();
            keys.sort_unstable();
            keys.iter().map(|k| k.4).collect()
        }
    };
    order.dedup_by(|later, first| {
        let (later, first) = (&hits[*later].1, &hits[*first].1);
        later.rule == first.rule && later.node == first.node && later.copy == first.copy
    });
    order
}

/// Bits of a packed hit key, from the top: rule 16, file 24, node 32, copy
/// instance 12 (0 for none, else index + 1), 255 minus the number of `via`
/// labels 8, and the hit's index 36.
const INDEX_MASK: u128 = (1 << 36) - 1;

/// The hits' sort keys packed into integers that order like
/// (rule, node, copy index, fewest via last, index); `None` when a field does not fit.
fn packed_keys(hits: &[(FileKind, Hit)]) -> Option<Vec<u128>> {
    if hits.len() as u128 > INDEX_MASK {
        return None;
    }
    hits.iter()
        .enumerate()
        .map(|(i, (_, h))| {
            let copy = match h.copy {
                None => 0,
                Some(c) if (0..4094).contains(&c.index) => c.index as u128 + 1,
                Some(_) => return None,
            };
            let fits = h.rule < 1 << 16 && h.node.file < 1 << 24 && h.via.len() < 256;
            fits.then(|| {
                (u128::from(h.rule) << 112)
                    | ((h.node.file as u128) << 88)
                    | (u128::from(h.node.node) << 56)
                    | (copy << 44)
                    | ((255 - h.via.len() as u128) << 36)
                    | i as u128
            })
        })
        .collect()
}

/// Turns a failed check into a diagnostic with labels at the value and its uses.
fn build(
    cx: &checks::Context<'_>,
    rule: &Rule,
    item: &checks::CheckItem,
    hit: &Hit,
    failure: &Failure,
    view: &View<'_>,
) -> Diagnostic {
    let mut vars = failure.vars.clone();
    if let Some(at) = failure.value_of {
        vars.extend(checks::value_vars(cx, view, at));
    }
    let message = render(item.message.as_deref().unwrap_or(&rule.message), &vars);
    let label = match item.label.as_deref().or(rule.label.as_deref()) {
        Some(template) => render(template, &vars),
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
    let span = if failure.vars.iter().any(|(k, _)| *k == "at-name") {
        view.key_span(failure.at)
    } else {
        view.head_span(failure.at)
    };
    let mut diag = Diagnostic::new(
        rule.id.clone(),
        item.severity.unwrap_or(rule.severity),
        message,
        Label::new(span, label),
    )
    .with_pointer(view.pointer(failure.at));
    for label in failure.related.iter().chain(hit.via.iter()) {
        diag = diag.with_related(label.clone());
    }
    if let Some(copy) = hit.copy {
        let name = view
            .get(copy.copy, "name")
            .and_then(|n| view.str(n))
            .unwrap_or_default();
        diag = diag.with_related(Label::new(
            view.head_span(copy.copy),
            format!(
                "in instance {} of copy loop `{}`",
                copy.index,
                crate::engine::checks::display(&name)
            ),
        ));
    }
    if let Some(note) = &rule.note {
        diag = diag.with_note(render_shared(note, &vars));
    }
    if let Some(help) = &rule.help {
        diag = diag.with_help(render_shared(help, &vars));
    }
    diag
}

/// Whether an earlier failure already reports `f`'s place: the same node or
/// one inside it, or the same missing member (or one below it).
fn covered(view: &View<'_>, earlier: &[Failure], f: &Failure) -> bool {
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
            e.at.file == f.at.file && is_within(view, f.at, e.at)
        }
    })
}

/// Whether `inner` is `outer` or lies inside it (same document).
fn is_within(view: &View<'_>, inner: crate::workspace::NodeRef, outer: crate::workspace::NodeRef) -> bool {
    view.doc_of(inner).ancestors(inner.node).any(|n| n == outer.node)
}

/// Like [`render`], sharing the text when it has no `{{…}}` (most notes and
/// helps: 200,000 findings would otherwise each hold a copy).
pub fn render_shared<K: AsRef<str>>(template: &std::sync::Arc<str>, vars: &[(K, String)]) -> std::sync::Arc<str> {
    render_shared_with(template, lookup_in(vars))
}

/// Like [`render_shared`], with the values from `lookup`.
pub fn render_shared_with<'a>(
    template: &std::sync::Arc<str>,
    lookup: impl Fn(&str) -> Option<Cow<'a, str>>,
) -> std::sync::Arc<str> {
    if template.contains("{{") {
        render_with(template, lookup).into()
    } else {
        template.clone()
    }
}

/// Fills `{{name}}` placeholders; unknown names are left as written.
pub fn render<K: AsRef<str>>(template: &str, vars: &[(K, String)]) -> String {
    render_with(template, lookup_in(vars))
}

/// The value of a placeholder in `vars` (the last one of a name wins).
fn lookup_in<'a, K: AsRef<str>>(vars: &'a [(K, String)]) -> impl Fn(&str) -> Option<Cow<'a, str>> + 'a {
    move |name| {
        vars.iter()
            .rev()
            .find(|(k, _)| k.as_ref() == name)
            .map(|(_, v)| Cow::Borrowed(v.as_str()))
    }
}

/// The offset of the first two `byte`s in a row in `text` (`{{`, `}}`): a
/// memchr scan, where `str::find` would set up a substring searcher per call.
fn find_pair(text: &str, byte: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(n) = memchr::memchr(byte, &bytes[from..]) {
        let at = from + n;
        if bytes.get(at + 1) == Some(&byte) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Fills `{{name}}` placeholders with what `lookup` gives for the name, which
/// it works out only for the placeholders the template has; unknown names are
/// left as written.
pub fn render_with<'a>(template: &str, lookup: impl Fn(&str) -> Option<Cow<'a, str>>) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = find_pair(rest, b'{') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match find_pair(after, b'}') {
            Some(end) => {
                let name = after[..end].trim();
                match lookup(name) {
                    Some(v) => out.push_str(&v),
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
    use super::{distinct, render};
    use crate::diagnostic::Label;
    use crate::effective::CopyInstance;
    use crate::engine::trie::Hit;
    use crate::source::Span;
    use crate::workspace::{FileKind, NodeRef};

    /// The order `distinct` must give: by field tuple, then first seen.
    fn by_fields(hits: &[(FileKind, Hit)]) -> Vec<usize> {
        let mut order: Vec<usize> = (0..hits.len()).collect();
        order.sort_by_key(|&i| {
            let h = &hits[i].1;
            (
                h.rule,
                h.node,
                h.copy.map(|c| c.index),
                std::cmp::Reverse(h.via.len()),
                i,
            )
        });
        order.dedup_by(|later, first| {
            let (later, first) = (&hits[*later].1, &hits[*first].1);
            later.rule == first.rule && later.node == first.node && later.copy == first.copy
        });
        order
    }

    #[test]
    fn distinct_hits_keep_the_field_order_packed_or_not() {
        // A small deterministic generator (xorshift), so the test needs no crate.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let label = Label::new(Span::new(0, 0, 0), "used here");
        for round in 0..200 {
            // Every tenth round has a field too wide to pack.
            let wide = round % 10 == 9;
            let hits: Vec<(FileKind, Hit)> = (0..next(60) + 1)
                .map(|_| {
                    let copy = match next(3) {
                        0 => None,
                        _ => Some(CopyInstance {
                            copy: NodeRef {
                                file: 0,
                                node: next(2) as u32,
                            },
                            index: next(4) as i64 - if wide { 5000 } else { 0 },
                        }),
                    };
                    let via = vec![label.clone(); next(3) as usize];
                    let hit = Hit {
                        rule: next(4) as u32 + if wide && next(2) == 0 { 1 << 20 } else { 0 },
                        node: NodeRef {
                            file: next(3) as usize,
                            node: next(5) as u32,
                        },
                        via: via.into(),
                        copy,
                    };
                    (FileKind::Template, hit)
                })
                .collect();
            assert_eq!(distinct(&hits), by_fields(&hits), "round {round}");
        }
    }

    #[test]
    fn renders_placeholders() {
        let vars = vec![("value", "x".to_string()), ("role", "r (Owner)".to_string())];
        assert_eq!(
            render("a {{value}} b {{ role }} {{nope}} {{", &vars),
            "a x b r (Owner) {{nope}} {{"
        );
        // Braces that are not a pair, and a name that starts with one.
        assert_eq!(render("{ {value} }{{{value}}} }}", &vars), "{ {value} }{{{value}}} }}");
        assert_eq!(render("é{{value}}ü{", &vars), "éxü{");
    }
}

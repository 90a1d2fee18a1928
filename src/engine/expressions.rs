//! Checks of the ARM expressions written in a template: LH019 (does not parse)
//! and LH015 (refers to an undeclared parameter or variable).
//!
//! Engine-emitted, like LH000: every expression string of the template is
//! checked, whether or not a rule's selector reaches it. The rule files
//! `rules/LH015-…` and `rules/LH019-…` hold the documentation.

use crate::arm::{self, Expr, ExprKind, StringKind};
use crate::diagnostic::{Diagnostic, Label};
use crate::effective::View;
use crate::json::Kind;
use crate::rules::RuleSet;
use crate::source::Span;
use crate::workspace::NodeRef;

/// Checks every expression in the unit's template.
pub fn check(rules: &RuleSet, view: &View<'_>, out: &mut Vec<Diagnostic>) {
    let (lh019, lh015) = (rules.get_active("LH019"), rules.get_active("LH015"));
    if lh019.is_none() && lh015.is_none() {
        return;
    }
    let Some(root) = view.root(view.unit.root) else {
        return;
    };
    let doc = view.doc_of(root);
    let text = view.text(root.file);
    for (id, node) in doc.nodes.iter().enumerate() {
        if node.kind != Kind::String {
            continue;
        }
        let r = NodeRef {
            file: root.file,
            node: id as u32,
        };
        // A literal is told by its first character, without decoding escapes.
        if !arm::may_be_expression(doc.raw(text, r.node)) {
            continue;
        }
        let Some(value) = doc.str(text, r.node) else { continue };
        let (expression, deferred) = match arm::classify(&value) {
            StringKind::Expression(e) => (e.to_string(), false),
            // `[[…]` is evaluated by a later deployment: check its syntax only.
            StringKind::Literal(l) if l.starts_with('[') && l.ends_with(']') => (l.into_owned(), true),
            StringKind::Literal(_) => continue,
        };
        let offset_in_value = if deferred { 1 } else { 0 };
        let raw = &text[node.start as usize + 1..node.end as usize - 1];
        // Without escapes, decoded and raw offsets agree; with them, the map is
        // built once per string (one expression may hold 50,000 references).
        let offsets: std::cell::OnceCell<Vec<u32>> = std::cell::OnceCell::new();
        let map = |decoded: usize| -> usize {
            if !node.escaped {
                return decoded.min(raw.len());
            }
            let offsets = offsets.get_or_init(|| decoded_to_raw(raw));
            offsets.get(decoded).map_or(raw.len(), |&o| o as usize)
        };
        let to_span = |range: std::ops::Range<u32>| {
            let start = map(range.start as usize + offset_in_value);
            let end = map(range.end as usize + offset_in_value).max(start + 1);
            Span::new(r.file, node.start + 1 + start as u32, node.start + 1 + end as u32)
        };
        match arm::parse(&expression) {
            Err(e) => {
                if let Some(rule) = lh019 {
                    let span = to_span(e.offset..e.offset + 1);
                    let mut d = Diagnostic::new(
                        "LH019",
                        rule.severity,
                        format!("this expression does not parse: {}", e.message),
                        Label::new(span, "here"),
                    )
                    .with_pointer(view.pointer(r));
                    d.note = rule.note.clone();
                    d.help = rule.help.clone();
                    out.push(d);
                }
            }
            Ok(expr) if !deferred => {
                if let Some(rule) = lh015 {
                    undeclared(rule, view, r, &expr, &to_span, out)
                }
            }
            Ok(_) => {}
        }
    }
}

/// Reports `parameters('x')` / `variables('x')` whose name the scope does not declare.
fn undeclared(
    rule: &crate::rules::Rule,
    view: &View<'_>,
    at: NodeRef,
    expr: &Expr,
    to_span: &dyn Fn(std::ops::Range<u32>) -> Span,
    out: &mut Vec<Diagnostic>,
) {
    let scope = view.scope_of(at);
    for e in expr.nodes() {
        let ExprKind::Call { name, args, .. } = &e.kind else {
            continue;
        };
        let section = if name.eq_ignore_ascii_case("parameters") {
            Some("parameters")
        } else if name.eq_ignore_ascii_case("variables") {
            Some("variables")
        } else {
            None
        };
        if let (Some(section), [arg]) = (section, args.as_slice())
            && let ExprKind::Str(wanted) = &arg.kind
        {
            let declared = view.get(scope, section).is_some_and(|s| {
                view.get(s, wanted).is_some() || (section == "variables" && copy_variable(view, s, wanted))
            });
            if !declared {
                let what = if section == "parameters" {
                    "parameter"
                } else {
                    "variable"
                };
                let mut d = Diagnostic::new(
                    "LH015",
                    rule.severity,
                    format!(
                        "the template declares no {what} `{}`",
                        crate::engine::checks::display(wanted)
                    ),
                    Label::new(to_span(arg.span.clone()), format!("undeclared {what}")),
                )
                .with_pointer(view.pointer(at));
                d.note = rule.note.clone();
                d.help = rule.help.clone();
                out.push(d);
            }
        }
    }
}

/// Whether `variables.copy` declares a variable named `name`.
fn copy_variable(view: &View<'_>, variables: NodeRef, name: &str) -> bool {
    view.get(variables, "copy").is_some_and(|copies| {
        view.children(copies).any(|c| {
            view.get(c, "name")
                .and_then(|n| view.str(n))
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
        })
    })
}

/// For each byte offset of the decoded string, the offset in its raw text
/// (what a scan from the start finds for each offset, computed in one pass).
fn decoded_to_raw(raw: &str) -> Vec<u32> {
    let mut out = Vec::with_capacity(raw.len());
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let decoded_len = if c == '\\' {
            match chars.next() {
                Some((_, 'u')) => {
                    let mut code = 0u32;
                    for _ in 0..4 {
                        if let Some((_, h)) = chars.next() {
                            code = code * 16 + h.to_digit(16).unwrap_or(0);
                        }
                    }
                    char::from_u32(code).map(char::len_utf8).unwrap_or(3)
                }
                Some(_) => 1,
                None => 0,
            }
        } else {
            c.len_utf8()
        };
        // The first decoded byte maps to the escape or char; the others (inside
        // a char) to the start of the next one, as `source_offset` does.
        if decoded_len > 0 {
            out.push(i as u32);
            out.extend(std::iter::repeat_n(u32::MAX, decoded_len - 1));
        }
    }
    let mut next = raw.len() as u32;
    for o in out.iter_mut().rev() {
        if *o == u32::MAX {
            *o = next;
        } else {
            next = *o;
        }
    }
    out
}

/// Maps a byte offset in a decoded JSON string to the offset in its raw text,
/// by a scan: the reference for [`decoded_to_raw`].
#[cfg(test)]
fn source_offset(raw: &str, decoded: usize) -> usize {
    let mut decoded_pos = 0;
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if decoded_pos >= decoded {
            return i;
        }
        if c == '\\' {
            match chars.next() {
                Some((_, 'u')) => {
                    let mut code = 0u32;
                    for _ in 0..4 {
                        if let Some((_, h)) = chars.next() {
                            code = code * 16 + h.to_digit(16).unwrap_or(0);
                        }
                    }
                    decoded_pos += char::from_u32(code).map(char::len_utf8).unwrap_or(3);
                }
                Some(_) => decoded_pos += 1,
                None => {}
            }
        } else {
            decoded_pos += c.len_utf8();
        }
    }
    raw.len()
}

#[cfg(test)]
mod tests {
    use super::source_offset;

    #[test]
    fn maps_decoded_offsets_through_escapes() {
        assert_eq!(source_offset("abc", 2), 2);
        assert_eq!(source_offset(r#"a\"b"#, 2), 3);
        assert_eq!(source_offset(r"\u0041b", 1), 6);
        assert_eq!(source_offset("abc", 9), 3);
    }

    #[test]
    fn the_offset_table_agrees_with_the_scan() {
        for raw in ["abc", r#"a\"b"#, r"\u0041b", r"x\u00e9\n\ud83d\ude00y€", r"\\\t"] {
            let table = super::decoded_to_raw(raw);
            for (decoded, &offset) in table.iter().enumerate() {
                assert_eq!(offset as usize, source_offset(raw, decoded), "{raw:?} at {decoded}");
            }
        }
    }
}

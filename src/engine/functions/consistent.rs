//! `consistent`: items that agree on the `by` fields must also agree on the
//! `same` fields (compared as whole JSON values).

use super::equal::{Compare, same_value};
use super::relative::{Relative, items_of, key_of};
use crate::diagnostic::Label;
use crate::effective::View;
use crate::engine::checks::{Context, Failure, Field, Nav, Outcome, navigate};
use crate::workspace::NodeRef;

/// The compiled options of `consistent`.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct ConsistentCheck {
    /// What to compare; the elements of the checked array when absent.
    pub items: Option<Relative>,
    pub by: Vec<Field>,
    pub same: Vec<Field>,
    /// `by` values ignoring ASCII case.
    pub case_insensitive: bool,
    /// Arrays inside `same` fields are compared in any order.
    pub ignore_order: bool,
}

impl ConsistentCheck {
    /// Reports each item whose `same` fields differ from the first item with its `by` values.
    pub fn eval(&self, cx: &Context<'_>, view: &View<'_>, target: NodeRef) -> Outcome {
        let Some(items) = items_of(view, target, self.items.as_ref()) else {
            return Outcome::Unknown;
        };
        let mut groups: Vec<(Vec<String>, NodeRef)> = Vec::new();
        let mut failures = Vec::new();
        let mut unknown = false;
        for (item, uses) in items {
            let Some(key) = key_of(view, item, &self.by, self.case_insensitive) else {
                continue;
            };
            let Some(&(_, first)) = groups.iter().find(|(k, _)| *k == key) else {
                groups.push((key, item));
                continue;
            };
            for field in &self.same {
                let mine = navigate(view, item, Some(field));
                let theirs = navigate(view, first, Some(field));
                let same = match (&mine, &theirs) {
                    (Nav::Unknown, _) | (_, Nav::Unknown) => None,
                    (Nav::Missing(_), Nav::Missing(_)) => Some(true),
                    (Nav::Found(a), Nav::Found(b)) => same_value(
                        view,
                        *a,
                        *b,
                        Compare {
                            case_insensitive: false,
                            ignore_order: self.ignore_order,
                        },
                    ),
                    _ => Some(false),
                };
                match same {
                    None => unknown = true,
                    Some(true) => {}
                    Some(false) => {
                        let at = match mine {
                            Nav::Found(r) => r,
                            _ => item,
                        };
                        let other = match theirs {
                            Nav::Found(r) => r,
                            _ => first,
                        };
                        let described: Vec<String> = key.iter().map(|k| cx.roles.describe(k)).collect();
                        let vars = vec![
                            ("key", described.join(", ")),
                            ("field", field.text_for(view.match_kind())),
                        ];
                        let mut related = vec![Label::new(view.head_span(other), "differs from this one")];
                        related.extend(uses.iter().rev().cloned());
                        failures.push(Failure {
                            at,
                            missing: !matches!(mine, Nav::Found(_)),
                            vars,
                            value_of: Some(at),
                            related,
                        });
                        break;
                    }
                }
            }
        }
        Outcome::of(failures, unknown)
    }
}

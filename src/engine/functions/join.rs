//! `join`: each item must have (or must not have) a counterpart among other
//! nodes: one with the same values of the `on` fields that also passes `where`.

use super::relative::{Relative, items_of, key_of};
use crate::diagnostic::Label;
use crate::effective::View;
use crate::engine::checks::{CheckItem, Context, Failure, Field, Nav, Outcome, navigate};
use crate::workspace::NodeRef;

/// Whether items need a counterpart or must have none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Expect {
    Some,
    None,
}

/// The compiled options of `join`.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct JoinCheck {
    /// The items to check; the elements of the checked array when absent.
    pub items: Option<Relative>,
    /// Where counterparts are looked for.
    pub candidates: Relative,
    pub on: Vec<Field>,
    pub where_: Option<Box<CheckItem>>,
    pub expect: Expect,
    pub case_insensitive: bool,
    /// The label at a counterpart that should not exist.
    pub related: String,
}

impl JoinCheck {
    pub fn eval(&self, cx: &Context<'_>, view: &View<'_>, target: NodeRef) -> Outcome {
        let (Some(items), Some(candidates)) = (
            items_of(view, target, self.items.as_ref()),
            self.candidates.select(view, target),
        ) else {
            return Outcome::Unknown;
        };
        // By key, so that thousands of items are not compared with thousands
        // of candidates pairwise: the first candidate with each key, and the
        // first after it that is another node (for an item that is itself the first).
        let mut keyed: foldhash::HashMap<Vec<String>, (NodeRef, Option<NodeRef>)> = foldhash::HashMap::default();
        let mut incomplete = false;
        for candidate in candidates {
            let passes = match &self.where_ {
                None => Outcome::Pass,
                Some(check) => check.eval(cx, view, candidate),
            };
            match (passes, key_of(view, candidate, &self.on, self.case_insensitive)) {
                (Outcome::Pass, Some(key)) => {
                    let (first, second) = keyed.entry(key).or_insert((candidate, None));
                    if second.is_none() && *first != candidate {
                        *second = Some(candidate);
                    }
                }
                (Outcome::Fail(_), _) => {}
                _ => incomplete = true,
            }
        }
        let mut failures = Vec::new();
        let mut unknown = false;
        for (item, uses) in items {
            let Some(key) = key_of(view, item, &self.on, self.case_insensitive) else {
                continue;
            };
            let found = keyed
                .get(&key)
                .and_then(|&(first, second)| if first != item { Some(first) } else { second });
            let at = self.place(view, item);
            let vars = || {
                let described: Vec<String> = key.iter().map(|k| cx.roles.describe(k)).collect();
                vec![("key", described.join(", "))]
            };
            match (self.expect, found) {
                (Expect::Some, Some(_)) | (Expect::None, None) => {
                    if self.expect == Expect::None && incomplete {
                        unknown = true;
                    }
                }
                (Expect::Some, None) if incomplete => unknown = true,
                (Expect::Some, None) => failures.push(Failure {
                    at,
                    missing: false,
                    vars: vars(),
                    value_of: Some(at),
                    related: uses.iter().rev().cloned().collect(),
                }),
                (Expect::None, Some(other)) => {
                    let mut related = vec![Label::new(
                        view.head_span(self.place(view, other)),
                        self.related.clone(),
                    )];
                    related.extend(uses.iter().rev().cloned());
                    failures.push(Failure {
                        at,
                        missing: false,
                        vars: vars(),
                        value_of: Some(at),
                        related,
                    })
                }
            }
        }
        Outcome::of(failures, unknown)
    }

    /// Where to label a node: its first `on` field.
    fn place(&self, view: &View<'_>, node: NodeRef) -> NodeRef {
        match navigate(view, node, self.on.first()) {
            Nav::Found(r) => r,
            _ => node,
        }
    }
}

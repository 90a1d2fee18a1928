//! Loading a rule's `workspace` relations (see `engine::crossfile`).

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{LINTED_KINDS, Loader, Parsed, expand, parse_kind, step, step_index};
use crate::diagnostic::Severity;
use crate::engine::checks::Field;
use crate::engine::crossfile::{Expectation, FieldPair, FieldPath, PairCond, Pairing, Quantifier, Relation, Source};
use crate::engine::selector::{self, Step};
use crate::rules::file::CheckSpec;
use crate::workspace::FileKind;

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RelationSpec {
    subjects: SourceSpec,
    #[serde(default)]
    others: Option<SourceSpec>,
    #[serde(default)]
    pairing: Pairing,
    #[serde(default)]
    join: Vec<String>,
    #[serde(default)]
    fallback: Option<FallbackSpec>,
    #[serde(default)]
    unmatched_by: Vec<String>,
    expect: Vec<ExpectSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct SourceSpec {
    #[serde(default)]
    applies_to: Vec<String>,
    given: Vec<String>,
    #[serde(default)]
    when: Vec<CheckSpec>,
    fields: BTreeMap<String, String>,
    /// Conditions on field values: the record is kept when they all pass.
    #[serde(default, rename = "where")]
    where_: BTreeMap<String, Vec<CheckSpec>>,
    #[serde(default)]
    revision: RevisionSpec,
}

#[derive(Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
enum RevisionSpec {
    #[default]
    Current,
    Previous,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum FallbackSpec {
    SingleFile,
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
enum QuantifierSpec {
    Some,
    Every,
    None,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ExpectSpec {
    quantifier: QuantifierSpec,
    #[serde(default)]
    pair: Option<PairSpec>,
    at: String,
    #[serde(default)]
    related: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    label: Option<String>,
    #[serde(default)]
    related_label: Option<String>,
    #[serde(default)]
    severity: Option<Severity>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
enum PairSpec {
    Equal(Vec<String>),
    Greater(String),
    Less(String),
    All(Vec<PairSpec>),
    Any(Vec<PairSpec>),
    Not(Box<PairSpec>),
}

impl Loader {
    /// Compiles one entry of a rule's `workspace` list.
    pub(super) fn relation(
        &mut self,
        parsed: &Parsed,
        source: &str,
        value: &serde_json::value::RawValue,
        pointer: &str,
        rule_kinds: &[FileKind],
    ) -> Option<Relation> {
        let spec: RelationSpec = self.options(parsed, source, Some(value), pointer)?;
        let before = self.diagnostics.len();
        let subjects = self.source(parsed, source, spec.subjects, &step(pointer, "subjects"), rule_kinds);
        let others = spec
            .others
            .map(|o| self.source(parsed, source, o, &step(pointer, "others"), rule_kinds));
        let (subjects, others) = match (subjects, others) {
            (Some(s), None) => (s, None),
            (Some(s), Some(Some(o))) => (s, Some(o)),
            _ => return None,
        };
        let subject_fields: Vec<String> = subjects.fields.iter().map(|(n, _)| n.clone()).collect();
        let other_fields: Vec<String> = others
            .as_ref()
            .unwrap_or(&subjects)
            .fields
            .iter()
            .map(|(n, _)| n.clone())
            .collect();
        let pair_of = |name: &str| -> Option<FieldPair> {
            Some(FieldPair {
                subject: subject_fields.iter().position(|n| n == name)?,
                other: other_fields.iter().position(|n| n == name)?,
            })
        };
        let mut join = Vec::new();
        for (i, name) in spec.join.iter().enumerate() {
            match pair_of(name) {
                Some(f) => join.push(f),
                None => {
                    let span = self.span_at(parsed, source, &step_index(&step(pointer, "join"), i), false);
                    self.error(span, format!("join field `{name}` is not a field of both sources"), "");
                }
            }
        }
        let mut unmatched_by = Vec::new();
        for (i, name) in spec.unmatched_by.iter().enumerate() {
            match pair_of(name) {
                Some(f) => unmatched_by.push(f),
                None => {
                    let span = self.span_at(parsed, source, &step_index(&step(pointer, "unmatched-by"), i), false);
                    self.error(
                        span,
                        format!("`unmatched-by` field `{name}` is not a field of both sources"),
                        "",
                    );
                }
            }
        }
        let pairing = spec.pairing;
        if pairing == Pairing::PreviousVersion && !others.as_ref().is_some_and(|o| o.previous) {
            let span = self.span_at(parsed, source, &step(pointer, "pairing"), false);
            self.error(
                span,
                "`previous-version` pairing needs `others` with `\"revision\": \"previous\"`".into(),
                "",
            );
        }
        let mut expect = Vec::new();
        for (i, e) in spec.expect.into_iter().enumerate() {
            let ptr = step_index(&step(pointer, "expect"), i);
            let pair = match e.pair {
                Some(p) => match lower_pair(p, &pair_of) {
                    Ok(pair) => pair,
                    Err(name) => {
                        let span = self.span_at(parsed, source, &step(&ptr, "pair"), false);
                        self.error(span, format!("pair field `{name}` is not a field of both sources"), "");
                        PairCond::All(Vec::new())
                    }
                },
                None => PairCond::All(Vec::new()),
            };
            let at = subject_fields.iter().position(|n| *n == e.at);
            if at.is_none() {
                let span = self.span_at(parsed, source, &step(&ptr, "at"), false);
                self.error(span, format!("`at` field `{}` is not a subject field", e.at), "");
            }
            let related = e
                .related
                .as_ref()
                .and_then(|r| other_fields.iter().position(|n| n == r));
            if let (Some(r), None) = (&e.related, related) {
                let span = self.span_at(parsed, source, &step(&ptr, "related"), false);
                self.error(span, format!("`related` field `{r}` is not a field of the others"), "");
            }
            expect.push(Expectation {
                quantifier: match e.quantifier {
                    QuantifierSpec::Some => Quantifier::Some,
                    QuantifierSpec::Every => Quantifier::Every,
                    QuantifierSpec::None => Quantifier::None,
                },
                pair,
                at: at.unwrap_or(0),
                related,
                message: e.message,
                label: e.label,
                related_label: e.related_label,
                severity: e.severity,
            });
        }
        if expect.is_empty() {
            let span = self.span_at(parsed, source, &step(pointer, "expect"), true);
            self.error(span, "a relation needs at least one `expect` entry".into(), "");
        }
        if self.diagnostics.len() != before {
            return None;
        }
        Some(Relation {
            subjects,
            others,
            pairing,
            join,
            fallback_single_file: spec.fallback.is_some(),
            unmatched_by,
            expect,
        })
    }

    fn source(
        &mut self,
        parsed: &Parsed,
        source: &str,
        spec: SourceSpec,
        pointer: &str,
        rule_kinds: &[FileKind],
    ) -> Option<Source> {
        let before = self.diagnostics.len();
        let mut applies_to = Vec::new();
        for (i, kind) in spec.applies_to.iter().enumerate() {
            match parse_kind(kind) {
                Some(k) => applies_to.push(k),
                None => {
                    let span = self.span_at(parsed, source, &step_index(&step(pointer, "applies-to"), i), false);
                    self.error(
                        span,
                        format!("unknown file kind `{kind}`"),
                        "expected template, parameters or offer",
                    );
                }
            }
        }
        if spec.applies_to.is_empty() {
            applies_to = if rule_kinds.is_empty() {
                LINTED_KINDS.to_vec()
            } else {
                rule_kinds.to_vec()
            };
        }
        let mut selectors = Vec::new();
        for (i, given) in spec.given.iter().enumerate() {
            selectors.extend(self.selectors(
                parsed,
                source,
                given,
                &step_index(&step(pointer, "given"), i),
                &applies_to,
            ));
        }
        let mut fields = Vec::new();
        for (name, path) in spec.fields {
            let ptr = step(&step(pointer, "fields"), &super::escape(&name));
            if path == "@" {
                fields.push((name, FieldPath::Match));
            } else if path.starts_with('$') || path.starts_with('#') {
                fields.push((
                    name,
                    FieldPath::Root(self.selectors(parsed, source, &path, &ptr, &applies_to)),
                ));
            } else {
                match Field::parse(&path) {
                    Ok(f) => fields.push((name, FieldPath::Relative(f))),
                    Err(message) => {
                        let span = self.span_at(parsed, source, &ptr, false);
                        self.error(span, message, "");
                    }
                }
            }
        }
        let when = self.checks(parsed, source, spec.when, &step(pointer, "when"), false);
        let mut where_ = Vec::new();
        for (name, checks) in spec.where_ {
            let ptr = step(&step(pointer, "where"), &super::escape(&name));
            match fields.iter().position(|(n, _)| *n == name) {
                Some(i) => where_.push((i, self.checks(parsed, source, checks, &ptr, false))),
                None => {
                    let span = self.span_at(parsed, source, &ptr, true);
                    self.error(span, format!("`where` names `{name}`, which is not a field"), "");
                }
            }
        }
        if self.diagnostics.len() != before {
            return None;
        }
        Some(Source {
            applies_to,
            selectors,
            when,
            fields,
            where_,
            previous: spec.revision == RevisionSpec::Previous,
        })
    }

    /// Expands and compiles one selector for `kinds`; errors point at `pointer`.
    fn selectors(
        &mut self,
        parsed: &Parsed,
        source: &str,
        given: &str,
        pointer: &str,
        kinds: &[FileKind],
    ) -> Vec<(FileKind, Vec<Step>)> {
        let mut out = Vec::new();
        match expand(given, &self.aliases, kinds) {
            Ok(paths) => {
                for (kind, path) in paths {
                    match selector::compile(&path) {
                        Ok(steps) => out.push((kind, steps)),
                        Err(message) => {
                            let span = self.span_at(parsed, source, pointer, false);
                            self.error(span, format!("selector `{path}`: {message}"), "unsupported selector");
                            break;
                        }
                    }
                }
            }
            Err(message) => {
                let span = self.span_at(parsed, source, pointer, false);
                self.error(span, message, "unknown alias");
            }
        }
        out
    }
}

/// Lowers a pair condition, resolving field names; the error is an unknown name.
fn lower_pair(spec: PairSpec, pair_of: &dyn Fn(&str) -> Option<FieldPair>) -> Result<PairCond, String> {
    let field = |name: String| pair_of(&name).ok_or(name);
    Ok(match spec {
        PairSpec::Equal(fields) => PairCond::Equal(fields.into_iter().map(field).collect::<Result<_, _>>()?),
        PairSpec::Greater(f) => PairCond::Greater(field(f)?),
        PairSpec::Less(f) => PairCond::Less(field(f)?),
        PairSpec::All(items) => PairCond::All(
            items
                .into_iter()
                .map(|p| lower_pair(p, pair_of))
                .collect::<Result<_, _>>()?,
        ),
        PairSpec::Any(items) => PairCond::Any(
            items
                .into_iter()
                .map(|p| lower_pair(p, pair_of))
                .collect::<Result<_, _>>()?,
        ),
        PairSpec::Not(inner) => PairCond::Not(Box::new(lower_pair(*inner, pair_of)?)),
    })
}

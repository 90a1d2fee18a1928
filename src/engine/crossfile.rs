//! Cross-file rules: checks that compare values across every linted unit.
//!
//! A rule's `workspace` relations run once per run, after every unit was
//! linted. Each relation collects *records* (a selector match with named field
//! values) from the units, relates each subject record to other records
//! (equal `join` fields, a `pairing` such as "an earlier unit" or "the previous
//! version of the same file"), and checks an expectation over the related
//! records, e.g. "some related record has equal `principal` and `role`".
//! The previous versions of offer manifests (`--against REV`) are units too.

mod shortcut;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::checks::{CheckItem, Context, Field, Nav, Outcome, display};
use super::selector::Step;
use super::trie::{Hit, Trie};
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::effective::{Unit, View};
use crate::rules::{Rule, RuleSet};
use crate::source::FileId;
use crate::workspace::{FileKind, NodeRef, Workspace};
use shortcut::Shortcut;

/// One comparison of a rule, as written in its `workspace` list.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Relation {
    pub subjects: Source,
    /// Compared against; `None` compares subjects with each other.
    pub others: Option<Source>,
    pub pairing: Pairing,
    /// Fields (named alike in both sources) that must be equal for records to relate.
    pub join: Vec<FieldPair>,
    /// When no other record joins: relate to all others if they come from one file.
    pub fallback_single_file: bool,
    /// Only records without a counterpart (a paired record of the other side
    /// with equal values of these fields) take part, on both sides.
    pub unmatched_by: Vec<FieldPair>,
    /// Checked in order; the first that fails makes the finding.
    pub expect: Vec<Expectation>,
}

/// Where records come from.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Source {
    pub applies_to: Vec<FileKind>,
    /// Compiled `given` selectors, per file kind.
    pub selectors: Vec<(FileKind, Vec<Step>)>,
    /// Conditions on the match; a record is kept when all pass.
    pub when: Vec<CheckItem>,
    pub fields: Vec<(String, FieldPath)>,
    /// Conditions on field values (by field index): a record is kept when the
    /// field has a value and all its conditions pass on it.
    pub where_: Vec<(usize, Vec<CheckItem>)>,
    /// Records come from the previous versions of the files (`--against`).
    pub previous: bool,
}

impl Source {
    /// Whether the source reads units of `kind`, current or `previous` versions.
    fn applies(&self, kind: FileKind, previous: bool) -> bool {
        self.previous == previous && self.applies_to.contains(&kind)
    }
}

/// How a record's field is found.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub enum FieldPath {
    /// The match itself (`@`).
    Match,
    /// Member names below the match.
    Relative(Field),
    /// A selector from the unit's root; its first match.
    Root(Vec<(FileKind, Vec<Step>)>),
}

/// Which other records a subject may be related to (never itself); written
/// in kebab-case in rule files (`other-unit`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pairing {
    #[default]
    Any,
    /// From another unit.
    OtherUnit,
    /// From a unit that comes earlier (so each pair is reported once, at the later).
    EarlierUnit,
    /// From a unit with another root file.
    OtherTemplate,
    /// From an earlier unit with another root file.
    EarlierTemplate,
    /// From the previous version of the subject's own file.
    PreviousVersion,
}

/// How many related records must satisfy the pair condition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Quantifier {
    /// At least one: a finding when none does.
    Some,
    /// All: a finding at the first that does not.
    Every,
    /// None: a finding at the first that does.
    None,
}

/// A field named alike in both sources: its index in the subjects' and the others' fields.
#[derive(Clone, Copy, Debug, serde::Serialize, serde::Deserialize)]
pub struct FieldPair {
    pub subject: usize,
    pub other: usize,
}

/// A condition on a (subject, other) pair.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub enum PairCond {
    /// Equal values of these fields (ASCII case ignored; missing equals missing).
    Equal(Vec<FieldPair>),
    /// The subject's `n.n.n` version is greater than the other's.
    Greater(FieldPair),
    /// The subject's `n.n.n` version is less than the other's.
    Less(FieldPair),
    All(Vec<PairCond>),
    Any(Vec<PairCond>),
    Not(Box<PairCond>),
}

/// One expectation over the related records.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Expectation {
    pub quantifier: Quantifier,
    pub pair: PairCond,
    /// The subject field (index) labelled by the finding.
    pub at: usize,
    /// The other record's field (index) labelled as the related place.
    pub related: Option<usize>,
    pub message: Option<String>,
    pub label: Option<String>,
    pub related_label: Option<String>,
    pub severity: Option<Severity>,
}

/// The previous version of a linted file, for history comparisons.
#[derive(Debug)]
pub struct Previous {
    /// A unit over the previous text (a file of kind `Other` in the workspace).
    pub unit: Unit,
    /// The current file it is a version of.
    pub current: FileId,
    /// The revision it was read from.
    pub revision: String,
}

/// A field value of a record.
#[derive(Clone, Debug)]
enum Value<'ws> {
    Missing,
    Unknown,
    Known {
        node: NodeRef,
        /// What comparisons use when it differs from `text`: the lower-case
        /// text (canonical JSON, for containers, is `text` itself).
        key: Option<String>,
        /// What messages show: borrowed from the source when it can be.
        text: Cow<'ws, str>,
        /// The places that used the value on the way to it.
        via: Arc<[Label]>,
    },
}

impl Value<'_> {
    /// What comparisons use, for a known value.
    fn key(&self) -> Option<&str> {
        match self {
            Value::Known { key, text, .. } => Some(key.as_deref().unwrap_or(text)),
            _ => None,
        }
    }

    fn display(&self) -> String {
        match self {
            Value::Known { text, .. } => display(text),
            Value::Missing => "(missing)".into(),
            Value::Unknown => "(unknown)".into(),
        }
    }
}

/// A selector match with its field values.
#[derive(Debug)]
struct Record<'ws> {
    /// Index into the combined unit list (current units, then previous ones).
    unit: usize,
    given: NodeRef,
    values: Vec<Value<'ws>>,
}

/// The units of a run as the relations see them.
struct Units<'a> {
    current: &'a [Unit],
    previous: &'a [Previous],
}

impl Units<'_> {
    fn get(&self, i: usize) -> &Unit {
        if i < self.current.len() {
            &self.current[i]
        } else {
            &self.previous[i - self.current.len()].unit
        }
    }

    fn previous_of(&self, i: usize) -> Option<&Previous> {
        i.checked_sub(self.current.len()).and_then(|j| self.previous.get(j))
    }
}

/// The relations of the active rules and one selector index over all their
/// sources: built once per run, used for every unit and then to compare.
pub struct Plan<'r> {
    relations: Vec<(&'r Rule, &'r Relation)>,
    sources: Vec<&'r Source>,
    /// The subjects' and others' source of each relation.
    source_of: Vec<(usize, Option<usize>)>,
    index: Index,
}

/// The records of one unit, by source.
#[derive(Default)]
pub struct UnitRecords<'ws>(Vec<(usize, Record<'ws>)>);

impl<'r> Plan<'r> {
    /// The plan of the active rules' relations; `None` when there are none.
    pub fn new(rules: &'r RuleSet) -> Option<Plan<'r>> {
        let relations: Vec<(&Rule, &Relation)> = rules
            .rules
            .iter()
            .enumerate()
            .filter(|(i, _)| rules.active[*i])
            .flat_map(|(_, r)| r.workspace.iter().map(move |rel| (r, rel)))
            .collect();
        if relations.is_empty() {
            return None;
        }
        let mut sources: Vec<&Source> = Vec::new();
        let mut source_of: Vec<(usize, Option<usize>)> = Vec::new();
        for (_, relation) in &relations {
            sources.push(&relation.subjects);
            let subjects = sources.len() - 1;
            let others = relation.others.as_ref().map(|o| {
                sources.push(o);
                sources.len() - 1
            });
            source_of.push((subjects, others));
        }
        let index = Index::new(&sources, rules);
        Some(Plan {
            relations,
            sources,
            source_of,
            index,
        })
    }

    /// The trie to walk the root of a unit of `kind` with: the active rules'
    /// selectors and the relations', so that the file is walked once. `None`
    /// when no relation reads files of that kind.
    pub fn merged_trie(&self, kind: FileKind) -> Option<&Trie> {
        self.index.merged.iter().find(|(k, _)| *k == kind).map(|(_, t)| t)
    }

    /// Takes the relations' hits out of a walk of [`Plan::merged_trie`]
    /// (`unknown` as it returned); the rules' hits stay in `hits`.
    pub fn split(&self, hits: &mut Vec<Hit>, unknown: Vec<u32>) -> Walked {
        let offset = self.index.offset;
        let (own, theirs): (Vec<Hit>, Vec<Hit>) = std::mem::take(hits).into_iter().partition(|h| h.rule < offset);
        *hits = own;
        Walked {
            hits: theirs
                .into_iter()
                .map(|mut h| {
                    h.rule -= offset;
                    h
                })
                .collect(),
            unknown: unknown
                .into_iter()
                .filter(|t| *t >= offset)
                .map(|t| t - offset)
                .collect(),
        }
    }

    /// The records of current unit `u`, from its walk and read through `view`:
    /// the view the unit was linted with, so that its expressions are evaluated once.
    pub fn records<'ws>(
        &self,
        cx: &Context<'_>,
        ws: &'ws Workspace,
        view: &View<'_>,
        u: usize,
        walked: Walked,
    ) -> UnitRecords<'ws> {
        view.start_another_walk();
        UnitRecords(self.index.records(&self.sources, cx, ws, view, u, false, Some(walked)))
    }

    /// Relates the records of every unit (`current`, one entry per unit, and
    /// those of `previous`, read here) and returns the findings.
    pub fn run<'ws>(
        &self,
        cx: &Context<'_>,
        ws: &'ws Workspace,
        units: &[Unit],
        previous: &[Previous],
        current: Vec<UnitRecords<'ws>>,
    ) -> Vec<Diagnostic> {
        let all = Units {
            current: units,
            previous,
        };
        let earlier: Vec<UnitRecords<'ws>> = previous
            .par_iter()
            .enumerate()
            .map(|(i, p)| {
                let arena = crate::effective::SyntheticArena::new();
                let view = View::new(ws, &p.unit, &arena);
                UnitRecords(
                    self.index
                        .records(&self.sources, cx, ws, &view, units.len() + i, true, None),
                )
            })
            .collect();
        let mut records: Vec<Vec<Record<'ws>>> = self.sources.iter().map(|_| Vec::new()).collect();
        for (source, record) in current.into_iter().chain(earlier).flat_map(|r| r.0) {
            records[source].push(record);
        }
        self.relations
            .par_iter()
            .zip(self.source_of.par_iter())
            .flat_map_iter(|((rule, relation), (subjects, others))| {
                let others = others.map(|o| records[o].as_slice());
                evaluate(rule, relation, cx, ws, &all, &records[*subjects], others)
            })
            .collect()
    }
}

fn evaluate(
    rule: &Rule,
    relation: &Relation,
    cx: &Context<'_>,
    ws: &Workspace,
    units: &Units<'_>,
    subjects: &[Record],
    others: Option<&[Record]>,
) -> Vec<Diagnostic> {
    let others_source = relation.others.as_ref().unwrap_or(&relation.subjects);
    let same = others.is_none();
    let others = others.unwrap_or(subjects);
    let join_s: Vec<usize> = relation.join.iter().map(|f| f.subject).collect();
    let join_o: Vec<usize> = relation.join.iter().map(|f| f.other).collect();
    let index = Groups::by_key(others, &join_o);
    // Fallback: every other record, when they all come from one file.
    let single_file = match others.first() {
        Some(first) if relation.fallback_single_file => {
            let file = units.get(first.unit).root;
            if others.iter().all(|o| units.get(o.unit).root == file) {
                Group::of(others, 0..others.len())
            } else {
                Group::default()
            }
        }
        _ => Group::default(),
    };
    let (lonely_subjects, lonely_others) = unmatched(relation, units, subjects, others, same);
    // Per expectation that can take it, the shortcut through each join group.
    let shortcuts: Vec<Option<Shortcut>> = relation
        .expect
        .iter()
        .map(|e| Shortcut::new(relation, e, &index.groups, &single_file, others, units))
        .collect();
    // Each subject's first failing expectation and the record it failed
    // against, worked out in parallel (in subject order).
    let failed: Vec<(usize, usize, usize)> = subjects
        .par_iter()
        .enumerate()
        .filter_map(|(si, s)| {
            if !lonely_subjects[si] {
                return None;
            }
            let related_in = |group| Related {
                group,
                pairing: relation.pairing,
                units,
                subject: s,
                others,
                excluded: same.then_some(si),
                lonely: &lonely_others,
            };
            let joined = join_key(s, &join_s).and_then(|key| index.id(&key));
            let (related, group) = match joined
                .map(|g| (related_in(&index.groups[g]), g))
                .filter(|(r, _)| r.iter().next().is_some())
            {
                Some((related, g)) => (related, Some(g)),
                None => (
                    Some(related_in(&single_file)).filter(|r| r.iter().next().is_some())?,
                    None,
                ),
            };
            for (ei, expectation) in relation.expect.iter().enumerate() {
                let verdict = match &shortcuts[ei] {
                    Some(shortcut) => shortcut.verdict(expectation, group, s, others, &related),
                    None => check(expectation, s, others, &related),
                };
                match verdict {
                    Verdict::Pass => continue,
                    Verdict::Unknown => return None,
                    Verdict::Fail(oi) => return Some((si, ei, oi)),
                }
            }
            None
        })
        .collect();
    // One finding per (expectation, labelled node, other unit): more shared
    // values between the same two units would repeat it.
    let mut reported: foldhash::HashSet<(usize, NodeRef, usize)> = foldhash::HashSet::default();
    let kept: Vec<(usize, usize, usize)> = failed
        .into_iter()
        .filter(|&(si, ei, oi)| match &subjects[si].values[relation.expect[ei].at] {
            Value::Known { node, .. } => reported.insert((ei, *node, others[oi].unit)),
            _ => true,
        })
        .collect();
    kept.into_par_iter()
        .filter_map(|(si, ei, oi)| {
            finding(
                rule,
                relation,
                others_source,
                &relation.expect[ei],
                cx,
                ws,
                units,
                &subjects[si],
                &others[oi],
            )
        })
        .collect()
}

/// Which subjects and others have no counterpart by `unmatched-by` (all, without it).
fn unmatched(
    relation: &Relation,
    units: &Units<'_>,
    subjects: &[Record],
    others: &[Record],
    same: bool,
) -> (Vec<bool>, Vec<bool>) {
    let mut lonely_subjects = vec![true; subjects.len()];
    let mut lonely_others = vec![true; others.len()];
    if relation.unmatched_by.is_empty() {
        return (lonely_subjects, lonely_others);
    }
    let fields_s: Vec<usize> = relation.unmatched_by.iter().map(|f| f.subject).collect();
    let fields_o: Vec<usize> = relation.unmatched_by.iter().map(|f| f.other).collect();
    let by_key = Groups::by_key(others, &fields_o);
    let subject_groups = Groups::by_key(subjects, &fields_s);
    // Block against block (a block is one unit's records): whether two records
    // pair depends only on their units. Subjects look at others from the
    // first (earliest) block and others at subjects from the last, which
    // finds a partner at once for the usual pairings.
    for (key, &sg) in &subject_groups.ids {
        let Some(og) = by_key.get(key) else { continue };
        let sgroup = &subject_groups.groups[sg];
        let first = |g: &Group, b: &std::ops::Range<usize>| g.members[b.start];
        let pair = |sb: &std::ops::Range<usize>, ob: &std::ops::Range<usize>| {
            let (si, oi) = (first(sgroup, sb), first(og, ob));
            // Compared with themselves, a lone record has no partner in its own block.
            let alone = same && sb.len() == 1 && ob.len() == 1 && si == oi;
            !alone && pairs(relation.pairing, units, &subjects[si], &others[oi])
        };
        for sb in &sgroup.blocks {
            if og.blocks.iter().any(|ob| pair(sb, ob)) {
                for &si in &sgroup.members[sb.clone()] {
                    lonely_subjects[si] = false;
                }
            }
        }
        for ob in &og.blocks {
            if sgroup.blocks.iter().rev().any(|sb| pair(sb, ob)) {
                for &oi in &og.members[ob.clone()] {
                    lonely_others[oi] = false;
                }
            }
        }
    }
    (lonely_subjects, lonely_others)
}

/// Records with equal key fields, in blocks of one unit each: whether a record
/// pairs with a subject depends only on its unit, so a block is taken or
/// skipped whole (100,000 equal items in one file must not be compared pairwise).
#[derive(Default)]
struct Group {
    members: Vec<usize>,
    /// Ranges of `members` from one unit, in unit order.
    blocks: Vec<std::ops::Range<usize>>,
}

impl Group {
    /// The group of `members` (indexes into `records`, in ascending order).
    fn of(records: &[Record], members: impl IntoIterator<Item = usize>) -> Group {
        let members: Vec<usize> = members.into_iter().collect();
        let mut blocks: Vec<std::ops::Range<usize>> = Vec::new();
        for (i, &oi) in members.iter().enumerate() {
            match blocks.last_mut() {
                Some(b) if records[members[b.start]].unit == records[oi].unit => b.end = i + 1,
                _ => blocks.push(i..i + 1),
            }
        }
        Group { members, blocks }
    }
}

/// The records of one side grouped by the values of some fields.
struct Groups<'r> {
    ids: foldhash::HashMap<Vec<&'r str>, usize>,
    groups: Vec<Group>,
}

impl<'r> Groups<'r> {
    fn by_key(records: &'r [Record], fields: &[usize]) -> Groups<'r> {
        let mut ids: foldhash::HashMap<Vec<&'r str>, usize> = foldhash::HashMap::default();
        let mut members: Vec<Vec<usize>> = Vec::new();
        for (i, r) in records.iter().enumerate() {
            if let Some(key) = join_key(r, fields) {
                let next = members.len();
                let g = *ids.entry(key).or_insert(next);
                if g == next {
                    members.push(Vec::new());
                }
                members[g].push(i);
            }
        }
        let groups = members.into_iter().map(|m| Group::of(records, m)).collect();
        Groups { ids, groups }
    }

    fn get(&self, key: &[&str]) -> Option<&Group> {
        self.id(key).map(|g| &self.groups[g])
    }

    fn id(&self, key: &[&str]) -> Option<usize> {
        self.ids.get(key).copied()
    }
}

/// A field value as `equal` compares it: `None` when unknown, `Some(None)` when missing.
fn compared<'a>(r: &'a Record<'_>, field: usize) -> Option<Option<&'a str>> {
    match &r.values[field] {
        Value::Unknown => None,
        Value::Missing => Some(None),
        known => Some(known.key()),
    }
}

/// The other records related to a subject: a join group filtered by the pairing.
struct Related<'a> {
    group: &'a Group,
    pairing: Pairing,
    units: &'a Units<'a>,
    subject: &'a Record<'a>,
    others: &'a [Record<'a>],
    /// The subject itself, when subjects are compared with each other.
    excluded: Option<usize>,
    /// Records that take part (see `unmatched-by`).
    lonely: &'a [bool],
}

impl Related<'_> {
    /// Whether other record `oi` is related to the subject.
    fn contains(&self, oi: usize) -> bool {
        Some(oi) != self.excluded && self.lonely[oi] && pairs(self.pairing, self.units, self.subject, &self.others[oi])
    }

    fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.group
            .blocks
            .iter()
            .filter(|b| {
                let first = &self.others[self.group.members[b.start]];
                pairs(self.pairing, self.units, self.subject, first)
            })
            .flat_map(|b| self.group.members[b.clone()].iter().copied())
            .filter(|&oi| self.lonely[oi] && Some(oi) != self.excluded)
    }
}

#[derive(Debug, PartialEq)]
enum Verdict {
    Pass,
    Unknown,
    /// A finding; the related record to point at.
    Fail(usize),
}

fn check(e: &Expectation, s: &Record, others: &[Record], related: &Related<'_>) -> Verdict {
    let mut unknown = false;
    let mut first = None;
    for oi in related.iter() {
        first.get_or_insert(oi);
        match pair_holds(&e.pair, s, &others[oi]) {
            Some(true) => match e.quantifier {
                Quantifier::Some => return Verdict::Pass,
                Quantifier::None => return Verdict::Fail(oi),
                Quantifier::Every => {}
            },
            Some(false) => {
                if e.quantifier == Quantifier::Every {
                    return Verdict::Fail(oi);
                }
            }
            None => unknown = true,
        }
    }
    match (e.quantifier, first) {
        (Quantifier::Some, _) if unknown => Verdict::Unknown,
        (Quantifier::Some, Some(oi)) => Verdict::Fail(oi),
        _ => Verdict::Pass,
    }
}

/// Evaluates a pair condition; `None` when a value is unknown.
fn pair_holds(cond: &PairCond, s: &Record, o: &Record) -> Option<bool> {
    match cond {
        PairCond::Equal(fields) => {
            super::logic::all(fields.iter().map(|f| match (&s.values[f.subject], &o.values[f.other]) {
                (Value::Unknown, _) | (_, Value::Unknown) => None,
                (Value::Missing, Value::Missing) => Some(true),
                (x @ Value::Known { .. }, y @ Value::Known { .. }) => Some(x.key() == y.key()),
                _ => Some(false),
            }))
        }
        PairCond::Greater(f) | PairCond::Less(f) => {
            let (Value::Known { text: x, .. }, Value::Known { text: y, .. }) =
                (&s.values[f.subject], &o.values[f.other])
            else {
                return None;
            };
            let ordering = version(x)?.cmp(&version(y)?);
            Some(if matches!(cond, PairCond::Greater(_)) {
                ordering.is_gt()
            } else {
                ordering.is_lt()
            })
        }
        PairCond::All(items) => super::logic::all(items.iter().map(|item| pair_holds(item, s, o))),
        PairCond::Any(items) => super::logic::any(items.iter().map(|item| pair_holds(item, s, o))),
        PairCond::Not(inner) => pair_holds(inner, s, o).map(|b| !b),
    }
}

/// The numeric parts of a dotted version (`1.10.0` → [1, 10, 0]).
fn version(text: &str) -> Option<Vec<u64>> {
    text.trim().split('.').map(|p| p.parse().ok()).collect()
}

fn pairs(pairing: Pairing, units: &Units<'_>, s: &Record, o: &Record) -> bool {
    let root = |r: &Record| units.get(r.unit).root;
    match pairing {
        Pairing::Any => true,
        Pairing::OtherUnit => o.unit != s.unit,
        Pairing::EarlierUnit => o.unit < s.unit,
        Pairing::OtherTemplate => root(o) != root(s),
        Pairing::EarlierTemplate => o.unit < s.unit && root(o) != root(s),
        Pairing::PreviousVersion => units.previous_of(o.unit).is_some_and(|p| p.current == root(s)),
    }
}

fn join_key<'r>(r: &'r Record, fields: &[usize]) -> Option<Vec<&'r str>> {
    fields.iter().map(|&i| r.values[i].key()).collect()
}

/// Builds the diagnostic of a failed expectation.
#[allow(clippy::too_many_arguments)]
fn finding(
    rule: &Rule,
    relation: &Relation,
    others_source: &Source,
    e: &Expectation,
    cx: &Context<'_>,
    ws: &Workspace,
    units: &Units<'_>,
    s: &Record,
    o: &Record,
) -> Option<Diagnostic> {
    let Value::Known { node, text, via, .. } = &s.values[e.at] else {
        return None;
    };
    let related_node = e
        .related
        .and_then(|i| match &o.values[i] {
            Value::Known { node, .. } => Some(*node),
            _ => None,
        })
        .unwrap_or(o.given);
    // Placeholder values, worked out for the placeholders the texts have.
    let lookup = |name: &str| -> Option<Cow<'_, str>> {
        let field = |source: &Source, record: &Record, field: &str| {
            let i = source.fields.iter().position(|(n, _)| n == field)?;
            Some(Cow::Owned(record.values[i].display()))
        };
        if let Some(f) = name.strip_prefix("subject.") {
            return field(&relation.subjects, s, f);
        }
        if let Some(f) = name.strip_prefix("other.") {
            return field(others_source, o, f);
        }
        match name {
            "other-file" => Some(Cow::Borrowed(ws.sources.get(related_node.file).name.as_str())),
            "revision" => units.previous_of(o.unit).map(|p| Cow::Borrowed(p.revision.as_str())),
            "role" => Some(Cow::Owned(display(&cx.roles.describe(text)))),
            "value" => Some(Cow::Owned(display(text))),
            _ => None,
        }
    };
    let render = |t: &str| super::render_with(t, lookup);
    let message = render(e.message.as_deref().unwrap_or(&rule.message));
    let label = render(e.label.as_deref().or(rule.label.as_deref()).unwrap_or(""));
    let mut diag = Diagnostic::new(
        rule.id.clone(),
        e.severity.unwrap_or(rule.severity),
        message,
        Label::new(ws.head_span(*node), label),
    )
    .with_pointer(ws.pointer(*node))
    .with_related(Label::new(
        ws.head_span(related_node),
        render(e.related_label.as_deref().unwrap_or("compared with this")),
    ));
    for label in via.iter().rev() {
        diag = diag.with_related(label.clone());
    }
    if let Some(note) = &rule.note {
        diag = diag.with_note(super::render_shared_with(note, lookup));
    }
    if let Some(help) = &rule.help {
        diag = diag.with_help(super::render_shared_with(help, lookup));
    }
    Some(diag)
}

/// What a selector in the merged tries stands for.
#[derive(Clone, Copy)]
enum Terminal {
    /// The `given` of a source.
    Given(usize),
    /// A root-selector field of a source.
    Field(usize, usize),
}

/// The selectors of every source, merged into one trie per file kind.
struct Index {
    tries: Vec<(FileKind, Trie)>,
    /// The same selectors with the active rules' own, one trie per kind: a
    /// terminal `t` below `offset` is a rule, above it `terminals[t - offset]`.
    merged: Vec<(FileKind, Trie)>,
    offset: u32,
    terminals: Vec<Terminal>,
}

/// What one walk found for the relations: the hits (terminal ids of the
/// index) and the terminals a step of which met an unknown value.
#[derive(Default)]
pub struct Walked {
    hits: Vec<Hit>,
    unknown: Vec<u32>,
}

impl Index {
    fn new(sources: &[&Source], rules: &RuleSet) -> Index {
        let mut index = Index {
            tries: Vec::new(),
            merged: Vec::new(),
            offset: rules.rules.len() as u32,
            terminals: Vec::new(),
        };
        for (s, source) in sources.iter().enumerate() {
            index.add(&source.selectors, Terminal::Given(s), rules);
            for (f, (_, path)) in source.fields.iter().enumerate() {
                if let FieldPath::Root(selectors) = path {
                    index.add(selectors, Terminal::Field(s, f), rules);
                }
            }
        }
        index
    }

    fn add(&mut self, selectors: &[(FileKind, Vec<Step>)], terminal: Terminal, rules: &RuleSet) {
        let id = self.terminals.len() as u32;
        self.terminals.push(terminal);
        for (kind, steps) in selectors {
            trie_of(&mut self.tries, *kind, |_| ()).insert(steps, id);
            trie_of(&mut self.merged, *kind, |t| rules.insert_selectors(*kind, t)).insert(steps, self.offset + id);
        }
    }

    /// The records unit `u` (`view`'s unit; `previous` for an earlier version)
    /// holds for each source that applies to it, from `walked` (the unit's walk
    /// with the merged trie) or, without it, from a walk with the index's own trie.
    #[allow(clippy::too_many_arguments)]
    fn records<'ws>(
        &self,
        sources: &[&Source],
        cx: &Context<'_>,
        ws: &'ws Workspace,
        view: &View<'_>,
        u: usize,
        previous: bool,
        walked: Option<Walked>,
    ) -> Vec<(usize, Record<'ws>)> {
        let unit = view.unit;
        let applies = |s: &Source| s.applies(unit.kind, previous);
        if !sources.iter().any(|s| applies(s)) {
            return Vec::new();
        }
        let walked = match walked {
            Some(walked) => walked,
            None => {
                let (Some((_, trie)), Some(root)) =
                    (self.tries.iter().find(|(k, _)| *k == unit.kind), ws.root(unit.root))
                else {
                    return Vec::new();
                };
                let mut hits = Vec::new();
                let unknown = trie.walk_noting_unknown(view, root, &mut hits);
                Walked { hits, unknown }
            }
        };
        let Walked { hits, unknown } = walked;
        // Root fields: the first match in walk order (Unknown when a step met an unknown value).
        let mut root_values: HashMap<(usize, usize), Value<'ws>> = HashMap::new();
        for hit in &hits {
            if let Terminal::Field(s, f) = self.terminals[hit.rule as usize] {
                root_values
                    .entry((s, f))
                    .or_insert_with(|| known(ws, hit.node, hit.via.clone()));
            }
        }
        for &t in &unknown {
            if let Terminal::Field(s, f) = self.terminals[t as usize] {
                root_values.entry((s, f)).or_insert(Value::Unknown);
            }
        }
        let mut given: Vec<(usize, Hit)> = hits
            .into_iter()
            .filter_map(|h| match self.terminals[h.rule as usize] {
                Terminal::Given(s) if applies(sources[s]) && h.node.file < ws.len() => Some((s, h)),
                _ => None,
            })
            .collect();
        // A node reached twice is one record, with the most context about its uses.
        given.sort_by(|(a, x), (b, y)| {
            (a, x.node, std::cmp::Reverse(x.via.len())).cmp(&(b, y.node, std::cmp::Reverse(y.via.len())))
        });
        given.dedup_by(|(a, x), (b, y)| a == b && x.node == y.node);
        let mut out = Vec::new();
        for (s, hit) in given {
            let source = sources[s];
            if let Some(record) = record(source, s, &root_values, cx, ws, view, hit, u) {
                out.push((s, record));
            }
        }
        out
    }
}

/// The trie of `kind` in `tries`, made (and filled by `fill`) when missing.
fn trie_of(tries: &mut Vec<(FileKind, Trie)>, kind: FileKind, fill: impl FnOnce(&mut Trie)) -> &mut Trie {
    let i = match tries.iter().position(|(k, _)| *k == kind) {
        Some(i) => i,
        None => {
            let mut trie = Trie::default();
            fill(&mut trie);
            tries.push((kind, trie));
            tries.len() - 1
        }
    };
    &mut tries[i].1
}

/// The record of one match, unless its conditions exclude it.
#[allow(clippy::too_many_arguments)]
fn record<'ws>(
    source: &Source,
    s: usize,
    root_values: &HashMap<(usize, usize), Value<'ws>>,
    cx: &Context<'_>,
    ws: &'ws Workspace,
    view: &View<'_>,
    hit: Hit,
    unit: usize,
) -> Option<Record<'ws>> {
    if !source
        .when
        .iter()
        .all(|c| matches!(c.eval(cx, view, hit.node), Outcome::Pass))
    {
        return None;
    }
    let hit_via: Arc<[Label]> = hit.via.clone();
    let values: Vec<Value<'ws>> = source
        .fields
        .iter()
        .enumerate()
        .map(|(f, (_, path))| match path {
            FieldPath::Match => known(ws, hit.node, hit_via.clone()),
            FieldPath::Root(_) => root_values.get(&(s, f)).cloned().unwrap_or(Value::Missing),
            FieldPath::Relative(field) => {
                let mut hops = Vec::new();
                match navigate_via(view, hit.node, field, &mut hops) {
                    Nav::Found(r) if hops.is_empty() => known(ws, r, hit_via.clone()),
                    Nav::Found(r) => known(ws, r, hit.via.iter().cloned().chain(hops).collect()),
                    Nav::Missing(_) => Value::Missing,
                    Nav::Unknown => Value::Unknown,
                }
            }
        })
        .collect();
    let kept = source.where_.iter().all(|(i, checks)| match &values[*i] {
        Value::Known { node, .. } => checks.iter().all(|c| matches!(c.eval(cx, view, *node), Outcome::Pass)),
        _ => false,
    });
    kept.then_some(Record {
        unit,
        given: hit.node,
        values,
    })
}

/// Follows `field` below `from`, keeping the places that used the value.
fn navigate_via(view: &View<'_>, from: NodeRef, field: &Field, via: &mut Vec<Label>) -> Nav {
    let mut cur = from;
    for name in &field.names {
        match view.member(cur, name, via) {
            None => return Nav::Missing(cur),
            Some(crate::effective::Resolved::Unknown) => return Nav::Unknown,
            Some(crate::effective::Resolved::Node(r)) => cur = r,
        }
    }
    Nav::Found(cur)
}

fn known<'ws>(ws: &'ws Workspace, node: NodeRef, via: Arc<[Label]>) -> Value<'ws> {
    // A value an expression computed lives only in its unit's view: unknown here.
    if node.file >= ws.len() {
        return Value::Unknown;
    }
    let doc = ws.doc_of(node);
    let text = ws.text(node.file);
    let (key, shown) = match doc.node(node.node).kind {
        crate::json::Kind::Array | crate::json::Kind::Object => {
            let value = crate::rules::to_value(doc, text, node.node);
            (None, Cow::Owned(value.to_string()))
        }
        _ => {
            let shown = scalar_value(ws, node);
            let lower = shown
                .bytes()
                .any(|b| b.is_ascii_uppercase())
                .then(|| shown.to_ascii_lowercase());
            (lower, shown)
        }
    };
    Value::Known {
        node,
        key,
        text: shown,
        via,
    }
}

/// A scalar's text as messages show it (a string decoded and trimmed);
/// borrowed from the source unless the string has escapes.
fn scalar_value(ws: &Workspace, node: NodeRef) -> Cow<'_, str> {
    let doc = ws.doc_of(node);
    match doc.node(node.node).kind {
        crate::json::Kind::String => match ws.str(node) {
            Some(Cow::Borrowed(s)) => Cow::Borrowed(s.trim()),
            Some(Cow::Owned(s)) => Cow::Owned(s.trim().to_string()),
            None => Cow::Borrowed(""),
        },
        _ => Cow::Borrowed(doc.raw(ws.text(node.file), node.node)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_numerically() {
        assert!(version("1.10.0") > version("1.9.3"));
        assert_eq!(version("x.1"), None);
        assert_eq!(version("2.0.0"), Some(vec![2, 0, 0]));
    }
}

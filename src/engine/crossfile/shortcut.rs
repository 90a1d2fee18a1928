//! Answers to an expectation that take constant time per subject, instead of
//! a pass over the related records: a thousand onboardings of one provider
//! would otherwise compare half a million pairs per shared value.
//!
//! Each answer gives what [`check`](super::check) gives; the tests below hold
//! them to it on random records.

use super::{
    Expectation, FieldPair, Group, PairCond, Pairing, Quantifier, Record, Related, Relation, Units, Verdict, check,
    compared, pair_holds,
};

/// A faster answer to one expectation, prepared per join group.
pub(super) enum Shortcut<'r> {
    /// `every` + one `equal` field over earlier units.
    Every(Vec<EveryEqual>),
    /// `some` or `none` + `equal` fields; also for the single-file fallback group.
    Lookup {
        fields: Vec<FieldPair>,
        by_group: Vec<Lookup<'r>>,
        single_file: Lookup<'r>,
    },
}

impl<'r> Shortcut<'r> {
    /// The shortcut for `e`, when one applies: never with `unmatched-by` (its
    /// records take part or not one by one).
    pub(super) fn new(
        relation: &Relation,
        e: &Expectation,
        groups: &[Group],
        single_file: &Group,
        others: &'r [Record],
        units: &Units<'_>,
    ) -> Option<Shortcut<'r>> {
        let PairCond::Equal(fields) = &e.pair else {
            return None;
        };
        if !relation.unmatched_by.is_empty() {
            return None;
        }
        match (e.quantifier, relation.pairing) {
            (Quantifier::Every, Pairing::EarlierUnit) if fields.len() == 1 => Some(Shortcut::Every(
                groups.iter().map(|g| EveryEqual::of(g, others, fields[0])).collect(),
            )),
            (Quantifier::Every, _) | (_, Pairing::PreviousVersion) => None,
            (Quantifier::Some | Quantifier::None, _) => Some(Shortcut::Lookup {
                fields: fields.clone(),
                by_group: groups.iter().map(|g| Lookup::of(g, others, fields, units)).collect(),
                single_file: Lookup::of(single_file, others, fields, units),
            }),
        }
    }

    /// The verdict for subject `s` over `related` (of join group `group`, or
    /// of the single-file group when `None`).
    pub(super) fn verdict(
        &self,
        e: &Expectation,
        group: Option<usize>,
        s: &Record,
        others: &[Record],
        related: &Related<'_>,
    ) -> Verdict {
        match (self, group) {
            (Shortcut::Every(by_group), Some(g)) => by_group[g].verdict(s, others, related),
            (Shortcut::Every(_), None) => check(e, s, others, related),
            (
                Shortcut::Lookup {
                    fields,
                    by_group,
                    single_file,
                },
                g,
            ) => g
                .map_or(single_file, |g| &by_group[g])
                .verdict(fields, e, s, others, related),
        }
    }
}

/// "Every earlier related record has an equal `field`", for one join group.
pub(super) struct EveryEqual {
    /// The field compared (subject's and other's index).
    field: FieldPair,
    /// Position (in the group's members) of the first record whose value is
    /// known or missing, and of the first after it with another value.
    first: Option<usize>,
    first_change: Option<usize>,
}

impl EveryEqual {
    fn of(group: &Group, others: &[Record], field: FieldPair) -> EveryEqual {
        let value = |p: usize| compared(&others[group.members[p]], field.other);
        let first = (0..group.members.len()).find(|&p| value(p).is_some());
        let first_change = first.and_then(|first| {
            let base = value(first);
            (first + 1..group.members.len()).find(|&p| value(p).is_some_and(|v| Some(v) != base))
        });
        EveryEqual {
            field,
            first,
            first_change,
        }
    }

    /// The first related record (an earlier unit's) whose value differs.
    fn verdict(&self, s: &Record, others: &[Record], related: &Related<'_>) -> Verdict {
        let Some(mine) = compared(s, self.field.subject) else {
            return Verdict::Pass;
        };
        let group = related.group;
        // Related records are the members of the blocks of earlier units.
        let blocks = group
            .blocks
            .partition_point(|b| others[group.members[b.start]].unit < s.unit);
        let related_end = blocks.checked_sub(1).map_or(0, |b| group.blocks[b].end);
        let differs = |p: usize| compared(&others[group.members[p]], self.field.other) != Some(mine);
        let at = match self.first {
            Some(first) if differs(first) => Some(first),
            _ => self.first_change,
        };
        match at {
            Some(at) if at < related_end => Verdict::Fail(group.members[at]),
            _ => Verdict::Pass,
        }
    }
}

/// "Some (or no) related record has equal `fields`", for one join group: its
/// records by the values of the fields.
pub(super) struct Lookup<'r> {
    by_values: foldhash::HashMap<Vec<Option<&'r str>>, Firsts>,
    /// Records with an unknown value in one of the fields (they compare as unknown or unequal).
    partly_unknown: Vec<usize>,
}

/// The records with the same values that any pairing's first related record
/// is among: the first, the second, and the first from another unit and from
/// another root file (members are in unit order).
#[derive(Clone, Copy)]
struct Firsts {
    first: usize,
    second: Option<usize>,
    other_unit: Option<usize>,
    other_root: Option<usize>,
}

impl<'r> Lookup<'r> {
    fn of(group: &Group, others: &'r [Record], fields: &[FieldPair], units: &Units<'_>) -> Lookup<'r> {
        let root = |oi: usize| units.get(others[oi].unit).root;
        let mut lookup = Lookup {
            by_values: foldhash::HashMap::default(),
            partly_unknown: Vec::new(),
        };
        for &oi in &group.members {
            let o = &others[oi];
            let Some(values) = fields.iter().map(|f| compared(o, f.other)).collect() else {
                lookup.partly_unknown.push(oi);
                continue;
            };
            let firsts = lookup.by_values.entry(values).or_insert(Firsts {
                first: oi,
                second: None,
                other_unit: None,
                other_root: None,
            });
            let first = &others[firsts.first];
            firsts.second = firsts.second.or((oi != firsts.first).then_some(oi));
            firsts.other_unit = firsts.other_unit.or((o.unit != first.unit).then_some(oi));
            firsts.other_root = firsts.other_root.or((root(oi) != root(firsts.first)).then_some(oi));
        }
        lookup
    }

    fn verdict(
        &self,
        fields: &[FieldPair],
        e: &Expectation,
        s: &Record,
        others: &[Record],
        related: &Related<'_>,
    ) -> Verdict {
        let Some(mine) = fields
            .iter()
            .map(|f| compared(s, f.subject))
            .collect::<Option<Vec<_>>>()
        else {
            // An unknown value of the subject's: each pair decides on its other fields.
            return check(e, s, others, related);
        };
        let equal = self
            .by_values
            .get(&mine)
            .and_then(|firsts| first_related(firsts, s, others, related));
        match (e.quantifier, equal) {
            (Quantifier::None, Some(oi)) => Verdict::Fail(oi),
            (Quantifier::None, None) | (Quantifier::Some, Some(_)) => Verdict::Pass,
            (Quantifier::Some, None) => {
                let unknown = self
                    .partly_unknown
                    .iter()
                    .any(|&oi| related.contains(oi) && pair_holds(&e.pair, s, &others[oi]).is_none());
                match related.iter().next() {
                    _ if unknown => Verdict::Unknown,
                    Some(oi) => Verdict::Fail(oi),
                    None => Verdict::Pass,
                }
            }
            (Quantifier::Every, _) => check(e, s, others, related),
        }
    }
}

/// The first record (in member order) with these values that is related to `s`.
fn first_related(firsts: &Firsts, s: &Record, others: &[Record], related: &Related<'_>) -> Option<usize> {
    let units: &Units<'_> = related.units;
    let root = |oi: usize| units.get(others[oi].unit).root;
    let first = firsts.first;
    let (first_unit, my_root) = (others[first].unit, units.get(s.unit).root);
    let found = match related.pairing {
        Pairing::Any if Some(first) == related.excluded => firsts.second,
        Pairing::Any => Some(first),
        Pairing::OtherUnit if first_unit != s.unit => Some(first),
        Pairing::OtherUnit => firsts.other_unit,
        Pairing::EarlierUnit => Some(first),
        Pairing::OtherTemplate | Pairing::EarlierTemplate if root(first) != my_root => Some(first),
        Pairing::OtherTemplate | Pairing::EarlierTemplate => firsts.other_root,
        Pairing::PreviousVersion => return None,
    };
    found.filter(|&oi| related.contains(oi))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::super::Value;
    use super::*;
    use crate::effective::Unit;
    use crate::workspace::{FileKind, NodeRef};

    /// A xorshift generator: the same records on every run.
    struct Random(u64);

    impl Random {
        fn below(&mut self, n: u64) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0 % n
        }

        fn value(&mut self) -> Value<'static> {
            match self.below(7) {
                0 => Value::Unknown,
                1 => Value::Missing,
                k => Value::Known {
                    node: NodeRef { file: 0, node: 0 },
                    key: None,
                    text: std::borrow::Cow::Borrowed(["a", "b", "c", "A", "a"][k as usize - 2]),
                    via: Arc::from(Vec::new()),
                },
            }
        }

        /// Records in unit order, as the units are linted.
        fn records(&mut self, fields: usize) -> Vec<Record<'static>> {
            let n = 1 + self.below(30) as usize;
            let mut records: Vec<Record> = (0..n)
                .map(|_| Record {
                    unit: self.below(6) as usize,
                    given: NodeRef { file: 0, node: 0 },
                    values: (0..fields).map(|_| self.value()).collect(),
                })
                .collect();
            records.sort_by_key(|r| r.unit);
            records
        }
    }

    fn expectation(quantifier: Quantifier, fields: usize) -> Expectation {
        Expectation {
            quantifier,
            pair: PairCond::Equal((0..fields).map(|i| FieldPair { subject: i, other: i }).collect()),
            at: 0,
            related: None,
            message: None,
            label: None,
            related_label: None,
            severity: None,
        }
    }

    /// Compares each shortcut's verdict with [`check`]'s on random records:
    /// subjects compared with each other or with another source, units that
    /// share root files, unknown and missing values; returns the findings.
    fn agree(quantifier: Quantifier, pairing: Pairing, rounds: usize) -> usize {
        let mut random = Random(0x9e37_79b9_7f4a_7c15 ^ pairing as u64);
        // Six units over three root files.
        let current: Vec<Unit> = (0..6)
            .map(|u| Unit {
                kind: FileKind::Template,
                root: u % 3,
                params: None,
                one_of_several: false,
            })
            .collect();
        let units = Units {
            current: &current,
            previous: &[],
        };
        let mut fails = 0;
        for round in 0..rounds {
            let fields = if quantifier == Quantifier::Every {
                1
            } else {
                1 + round % 2
            };
            let e = expectation(quantifier, fields);
            let relation = Relation {
                subjects: source(),
                others: None,
                pairing,
                join: Vec::new(),
                fallback_single_file: false,
                unmatched_by: Vec::new(),
                expect: Vec::new(),
            };
            let same = round % 3 != 0;
            let others = random.records(fields);
            let subjects = if same { Vec::new() } else { random.records(fields) };
            let subjects = if same { &others } else { &subjects };
            let group = Group::of(&others, 0..others.len());
            let groups = [group];
            let Some(shortcut) = Shortcut::new(&relation, &e, &groups, &Group::default(), &others, &units) else {
                panic!("no shortcut for {quantifier:?} over {pairing:?}");
            };
            let lonely = vec![true; others.len()];
            for (si, s) in subjects.iter().enumerate() {
                let related = Related {
                    group: &groups[0],
                    pairing,
                    units: &units,
                    subject: s,
                    others: &others,
                    excluded: same.then_some(si),
                    lonely: &lonely,
                };
                let slow = check(&e, s, &others, &related);
                fails += usize::from(matches!(slow, Verdict::Fail(_)));
                let fast = shortcut.verdict(&e, Some(0), s, &others, &related);
                assert_eq!(fast, slow, "round {round}, subject {si}");
            }
        }
        fails
    }

    fn source() -> super::super::Source {
        super::super::Source {
            applies_to: Vec::new(),
            selectors: Vec::new(),
            when: Vec::new(),
            fields: Vec::new(),
            where_: Vec::new(),
            previous: false,
        }
    }

    #[test]
    fn every_equal_agrees_with_the_pass_over_related_records() {
        assert!(agree(Quantifier::Every, Pairing::EarlierUnit, 600) > 100);
    }

    #[test]
    fn some_and_none_agree_with_the_pass_over_related_records() {
        let pairings = [
            Pairing::Any,
            Pairing::OtherUnit,
            Pairing::EarlierUnit,
            Pairing::OtherTemplate,
            Pairing::EarlierTemplate,
        ];
        for quantifier in [Quantifier::Some, Quantifier::None] {
            for pairing in pairings {
                let fails = agree(quantifier, pairing, 600);
                assert!(fails > 100, "{quantifier:?} {pairing:?}: {fails} findings");
            }
        }
    }

    #[test]
    fn no_shortcut_with_unmatched_by_or_for_previous_versions() {
        let groups = [Group::default()];
        let units = Units {
            current: &[],
            previous: &[],
        };
        let mut relation = Relation {
            subjects: source(),
            others: None,
            pairing: Pairing::PreviousVersion,
            join: Vec::new(),
            fallback_single_file: false,
            unmatched_by: Vec::new(),
            expect: Vec::new(),
        };
        let some = expectation(Quantifier::Some, 1);
        assert!(Shortcut::new(&relation, &some, &groups, &Group::default(), &[], &units).is_none());
        relation.pairing = Pairing::Any;
        assert!(Shortcut::new(&relation, &some, &groups, &Group::default(), &[], &units).is_some());
        relation.unmatched_by = vec![FieldPair { subject: 0, other: 0 }];
        assert!(Shortcut::new(&relation, &some, &groups, &Group::default(), &[], &units).is_none());
    }
}

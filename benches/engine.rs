//! Per-file costs: parsing, loading a unit (read + parse + classify + pair),
//! and a full check of one template with its parameters file.
//! The whole-tree benchmark against the parse floor is `bench/run.py`.

use std::path::PathBuf;

use criterion::{Criterion, criterion_group, criterion_main};
use lhlint::catalog::Principals;
use lhlint::config::{Mode, Overrides, Resolver};
use lhlint::lint::{CheckInput, check};

const TEMPLATE: &str = include_str!("../fixtures/rules/LH042/fail/subscription.json");
const PARAMETERS: &str = include_str!("../fixtures/rules/LH042/fail/subscription.parameters.json");
const LARGE: &str =
    include_str!("../fixtures/lighthouse-samples/tools/multi-tenant-arm-analytics-solution/armAnalytics.json");

fn parse(c: &mut Criterion) {
    c.bench_function("parse/template", |b| {
        b.iter(|| lhlint::json::parse(std::hint::black_box(TEMPLATE)))
    });
    c.bench_function("parse/parameters", |b| {
        b.iter(|| lhlint::json::parse(std::hint::black_box(PARAMETERS)))
    });
    c.bench_function("parse/large-56k", |b| {
        b.iter(|| lhlint::json::parse(std::hint::black_box(LARGE)))
    });
}

fn expressions(c: &mut Criterion) {
    let expr = "[guid(concat(parameters('mspOfferName'), '-', parameters('tiers')[copyIndex()].name))]";
    c.bench_function("expression/parse", |b| {
        b.iter(|| lhlint::arm::parse(std::hint::black_box(expr)))
    });
}

fn rules(c: &mut Criterion) {
    let mut rules = lhlint::rules::load(&[], &[], &[]).expect("built-in rules load");
    c.bench_function("rules/load-and-compile", |b| {
        b.iter(|| lhlint::rules::load(&[], &[], &[]).unwrap())
    });
    let principals = Principals::default();
    let resolver = Resolver::new(Mode::Isolated);
    let overrides = Overrides::default();
    let paths = vec![PathBuf::from("fixtures/rules/LH042/fail/subscription.json")];
    let input = CheckInput::new(paths, &principals, &resolver, &overrides);
    c.bench_function("check/template-with-parameters", |b| {
        b.iter(|| check(&input, &mut rules).ok().unwrap())
    });
}

criterion_group!(benches, parse, expressions, rules);
criterion_main!(benches);

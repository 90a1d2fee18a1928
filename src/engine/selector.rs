//! Selectors: the subset of RFC 9535 JSONPath that rules use, lowered into steps.
//!
//! Paths are parsed once, at rule-load time, with jsonpath-rust's parser and
//! lowered into [`Step`]s that the single-walk engine ([`super::trie`]) runs.
//! Supported: `$`, `.name` / `['name']`, `[n]` (negative counts from the end),
//! `*`, `..name`, `..*`, `..[?…]`, and filters `[?…]` built from `@.path`
//! existence tests and `==` / `!=` comparisons with literals, `&&`, `||`, `!`.
//! Name and string comparisons ignore ASCII case, as ARM does.

mod fast;

use jsonpath_rust::parser::model::{
    Comparable, Comparison, Filter, FilterAtom, Literal, Segment, Selector, SingularQuery, SingularQuerySegment, Test,
};

/// One step of a compiled selector.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Step {
    /// A member of an object, by name.
    Name(String),
    /// An array element; negative indexes count from the end.
    Index(i64),
    /// Every member value or element.
    Wildcard,
    /// Every member value or element for which the predicate holds.
    Filter(Pred),
    /// The inner step, applied at any depth below the current node.
    Descendant(Box<Step>),
}

/// A filter predicate over the candidate node (`@`).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Pred {
    /// `@.a.b` exists.
    Exists(Vec<PathSeg>),
    /// `@.a.b == literal` (or `!=` when `equal` is false).
    Compare {
        path: Vec<PathSeg>,
        equal: bool,
        value: Lit,
    },
    And(Vec<Pred>),
    Or(Vec<Pred>),
    Not(Box<Pred>),
}

/// A step of a relative path inside a filter.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum PathSeg {
    Name(String),
    Index(i64),
}

/// A literal in a filter comparison.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Lit {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
}

/// Parses a JSONPath and lowers it; the error says what is not supported.
pub fn compile(path: &str) -> Result<Vec<Step>, String> {
    // Rules share most paths (through aliases), and parsing one with
    // jsonpath-rust's parser costs tens of microseconds: each path is parsed
    // once per process. Paths longer than this are not kept.
    const CACHED_LEN: usize = 512;
    if path.len() > CACHED_LEN {
        return compile_uncached(path);
    }
    let mut cache = compile_cache().lock().unwrap_or_else(|e| e.into_inner());
    cache
        .get_or_insert_with(Default::default)
        .entry(path.to_string())
        .or_insert_with(|| compile_uncached(path))
        .clone()
}

type Compiled = std::collections::HashMap<String, Result<Vec<Step>, String>>;

/// Compiled paths, by path, for the whole process.
fn compile_cache() -> &'static std::sync::Mutex<Option<Compiled>> {
    static CACHE: std::sync::Mutex<Option<Compiled>> = std::sync::Mutex::new(None);
    &CACHE
}

/// Every path compiled so far in this process (the tests compare parsers on them).
#[cfg(test)]
fn compiled_paths() -> Vec<String> {
    let cache = compile_cache().lock().unwrap_or_else(|e| e.into_inner());
    cache.as_ref().map(|c| c.keys().cloned().collect()).unwrap_or_default()
}

fn compile_uncached(path: &str) -> Result<Vec<Step>, String> {
    if let Some(steps) = fast::parse(path) {
        return Ok(steps);
    }
    compile_with_jsonpath_rust(path)
}

/// Parses with jsonpath-rust and lowers its model: the reference for
/// [`fast::parse`], and the parser of whatever that declines.
fn compile_with_jsonpath_rust(path: &str) -> Result<Vec<Step>, String> {
    let query = jsonpath_rust::parser::parse_json_path(path).map_err(|e| parse_error(&e.to_string()))?;
    let mut steps = Vec::new();
    for segment in &query.segments {
        steps.extend(lower_segment(segment)?);
    }
    Ok(steps)
}

/// Shortens the parser's error: pest's message echoes the whole path (which
/// can be megabytes long); keep its position and what it expected.
fn parse_error(text: &str) -> String {
    let position = text
        .lines()
        .find_map(|l| l.find("--> ").map(|i| &l[i + 4..]))
        .and_then(|p| p.split(':').nth(1));
    let expected = text.lines().find_map(|l| l.trim().strip_prefix("= "));
    match (position, expected) {
        (Some(column), Some(expected)) => format!("invalid JSONPath at column {column}: {expected}"),
        _ => format!(
            "invalid JSONPath: {}",
            super::checks::display(&text.lines().collect::<Vec<_>>().join(" "))
        ),
    }
}

/// Compiles a filter expression on its own (`@.a == 'x' && @.b`).
pub fn compile_filter(expression: &str) -> Result<Pred, String> {
    match compile(&format!("$[?{expression}]"))?.as_slice() {
        [Step::Filter(pred)] => Ok(pred.clone()),
        _ => Err("expected one filter expression, such as @.accessType == 'eligible'".into()),
    }
}

fn lower_segment(segment: &Segment) -> Result<Vec<Step>, String> {
    match segment {
        Segment::Selector(sel) => Ok(vec![lower_selector(sel)?]),
        Segment::Selectors(sels) if sels.len() == 1 => Ok(vec![lower_selector(&sels[0])?]),
        Segment::Selectors(_) => Err("unions of selectors ([a,b]) are not supported: list two paths in `given`".into()),
        Segment::Descendant(inner) => {
            let inner = lower_segment(inner)?;
            match <[Step; 1]>::try_from(inner) {
                Ok([step]) => Ok(vec![Step::Descendant(Box::new(step))]),
                Err(_) => Err("a descendant segment (..) must be followed by one selector".into()),
            }
        }
    }
}

fn lower_selector(sel: &Selector) -> Result<Step, String> {
    match sel {
        Selector::Name(name) => Ok(Step::Name(unquote(name))),
        Selector::Wildcard => Ok(Step::Wildcard),
        Selector::Index(i) => Ok(Step::Index(*i)),
        Selector::Slice(..) => Err("slices ([a:b]) are not supported".into()),
        Selector::Filter(filter) => Ok(Step::Filter(lower_filter(filter)?)),
    }
}

/// jsonpath-rust keeps the quotes of bracketed names (`['a']`); drop them.
fn unquote(name: &str) -> String {
    let trimmed = name.trim();
    for q in ['\'', '"'] {
        if trimmed.len() >= 2 && trimmed.starts_with(q) && trimmed.ends_with(q) {
            return trimmed[1..trimmed.len() - 1].to_string();
        }
    }
    trimmed.to_string()
}

fn lower_filter(filter: &Filter) -> Result<Pred, String> {
    match filter {
        Filter::Or(items) => Ok(Pred::Or(items.iter().map(lower_filter).collect::<Result<_, _>>()?)),
        Filter::And(items) => Ok(Pred::And(items.iter().map(lower_filter).collect::<Result<_, _>>()?)),
        Filter::Atom(atom) => lower_atom(atom),
    }
}

fn lower_atom(atom: &FilterAtom) -> Result<Pred, String> {
    let negate = |p: Pred, not: bool| if not { Pred::Not(Box::new(p)) } else { p };
    match atom {
        FilterAtom::Filter { expr, not } => Ok(negate(lower_filter(expr)?, *not)),
        FilterAtom::Test { expr, not } => match expr.as_ref() {
            Test::RelQuery(segments) => Ok(negate(Pred::Exists(relative_path(segments)?), *not)),
            _ => Err("only relative existence tests (@.name) are supported in filters".into()),
        },
        FilterAtom::Comparison(cmp) => {
            let (equal, left, right) = match cmp.as_ref() {
                Comparison::Eq(l, r) => (true, l, r),
                Comparison::Ne(l, r) => (false, l, r),
                _ => return Err("only == and != comparisons are supported in filters".into()),
            };
            let (path, value) = match (left, right) {
                (Comparable::SingularQuery(q), Comparable::Literal(l))
                | (Comparable::Literal(l), Comparable::SingularQuery(q)) => (singular_path(q)?, lower_literal(l)),
                _ => return Err("a filter comparison needs @.path on one side and a literal on the other".into()),
            };
            Ok(Pred::Compare { path, equal, value })
        }
    }
}

fn singular_path(q: &SingularQuery) -> Result<Vec<PathSeg>, String> {
    match q {
        SingularQuery::Current(segs) => Ok(segs
            .iter()
            .map(|s| match s {
                SingularQuerySegment::Name(n) => PathSeg::Name(unquote(n)),
                SingularQuerySegment::Index(i) => PathSeg::Index(*i),
            })
            .collect()),
        SingularQuery::Root(_) => Err("filters cannot refer to the root ($); use @".into()),
    }
}

fn relative_path(segments: &[Segment]) -> Result<Vec<PathSeg>, String> {
    segments
        .iter()
        .map(|s| match s {
            Segment::Selector(Selector::Name(n)) => Ok(PathSeg::Name(unquote(n))),
            Segment::Selector(Selector::Index(i)) => Ok(PathSeg::Index(*i)),
            _ => Err("existence tests support only names and indexes (@.a.b[0])".to_string()),
        })
        .collect()
}

fn lower_literal(l: &Literal) -> Lit {
    match l {
        Literal::Int(i) => Lit::Num(*i as f64),
        Literal::Float(f) => Lit::Num(*f),
        Literal::String(s) => Lit::Str(unquote(s)),
        Literal::Bool(b) => Lit::Bool(*b),
        Literal::Null => Lit::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowers_names_filters_and_descendants() {
        let steps = compile(
            "$..resources[?@.type == 'Microsoft.ManagedServices/registrationDefinitions'].properties.authorizations[*]",
        )
        .unwrap();
        assert_eq!(
            steps,
            vec![
                Step::Descendant(Box::new(Step::Name("resources".into()))),
                Step::Filter(Pred::Compare {
                    path: vec![PathSeg::Name("type".into())],
                    equal: true,
                    value: Lit::Str("Microsoft.ManagedServices/registrationDefinitions".into())
                }),
                Step::Name("properties".into()),
                Step::Name("authorizations".into()),
                Step::Wildcard,
            ]
        );
    }

    #[test]
    fn bracketed_names_and_indexes() {
        assert_eq!(compile("$['$schema']").unwrap(), vec![Step::Name("$schema".into())]);
        assert_eq!(
            compile("$.a[-1]").unwrap(),
            vec![Step::Name("a".into()), Step::Index(-1)]
        );
    }

    #[test]
    fn filters_with_logic_and_existence() {
        let steps = compile("$.a[?@.x && !@.y || @.z != 1]").unwrap();
        assert!(matches!(&steps[1], Step::Filter(Pred::Or(_))));
    }

    #[test]
    fn filter_expressions_compile_alone() {
        assert!(matches!(
            compile_filter("@.accessType == 'eligible'"),
            Ok(Pred::Compare { .. })
        ));
        assert!(compile_filter("@.a] .b[?@.c").is_err());
        assert!(compile_filter("@.a > 1").is_err());
    }

    #[test]
    fn the_fast_parser_agrees_with_jsonpath_rust() {
        let tricky = [
            "$",
            "$.a",
            "$.a.b[*]",
            "$..a",
            "$..*",
            "$..[?@.x]",
            "$['$schema']",
            "$[\"a b\"]",
            "$.a[-1]",
            "$.a[0]",
            "$.a[01]",
            "$.a[-0]",
            "$.a[1234567890123456]",
            "$.a[*].b",
            "$.*",
            "$.a_1.B2",
            "$.1a",
            "$.é",
            "$. a",
            "$.a[?@.type == 'x']",
            "$.a[?'x' == @.type]",
            "$.a[?@.t != \"x\"]",
            "$.a[?@.x && !@.y || @.z != 1]",
            "$.a[?!(@.x == 1 || @.y)]",
            "$.a[?(@.x)]",
            "$.a[?@.x == -0]",
            "$.a[?@.x == 1.5]",
            "$.a[?@.x == 1e3]",
            "$.a[?@.x == 01]",
            "$.a[?@.x == true]",
            "$.a[?@.x == null]",
            "$.a[?@.x == false && @.y != null]",
            "$.a[?@['b'].c[0] == 'x']",
            "$.a[?@ == 'x']",
            "$.a[?@]",
            "$.a[?@.x > 1]",
            "$.a[?@.x >= 1]",
            "$.a[?@.x<1]",
            "$.a[?!@.x]",
            "$.a[? @.x ]",
            "$.a[?@.x=='a']",
            "$.a[?@.x == 'it''s']",
            "$.a[?@.x == 'a\\'b']",
            "$.a[?@.x == $.y]",
            "$.a[?@..x]",
            "$.a[?@.*]",
            "$.a[?length(@.x) == 1]",
            "$.a['b','c']",
            "$.a[0:2]",
            "$.a[",
            "$.a]",
            "$a",
            "",
            "$.a[?@.x == 'a' || @.y == 'b' && @.z]",
            "$.a[?@.x == 'é']",
            "$.a[?@.x == \"'\"]",
            "$.a[?(@.x == 1) && (@.y == 2)]",
            "$.a[?!@.x == 1]",
        ];
        let mut paths: Vec<String> = tricky.iter().map(|s| s.to_string()).collect();
        // Compiled from the rule files (loading reads the stored rule set).
        crate::rules::compile_builtin();
        let builtin = compiled_paths();
        paths.extend(builtin.iter().cloned());
        for path in &paths {
            if let Some(steps) = fast::parse(path) {
                assert_eq!(Ok(steps), compile_with_jsonpath_rust(path), "{path}");
            }
        }
        // Every built-in path takes the fast way (start-up time). The cache is
        // the process's, so it also holds other tests' paths: those the fast
        // parser declines must be ones that lhlint rejects anyway.
        let declined: Vec<&String> = builtin
            .iter()
            .filter(|p| fast::parse(p).is_none() && compile_with_jsonpath_rust(p).is_ok())
            .collect();
        assert!(
            builtin.len() > 50 && declined.is_empty(),
            "{} paths, declined: {declined:?}",
            builtin.len()
        );
    }

    #[test]
    fn rejects_unsupported_constructs() {
        assert!(compile("$.a[0:2]").unwrap_err().contains("slices"));
        assert!(compile("$.a[?@.b > 1]").unwrap_err().contains("=="));
        assert!(compile("$.a[").unwrap_err().starts_with("invalid JSONPath"));
        let long = format!("$[?{}@.a]", "!".repeat(10_000));
        assert_eq!(
            compile(&long).unwrap_err(),
            "invalid JSONPath at column 5: expected test"
        );
    }
}

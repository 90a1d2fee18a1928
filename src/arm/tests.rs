//! Tests for classification and evaluation, using a fake node store.

use super::toy::{ToyNode, ToyNodes};
use super::*;

type V = Value<usize>;

#[derive(Default)]
struct Ctx {
    nodes: ToyNodes,
    params: Vec<(String, V)>,
    vars: Vec<(String, V)>,
    loops: Vec<(Option<String>, i64)>,
    materialized: usize,
}

impl Ctx {
    /// Stores an owned value as a tree of nodes; returns the root handle.
    fn store(&mut self, v: V) -> usize {
        self.nodes.store(v)
    }

    fn param_node(&mut self, name: &str, v: V) -> usize {
        let h = self.store(v);
        self.params.push((name.into(), Value::Node(h)));
        h
    }
}

fn find(list: &[(String, V)], name: &str) -> Option<V> {
    list.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.clone())
}

impl Context for Ctx {
    type Handle = usize;

    fn parameter(&mut self, name: &str) -> Option<V> {
        find(&self.params, name)
    }

    fn variable(&mut self, name: &str) -> Option<V> {
        find(&self.vars, name)
    }

    fn copy_index(&self, loop_name: Option<&str>) -> Option<i64> {
        self.loops
            .iter()
            .find(|(n, _)| n.as_deref() == loop_name)
            .map(|(_, i)| *i)
    }

    fn member(&mut self, h: usize, name: &str) -> Option<V> {
        self.nodes.member(h, name)
    }

    fn element(&mut self, h: usize, index: usize) -> Option<V> {
        self.nodes.element(h, index)
    }

    fn materialize(&mut self, h: usize) -> V {
        self.materialized += 1;
        self.nodes.owned(h)
    }
}

fn run(ctx: &mut Ctx, s: &str) -> (V, Vec<EvalError>) {
    let expr = match parse(s) {
        Ok(e) => e,
        Err(e) => panic!("{s}: {e}"),
    };
    let mut errors = Vec::new();
    let v = eval(&expr, ctx, &mut errors);
    (v, errors)
}

/// Evaluates with an empty context, asserting no errors.
fn val(s: &str) -> V {
    let (v, errors) = run(&mut Ctx::default(), s);
    assert!(errors.is_empty(), "{s}: {errors:?}");
    v
}

/// Evaluates with an empty context, expecting exactly one error.
fn fails(s: &str) -> EvalError {
    let (v, mut errors) = run(&mut Ctx::default(), s);
    assert_eq!(v, Value::Unknown, "{s}");
    assert_eq!(errors.len(), 1, "{s}: {errors:?}");
    errors.remove(0)
}

fn st(s: &str) -> V {
    Value::Str(s.into())
}

fn obj(props: &[(&str, V)]) -> V {
    Value::Object(props.iter().map(|(k, v)| (k.to_string(), v.clone())).collect())
}

fn arr(items: &[V]) -> V {
    Value::Array(items.to_vec())
}

fn mismatch(e: &EvalError) -> bool {
    matches!(e.kind, EvalErrorKind::TypeMismatch(_))
}

// ---- classify ----

#[test]
fn classify_strings() {
    use std::borrow::Cow;
    assert_eq!(classify("hello"), StringKind::Literal(Cow::Borrowed("hello")));
    assert_eq!(classify("[concat('a')]"), StringKind::Expression("[concat('a')]"));
    assert_eq!(classify("[]"), StringKind::Expression("[]"));
    assert_eq!(
        classify("[[not an expr]"),
        StringKind::Literal(Cow::Borrowed("[not an expr]"))
    );
    assert_eq!(classify("[[]"), StringKind::Literal(Cow::Borrowed("[]")));
    // Not ending with ']': a literal, kept unchanged.
    assert_eq!(classify("[[abc"), StringKind::Literal(Cow::Borrowed("[[abc")));
    assert_eq!(classify("[abc"), StringKind::Literal(Cow::Borrowed("[abc")));
    // No trimming.
    assert_eq!(classify(" [a()]"), StringKind::Literal(Cow::Borrowed(" [a()]")));
    assert_eq!(classify("[a()] "), StringKind::Literal(Cow::Borrowed("[a()] ")));
    assert_eq!(classify(""), StringKind::Literal(Cow::Borrowed("")));
}

// ---- parameters, variables and node handles ----

#[test]
fn parameter_node_handles_survive_member_and_index() {
    let mut ctx = Ctx::default();
    let root = ctx.param_node(
        "cfg",
        obj(&[("Items", arr(&[obj(&[("name", st("a"))]), obj(&[("name", st("b"))])]))]),
    );
    let (v, errors) = run(&mut ctx, "[parameters('cfg')]");
    assert_eq!(v, Value::Node(root));
    assert!(errors.is_empty());
    let (v, errors) = run(&mut ctx, "[parameters('CFG').items[1].NAME]");
    assert!(errors.is_empty());
    let Value::Node(h) = v else { panic!("{v:?}") };
    assert!(matches!(ctx.nodes.nodes.get(h), Some(ToyNode::Leaf(Value::Str(s))) if s == "b"));
    let (v, _) = run(&mut ctx, "[parameters('cfg')['items'][0]['name']]");
    assert!(matches!(v, Value::Node(_)));
    assert_eq!(ctx.materialized, 0, "member/index access must not materialize");
}

#[test]
fn undeclared_parameter_points_at_name_literal() {
    let s = "[concat('x', parameters('nope'))]";
    let e = fails(s);
    assert_eq!(e.kind, EvalErrorKind::UndeclaredParameter("nope".into()));
    assert_eq!(&s[e.span.start as usize..e.span.end as usize], "'nope'");
}

#[test]
fn undeclared_variable() {
    let s = "[variables('v1')]";
    let e = fails(s);
    assert_eq!(e.kind, EvalErrorKind::UndeclaredVariable("v1".into()));
    assert_eq!(e.span, 11..15);
}

#[test]
fn variables_and_computed_names() {
    let mut ctx = Ctx::default();
    ctx.vars.push(("ab".into(), Value::Int(7)));
    ctx.params.push(("p".into(), st("x")));
    assert_eq!(run(&mut ctx, "[variables(concat('a', 'b'))]").0, Value::Int(7));
    assert_eq!(run(&mut ctx, "[parameters('P')]").0, st("x"));
    let (v, errors) = run(&mut ctx, "[variables(utcNow())]");
    assert_eq!((v, errors.len()), (Value::Unknown, 0));
    assert!(mismatch(&fails("[parameters(1)]")));
}

#[test]
fn member_and_index_errors() {
    let mut ctx = Ctx::default();
    ctx.param_node("o", obj(&[("a", arr(&[Value::Int(1)]))]));
    let s = "[parameters('o').missing]";
    let (v, errors) = run(&mut ctx, s);
    assert_eq!(v, Value::Unknown);
    assert_eq!(errors[0].kind, EvalErrorKind::NoSuchMember("missing".into()));
    assert_eq!(errors[0].span, 1..24);
    let (_, errors) = run(&mut ctx, "[parameters('o').a[3]]");
    assert!(matches!(errors[0].kind, EvalErrorKind::IndexOutOfRange(_)));
    let (_, errors) = run(&mut ctx, "[parameters('o').a[-1]]");
    assert!(matches!(errors[0].kind, EvalErrorKind::IndexOutOfRange(_)));
    assert!(matches!(
        fails("[createArray(1, 2)[2]]").kind,
        EvalErrorKind::IndexOutOfRange(_)
    ));
    assert!(matches!(fails("[json('{}').x]").kind, EvalErrorKind::NoSuchMember(_)));
    assert!(mismatch(&fails("['abc'.length]")));
    assert!(mismatch(&fails("[createArray(1)['a']]")));
    assert!(mismatch(&fails("[null().x]")));
}

#[test]
fn owned_member_and_index() {
    assert_eq!(val("[json('{\"A\": {\"b\": [5, 6]}}').a.B[1]]"), Value::Int(6));
    assert_eq!(val("[createObject('k', 'v')['K']]"), st("v"));
    assert_eq!(val("[createArray('x', 'y')[1]]"), st("y"));
}

// ---- Unknown propagation and deployment functions ----

#[test]
fn deployment_functions_are_unknown() {
    for s in [
        "[subscription()]",
        "[subscription().subscriptionId]",
        "[tenant().tenantId]",
        "[deployment().name]",
        "[resourceGroup().location]",
        "[environment().name]",
        "[reference('x', '2020-01-01').outputs.a.value]",
        "[listKeys('id', '2020-01-01').keys[0].value]",
        "[utcNow()]",
        "[newGuid()]",
        "[someFutureFunction(1, 'a')]",
        "[contoso.myFunc('a')]",
    ] {
        assert_eq!(val(s), Value::Unknown, "{s}");
    }
}

#[test]
fn unknown_propagates_without_errors() {
    for s in [
        "[concat('a', subscription().id)]",
        "[toLower(utcNow())]",
        "[guid(subscription().id, 'x')]",
        "[uniqueString(resourceGroup().id)]",
        "[format('{0}', deployment().name)]",
        "[not(equals(tenant().tenantId, 'x'))]",
        "[length(reference('r').items)]",
        "[union(createArray(1), reference('r').list)]",
        "[int(subscription().x)]",
        "[json(subscription().x)]",
        "[resourceId(subscription().x, 'rg', 'Microsoft.A/b', 'n')]",
        "[parameters(subscription().x)]",
        "[createObject(utcNow(), 1)]",
    ] {
        assert_eq!(val(s), Value::Unknown, "{s}");
    }
}

// ---- argument counts ----

#[test]
fn wrong_argument_counts() {
    let e = fails("[concat()]");
    assert_eq!(
        e.kind,
        EvalErrorKind::WrongArgumentCount {
            function: "concat".into(),
            expected: "at least 1".into(),
            got: 0
        }
    );
    assert_eq!(e.span, 1..9);
    let e = fails("[NOT(true, false)]");
    assert!(
        matches!(e.kind, EvalErrorKind::WrongArgumentCount { ref function, ref expected, got: 2 }
        if function == "NOT" && expected == "1")
    );
    let e = fails("[if(true, 1)]");
    assert!(matches!(e.kind, EvalErrorKind::WrongArgumentCount { ref expected, .. } if expected == "3"));
    let e = fails("[copyIndex('a', 1, 2)]");
    assert!(matches!(e.kind, EvalErrorKind::WrongArgumentCount { ref expected, .. } if expected == "0 to 2"));
    let e = fails("[createObject('a')]");
    assert!(
        matches!(e.kind, EvalErrorKind::WrongArgumentCount { ref expected, .. } if expected == "an even number of")
    );
    assert!(matches!(
        fails("[true(1)]").kind,
        EvalErrorKind::WrongArgumentCount { .. }
    ));
    // Unimplemented functions are never checked.
    assert_eq!(val("[utcNow(1, 2, 3)]"), Value::Unknown);
    // Errors inside the arguments are still reported.
    let (_, errors) = run(&mut Ctx::default(), "[not(parameters('a'), 1)]");
    assert_eq!(errors.len(), 2);
}

// ---- string functions ----

#[test]
fn concat_strings_and_arrays() {
    assert_eq!(val("[concat('a', 1, 'b', null())]"), st("a1b"));
    assert_eq!(val("[CONCAT('x')]"), st("x"));
    assert_eq!(
        val("[concat(createArray(1, 2), createArray('a'), json('[]'))]"),
        arr(&[Value::Int(1), Value::Int(2), st("a")])
    );
    let e = fails("[concat('a', createArray(1))]");
    assert!(mismatch(&e));
    assert_eq!(e.span, 13..27);
    assert!(mismatch(&fails("[concat('a', json('{}'))]")));
    // Array elements may be unknown.
    assert_eq!(
        val("[length(concat(createArray(utcNow()), createArray(1)))]"),
        Value::Int(2)
    );
}

#[test]
fn concat_materializes_nodes() {
    let mut ctx = Ctx::default();
    ctx.param_node("prefix", st("pre"));
    ctx.param_node("list", arr(&[st("a"), st("b")]));
    assert_eq!(run(&mut ctx, "[concat(parameters('prefix'), '-x')]").0, st("pre-x"));
    assert_eq!(
        run(&mut ctx, "[concat(parameters('list'), createArray('c'))]").0,
        arr(&[st("a"), st("b"), st("c")])
    );
}

#[test]
fn format_items_and_escapes() {
    assert_eq!(val("[format('{0}-{1}-{0}', 'a', 2)]"), st("a-2-a"));
    assert_eq!(val("[format('{{literal}} {0 }', true)]"), st("{literal} True"));
    assert_eq!(val("[format('no items')]"), st("no items"));
    assert_eq!(val("[format('{0}', null())]"), st(""));
    // Unused unknown arguments do not matter; used ones do.
    assert_eq!(val("[format('{0}', 'a', utcNow())]"), st("a"));
    assert_eq!(val("[format('{1}', 'a', utcNow())]"), Value::Unknown);
    // Alignment and format specifiers are not evaluated.
    assert_eq!(val("[format('{0:N2}', 1)]"), Value::Unknown);
    assert_eq!(val("[format('{0,5}', 1)]"), Value::Unknown);
    let s = "[format('{2}', 'a')]";
    let e = fails(s);
    assert!(matches!(e.kind, EvalErrorKind::IndexOutOfRange(_)));
    assert_eq!(&s[e.span.start as usize..e.span.end as usize], "'{2}'");
    assert!(mismatch(&fails("[format('a}b')]")));
    assert!(mismatch(&fails("[format('{x}', 1)]")));
    assert!(mismatch(&fails("[format('{0', 1)]")));
    assert!(mismatch(&fails("[format(1)]")));
}

#[test]
fn guid_and_unique_string() {
    assert_eq!(val("[guid('asdf')]"), st("228d27cc-6fdb-5934-b7ac-1efccebade04"));
    assert_eq!(val("[GUID('a', 'b')]"), st(&guid(&["a", "b"])));
    assert_eq!(val("[uniqueString('asd', 'asdf', 'asdf')]"), st("iizpqit7ih3cc"));
    assert_eq!(val("[uniquestring('aaa')]"), st("zavj67f3en4hc"));
    let e = fails("[guid('a', 1)]");
    assert!(mismatch(&e));
    assert_eq!(e.span, 11..12);
    assert!(mismatch(&fails("[uniqueString(createArray())]")));
}

#[test]
fn to_lower_and_upper() {
    assert_eq!(val("[toLower('AbC-É')]"), st("abc-é"));
    assert_eq!(val("[toUpper('abc')]"), st("ABC"));
    assert_eq!(val("[toLower(null())]"), st(""));
    assert!(mismatch(&fails("[toLower(1)]")));
}

#[test]
fn string_int_bool_conversions() {
    assert_eq!(val("[string(12)]"), st("12"));
    assert_eq!(val("[string('x')]"), st("x"));
    assert_eq!(val("[string(true)]"), st("True"));
    assert_eq!(
        val("[string(json('{\"a\": [1, \"b\"], \"c\": null}'))]"),
        st(r#"{"a":[1,"b"],"c":null}"#)
    );
    assert_eq!(val("[string(createArray(utcNow()))]"), Value::Unknown);
    assert_eq!(val("[int(' -42 ')]"), Value::Int(-42));
    assert_eq!(val("[int(5)]"), Value::Int(5));
    assert!(mismatch(&fails("[int('4x')]")));
    assert!(mismatch(&fails("[int(createArray())]")));
    assert_eq!(val("[bool('TRUE')]"), Value::Bool(true));
    assert_eq!(val("[bool(0)]"), Value::Bool(false));
    assert_eq!(val("[bool(false)]"), Value::Bool(false));
    assert!(mismatch(&fails("[bool('yes')]")));
}

#[test]
fn json_function() {
    assert_eq!(val("[json('null')]"), Value::Null);
    assert_eq!(val("[json('[1, true]')]"), arr(&[Value::Int(1), Value::Bool(true)]));
    assert_eq!(val("[json('{\"a\": \"b\"}')]"), obj(&[("a", st("b"))]));
    // Floats and Newtonsoft's lenient syntax are not supported: Unknown.
    assert_eq!(val("[json('1.5')]"), Value::Unknown);
    assert_eq!(val("[json('{''a'': 1}')]"), Value::Unknown);
    assert!(mismatch(&fails("[json(1)]")));
}

// ---- logical and comparison ----

#[test]
fn if_selects_branch_lazily() {
    assert_eq!(val("[if(true, 'a', 'b')]"), st("a"));
    assert_eq!(val("[if(false(), 'a', 'b')]"), st("b"));
    assert_eq!(val("[if(equals(1, 1), 1, utcNow())]"), Value::Int(1));
    assert_eq!(val("[if(utcNow(), 1, 1)]"), Value::Unknown);
    // Errors in the branch ARM does not evaluate are not reported.
    assert_eq!(val("[if(true, 'ok', parameters('missing'))]"), st("ok"));
    assert_eq!(
        val("[if(subscription().x, 'ok', parameters('missing'))]"),
        Value::Unknown
    );
    let e = fails("[if(false, 'x', parameters('missing'))]");
    assert_eq!(e.kind, EvalErrorKind::UndeclaredParameter("missing".into()));
    let e = fails("[if('yes', 1, 2)]");
    assert!(mismatch(&e));
    assert_eq!(e.span, 4..9);
}

#[test]
fn if_keeps_node_handles() {
    let mut ctx = Ctx::default();
    let h = ctx.param_node("p", st("v"));
    assert_eq!(run(&mut ctx, "[if(true, parameters('p'), 'x')]").0, Value::Node(h));
}

#[test]
fn equals_is_deep_and_case_sensitive() {
    assert_eq!(val("[equals('a', 'a')]"), Value::Bool(true));
    assert_eq!(val("[equals('a', 'A')]"), Value::Bool(false));
    assert_eq!(val("[equals(1, '1')]"), Value::Bool(false));
    assert_eq!(val("[equals(null(), null())]"), Value::Bool(true));
    assert_eq!(
        val("[equals(json('{\"a\": [1, {\"b\": 2}]}'), json('{\"a\": [1, {\"b\": 2}]}'))]"),
        Value::Bool(true)
    );
    assert_eq!(
        val("[equals(json('{\"a\": 1, \"b\": 2}'), json('{\"b\": 2, \"a\": 1}'))]"),
        Value::Bool(true)
    );
    assert_eq!(val("[equals(createArray(1), createArray(1, 2))]"), Value::Bool(false));
    assert_eq!(val("[equals('a', utcNow())]"), Value::Unknown);
    // A definite difference wins over unknown parts.
    assert_eq!(
        val("[equals(createArray(1, utcNow()), createArray(2, utcNow()))]"),
        Value::Bool(false)
    );
    assert_eq!(
        val("[equals(createArray(1, utcNow()), createArray(1, utcNow()))]"),
        Value::Unknown
    );
}

#[test]
fn equals_materializes_nodes() {
    let mut ctx = Ctx::default();
    ctx.param_node("a", obj(&[("x", arr(&[Value::Int(1)]))]));
    ctx.param_node("b", obj(&[("x", arr(&[Value::Int(1)]))]));
    let (v, _) = run(&mut ctx, "[equals(parameters('a'), parameters('b'))]");
    assert_eq!(v, Value::Bool(true));
    let (v, _) = run(&mut ctx, "[equals(parameters('a').x[0], 1)]");
    assert_eq!(v, Value::Bool(true));
}

#[test]
fn not_and_or() {
    assert_eq!(val("[not(false)]"), Value::Bool(true));
    assert_eq!(val("[and(true, true, true)]"), Value::Bool(true));
    assert_eq!(val("[and(true, false)]"), Value::Bool(false));
    assert_eq!(val("[or(false, true)]"), Value::Bool(true));
    assert_eq!(val("[or(false, false)]"), Value::Bool(false));
    assert_eq!(val("[and(false, utcNow())]"), Value::Bool(false));
    assert_eq!(val("[and(true, utcNow())]"), Value::Unknown);
    assert_eq!(val("[or(utcNow(), true)]"), Value::Bool(true));
    assert_eq!(val("[not(utcNow())]"), Value::Unknown);
    let e = fails("[and(true, 'x')]");
    assert!(mismatch(&e));
    assert_eq!(e.span, 11..14);
    // ARM may short-circuit: nothing after a deciding or unknown argument
    // is reported.
    assert_eq!(val("[and(false, parameters('missing'))]"), Value::Bool(false));
    assert_eq!(val("[or(true, 'x')]"), Value::Unknown);
    assert_eq!(val("[or(utcNow(), parameters('missing'))]"), Value::Unknown);
    assert!(matches!(
        fails("[or(false, parameters('missing'))]").kind,
        EvalErrorKind::UndeclaredParameter(_)
    ));
    assert!(mismatch(&fails("[not(1)]")));
}

// ---- collections ----

#[test]
fn length_and_empty() {
    assert_eq!(val("[length('abc')]"), Value::Int(3));
    assert_eq!(val("[length('😀')]"), Value::Int(2)); // UTF-16 units, like .NET
    assert_eq!(val("[length(createArray(1, utcNow()))]"), Value::Int(2));
    assert_eq!(val("[length(json('{\"a\": 1}'))]"), Value::Int(1));
    assert!(mismatch(&fails("[length(1)]")));
    assert_eq!(val("[empty('')]"), Value::Bool(true));
    assert_eq!(val("[empty(createArray())]"), Value::Bool(true));
    assert_eq!(val("[empty(json('{}'))]"), Value::Bool(true));
    assert_eq!(val("[empty(null())]"), Value::Bool(true));
    assert_eq!(val("[empty('x')]"), Value::Bool(false));
    assert!(mismatch(&fails("[empty(true)]")));
}

#[test]
fn length_of_parameter_node() {
    let mut ctx = Ctx::default();
    ctx.param_node("list", arr(&[st("a"), st("b"), st("c")]));
    assert_eq!(run(&mut ctx, "[length(parameters('list'))]").0, Value::Int(3));
}

#[test]
fn contains_rules() {
    assert_eq!(val("[contains('OneTwoThree', 'Two')]"), Value::Bool(true));
    assert_eq!(val("[contains('OneTwoThree', 'two')]"), Value::Bool(false));
    assert_eq!(val("[contains(json('{\"One\": 1}'), 'one')]"), Value::Bool(true));
    assert_eq!(val("[contains(json('{\"One\": 1}'), 'a')]"), Value::Bool(false));
    assert_eq!(val("[contains(createArray('a', 1), 1)]"), Value::Bool(true));
    assert_eq!(val("[contains(createArray('a'), 'A')]"), Value::Bool(false));
    assert_eq!(val("[contains(createArray(utcNow(), 'a'), 'a')]"), Value::Bool(true));
    assert_eq!(val("[contains(createArray(utcNow()), 'a')]"), Value::Unknown);
    assert!(mismatch(&fails("[contains(1, 1)]")));
}

#[test]
fn create_array_and_object_keep_handles() {
    let mut ctx = Ctx::default();
    let h = ctx.param_node("p", st("v"));
    assert_eq!(
        run(&mut ctx, "[createArray(1, parameters('p'))]").0,
        arr(&[Value::Int(1), Value::Node(h)])
    );
    assert_eq!(
        run(&mut ctx, "[createObject('a', parameters('p'), 'b', 2)]").0,
        obj(&[("a", Value::Node(h)), ("b", Value::Int(2))])
    );
    assert_eq!(val("[createArray()]"), arr(&[]));
    assert_eq!(val("[createObject()]"), obj(&[]));
    assert_eq!(val("[createObject('a', 1, 'A', 2)]"), Value::Unknown);
    let e = fails("[createObject(1, 2)]");
    assert!(mismatch(&e));
    assert_eq!(e.span, 14..15);
}

#[test]
fn coalesce_rules() {
    assert_eq!(val("[coalesce(null(), 'a', 'b')]"), st("a"));
    assert_eq!(val("[coalesce(null(), null())]"), Value::Null);
    assert_eq!(val("[coalesce('a', utcNow())]"), st("a"));
    assert_eq!(val("[coalesce(utcNow(), 'a')]"), Value::Unknown);
    assert_eq!(val("[coalesce('', 'a')]"), st(""));
    let mut ctx = Ctx::default();
    ctx.param_node("n", Value::Null);
    let h = ctx.param_node("s", st("x"));
    assert_eq!(
        run(&mut ctx, "[coalesce(parameters('n'), parameters('s'))]").0,
        Value::Node(h)
    );
}

#[test]
fn union_arrays_and_objects() {
    assert_eq!(
        val("[union(createArray(1, 2), createArray(2, 3), createArray(1))]"),
        arr(&[Value::Int(1), Value::Int(2), Value::Int(3)])
    );
    assert_eq!(
        val(
            "[union(json('{\"a\": 1, \"n\": {\"x\": 1, \"l\": [1]}}'), json('{\"A\": 2, \"n\": {\"y\": 2, \"l\": [2]}}'))]"
        ),
        obj(&[
            ("a", Value::Int(2)),
            (
                "n",
                obj(&[("x", Value::Int(1)), ("l", arr(&[Value::Int(2)])), ("y", Value::Int(2))])
            ),
        ])
    );
    assert_eq!(val("[union(createArray(utcNow()), createArray(1))]"), Value::Unknown);
    assert_eq!(
        val("[union(json('{\"a\": 1}'), createObject('b', utcNow()))]"),
        obj(&[("a", Value::Int(1)), ("b", Value::Unknown)])
    );
    let e = fails("[union(createArray(1), 'x')]");
    assert!(mismatch(&e));
    assert_eq!(e.span, 23..26);
}

#[test]
fn first_and_last() {
    assert_eq!(val("[first(createArray(1, 2))]"), Value::Int(1));
    assert_eq!(val("[last(createArray(1, 2))]"), Value::Int(2));
    assert_eq!(val("[first(createArray())]"), Value::Null);
    assert_eq!(val("[first('abc')]"), st("a"));
    assert_eq!(val("[last('abc')]"), st("c"));
    assert_eq!(val("[last('')]"), st(""));
    assert_eq!(val("[first(createArray(utcNow(), 1))]"), Value::Unknown);
    assert_eq!(val("[last(createArray(utcNow(), 1))]"), Value::Int(1));
    assert!(mismatch(&fails("[first(1)]")));
    let mut ctx = Ctx::default();
    ctx.param_node("l", arr(&[st("a"), st("b")]));
    let (v, _) = run(&mut ctx, "[last(parameters('l'))]");
    let Value::Node(h) = v else { panic!("{v:?}") };
    assert!(matches!(ctx.nodes.nodes.get(h), Some(ToyNode::Leaf(Value::Str(s))) if s == "b"));
}

#[test]
fn copy_index_forms() {
    let mut ctx = Ctx::default();
    ctx.loops.push((None, 3));
    ctx.loops.push((Some("disks".into()), 5));
    assert_eq!(run(&mut ctx, "[copyIndex()]").0, Value::Int(3));
    assert_eq!(run(&mut ctx, "[copyIndex(1)]").0, Value::Int(4));
    assert_eq!(run(&mut ctx, "[copyIndex('disks')]").0, Value::Int(5));
    assert_eq!(run(&mut ctx, "[copyIndex('disks', 10)]").0, Value::Int(15));
    assert_eq!(run(&mut ctx, "[copyIndex('other')]").0, Value::Unknown);
    // Outside a loop: Unknown, no error (the caller may not model loops).
    assert_eq!(val("[copyIndex()]"), Value::Unknown);
    assert!(mismatch(&fails("[copyIndex(1, 'a')]")));
    assert!(mismatch(&fails("[copyIndex(true)]")));
}

#[test]
fn true_false_null() {
    assert_eq!(val("[true()]"), Value::Bool(true));
    assert_eq!(val("[false]"), Value::Bool(false));
    assert_eq!(val("[null()]"), Value::Null);
}

// ---- resource ids ----

#[test]
fn resource_id_functions() {
    assert_eq!(
        val("[resourceId('sub', 'rg', 'Microsoft.Network/virtualNetworks/subnets', 'vnet', 'sn')]"),
        st("/subscriptions/sub/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/vnet/subnets/sn")
    );
    // Needs subscription()/resourceGroup(): Unknown.
    assert_eq!(
        val("[resourceId('Microsoft.Storage/storageAccounts', 'sa')]"),
        Value::Unknown
    );
    assert_eq!(
        val("[resourceId('rg', 'Microsoft.Storage/storageAccounts', 'sa')]"),
        Value::Unknown
    );
    // Lighthouse samples use a trailing '/' in the type.
    assert_eq!(
        val("[subscriptionResourceId('s1', 'Microsoft.ManagedServices/registrationDefinitions/', 'd')]"),
        st("/subscriptions/s1/providers/Microsoft.ManagedServices/registrationDefinitions/d")
    );
    assert_eq!(
        val("[subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'acdd72a7')]"),
        Value::Unknown
    );
    assert_eq!(
        val("[tenantResourceId('Microsoft.Management/managementGroups', 'mg')]"),
        st("/providers/Microsoft.Management/managementGroups/mg")
    );
    assert_eq!(
        val("[extensionResourceId('/subscriptions/s', 'Microsoft.Authorization/locks', 'l')]"),
        st("/subscriptions/s/providers/Microsoft.Authorization/locks/l")
    );
    let e = fails("[tenantResourceId('Microsoft.Network/virtualNetworks/subnets', 'vnet')]");
    assert!(matches!(e.kind, EvalErrorKind::WrongArgumentCount { ref expected, got: 2, .. } if expected == "3"));
    assert!(mismatch(&fails("[resourceId('s', 'rg', 'A.B/c', 1)]")));
}

// ---- robustness ----

#[test]
fn deepest_parsable_expression_evaluates() {
    let n = MAX_DEPTH - 1;
    let s = format!("[{}'x'{}]", "concat(".repeat(n), ")".repeat(n));
    assert_eq!(val(&s), st("x"));
}

#[test]
fn hand_built_deep_tree_is_bounded() {
    let mut e = Expr {
        kind: ExprKind::Str("x".into()),
        span: 0..0,
    };
    for _ in 0..1000 {
        e = Expr {
            kind: ExprKind::Member {
                target: Box::new(e),
                name: "a".into(),
            },
            span: 0..0,
        };
    }
    let mut errors = Vec::new();
    assert_eq!(eval(&e, &mut Ctx::default(), &mut errors), Value::Unknown);
    assert!(errors.is_empty());
}

#[test]
fn deep_values_from_context_are_bounded() {
    let mut ctx = Ctx::default();
    let mut v = Value::Int(1);
    for _ in 0..40 {
        v = arr(&[v]);
    }
    ctx.params.push(("deep".into(), v));
    let (v, errors) = run(&mut ctx, "[equals(parameters('deep'), parameters('deep'))]");
    assert_eq!(v, Value::Bool(true));
    assert!(errors.is_empty());
}

#[test]
fn random_inputs_never_panic() {
    const PIECES: &[&str] = &[
        "concat(",
        "format('{0}{1}'",
        "parameters('p')",
        "variables('v')",
        "'a'",
        "''",
        "'",
        "1",
        "-5",
        ",",
        ")",
        "(",
        "[",
        "]",
        ".",
        "x",
        " ",
        "if(",
        "union(",
        "createArray(",
        "createObject(",
        "json('{\"a\":[1]}')",
        "equals(",
        "coalesce(",
        "first(",
        "last(",
        "length(",
        "contains(",
        "copyIndex(",
        "resourceId(",
        "'A.B/c'",
        "guid(",
        "string(",
        "int(",
        "bool(",
        "not(",
        "and(",
        "or(",
        "null()",
        "true",
        "utcNow()",
        "#",
        "é",
        "subscription()",
        "[0]",
        ".items",
        "{",
        "}",
        "{{",
        "format('{x}'",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize
    };
    let mut parsed = 0;
    for _ in 0..20_000 {
        let mut s = String::from("[");
        for _ in 0..next() % 24 {
            s.push_str(PIECES[next() % PIECES.len()]);
        }
        s.push(']');
        if let Ok(expr) = parse(&s) {
            parsed += 1;
            let mut ctx = Ctx::default();
            ctx.param_node("p", obj(&[("items", arr(&[st("a"), Value::Int(2)]))]));
            ctx.vars.push(("v".into(), arr(&[Value::Null])));
            ctx.loops.push((None, 0));
            let mut errors = Vec::new();
            let _ = eval(&expr, &mut ctx, &mut errors);
        }
    }
    assert!(parsed > 100, "only {parsed} inputs parsed");
}

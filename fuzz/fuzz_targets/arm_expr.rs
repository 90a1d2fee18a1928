//! The ARM expression parser and evaluator on arbitrary expressions, against a
//! small context with parameters, variables, objects, arrays and a copy loop.
#![no_main]

use libfuzzer_sys::fuzz_target;
use lhlint::arm::{self, Context, Value};

type V = Value<usize>;

enum Node {
    Leaf(V),
    Obj(Vec<(String, usize)>),
    Arr(Vec<usize>),
}

struct Ctx {
    nodes: Vec<Node>,
}

impl Ctx {
    fn new() -> Self {
        let mut ctx = Ctx { nodes: Vec::new() };
        let s = ctx.push(Node::Leaf(Value::Str("contoso".into())));
        let n = ctx.push(Node::Leaf(Value::Int(3)));
        let arr = ctx.push(Node::Arr(vec![s, n]));
        let obj = ctx.push(Node::Obj(vec![("name".into(), s), ("items".into(), arr)]));
        // A node that refers to itself: the evaluator must not loop.
        ctx.nodes.push(Node::Arr(vec![obj, ctx.nodes.len()]));
        ctx
    }

    fn push(&mut self, node: Node) -> usize {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    fn owned(&self, h: usize, depth: usize) -> V {
        if depth > 20 {
            return Value::Unknown;
        }
        match &self.nodes[h] {
            Node::Leaf(v) => v.clone(),
            Node::Obj(props) => Value::Object(props.iter().map(|(k, c)| (k.clone(), self.owned(*c, depth + 1))).collect()),
            Node::Arr(items) => Value::Array(items.iter().map(|c| self.owned(*c, depth + 1)).collect()),
        }
    }
}

impl Context for Ctx {
    type Handle = usize;

    fn parameter(&mut self, name: &str) -> Option<V> {
        match name.to_ascii_lowercase().as_str() {
            "s" => Some(Value::Node(0)),
            "n" => Some(Value::Node(1)),
            "a" => Some(Value::Node(2)),
            "o" => Some(Value::Node(3)),
            "loop" => Some(Value::Node(4)),
            "u" => Some(Value::Unknown),
            _ => None,
        }
    }

    fn variable(&mut self, name: &str) -> Option<V> {
        match name.to_ascii_lowercase().as_str() {
            "big" => Some(Value::Str("x".repeat(1000))),
            "list" => Some(Value::Array((0..50).map(Value::Int).collect())),
            "o" => Some(Value::Node(3)),
            _ => None,
        }
    }

    fn copy_index(&self, loop_name: Option<&str>) -> Option<i64> {
        match loop_name {
            None => Some(2),
            Some(n) if n.eq_ignore_ascii_case("outer") => Some(7),
            Some(_) => None,
        }
    }

    fn member(&mut self, h: usize, name: &str) -> Option<V> {
        match &self.nodes[h] {
            Node::Obj(props) => props
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, c)| Value::Node(*c)),
            _ => None,
        }
    }

    fn element(&mut self, h: usize, index: usize) -> Option<V> {
        match &self.nodes[h] {
            Node::Arr(items) => items.get(index).map(|c| Value::Node(*c)),
            _ => None,
        }
    }

    fn materialize(&mut self, h: usize) -> V {
        self.owned(h, 0)
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = arm::classify(text);
    let source = if text.starts_with('[') { text.to_string() } else { format!("[{text}]") };
    let Ok(expr) = arm::parse(&source) else { return };
    let mut ctx = Ctx::new();
    let mut errors = Vec::new();
    let _ = arm::eval(&expr, &mut ctx, &mut errors);
    for e in &errors {
        assert!(e.span.start <= e.span.end, "error span {e:?}");
        let _ = e.to_string();
    }
});

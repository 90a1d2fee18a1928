//! A small store of JSON-like nodes: the host the evaluator's unit tests and
//! its fuzz property (`crate::fuzzing`) evaluate against.

use super::Value;

type V = Value<usize>;

/// One node of the store.
pub(crate) enum ToyNode {
    Leaf(V),
    Obj(Vec<(String, usize)>),
    Arr(Vec<usize>),
}

/// Nodes by handle (their index).
pub(crate) struct ToyNodes {
    pub(crate) nodes: Vec<ToyNode>,
    /// How deep [`ToyNodes::owned`] copies (deeper values are unknown).
    pub(crate) max_depth: usize,
}

impl Default for ToyNodes {
    fn default() -> Self {
        ToyNodes::with_max_depth(50)
    }
}

impl ToyNodes {
    pub(crate) fn with_max_depth(max_depth: usize) -> Self {
        ToyNodes {
            nodes: Vec::new(),
            max_depth,
        }
    }

    /// Adds `node`; returns its handle.
    pub(crate) fn push(&mut self, node: ToyNode) -> usize {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// Stores an owned value as a tree of nodes; returns the root handle.
    #[cfg(test)]
    pub(crate) fn store(&mut self, v: V) -> usize {
        let node = match v {
            Value::Object(props) => ToyNode::Obj(props.into_iter().map(|(k, x)| (k, self.store(x))).collect()),
            Value::Array(items) => ToyNode::Arr(items.into_iter().map(|x| self.store(x)).collect()),
            other => ToyNode::Leaf(other),
        };
        self.push(node)
    }

    /// The value at `h` as an owned tree.
    pub(crate) fn owned(&self, h: usize) -> V {
        self.owned_at(h, 0)
    }

    fn owned_at(&self, h: usize, depth: usize) -> V {
        if depth > self.max_depth {
            return Value::Unknown;
        }
        match self.nodes.get(h) {
            Some(ToyNode::Leaf(v)) => v.clone(),
            Some(ToyNode::Obj(props)) => Value::Object(
                props
                    .iter()
                    .map(|(k, c)| (k.clone(), self.owned_at(*c, depth + 1)))
                    .collect(),
            ),
            Some(ToyNode::Arr(items)) => Value::Array(items.iter().map(|c| self.owned_at(*c, depth + 1)).collect()),
            None => Value::Unknown,
        }
    }

    /// Member `name` (any case) of object `h`.
    pub(crate) fn member(&self, h: usize, name: &str) -> Option<V> {
        match self.nodes.get(h)? {
            ToyNode::Obj(props) => props
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, c)| Value::Node(*c)),
            _ => None,
        }
    }

    /// Element `index` of array `h`.
    pub(crate) fn element(&self, h: usize, index: usize) -> Option<V> {
        match self.nodes.get(h)? {
            ToyNode::Arr(items) => items.get(index).map(|c| Value::Node(*c)),
            _ => None,
        }
    }
}

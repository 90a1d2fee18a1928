//! JSON with comments: a span-keeping parser and the document it builds.

pub mod doc;
pub mod parse;

pub use doc::{Document, Kind, NONE, Node, NodeId};
pub use parse::{MAX_DEPTH, ParseError, duplicate_keys, parse};

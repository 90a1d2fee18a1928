//! JSON with comments: a span-keeping parser and the document it builds.

pub mod doc;
pub mod parse;
pub mod strip;
pub mod value;

pub use doc::{Document, Kind, NONE, Node, NodeId};
pub use parse::{MAX_DEPTH, ParseError, duplicate_keys, parse};
pub use strip::blank_comments;
pub use value::{parse_value, to_value};

//! Parsed documents as `serde_json` values, for code that needs plain JSON.

use super::{Document, Kind, NodeId, ParseError};

/// Converts a parsed node into a `serde_json::Value` (comments are gone).
pub fn to_value(doc: &Document, text: &str, id: NodeId) -> serde_json::Value {
    use serde_json::Value;
    let node = doc.node(id);
    match node.kind {
        Kind::Null => Value::Null,
        Kind::Bool(b) => Value::Bool(b),
        Kind::Number => serde_json::from_str(doc.raw(text, id)).unwrap_or(Value::Null),
        Kind::String => Value::String(doc.str(text, id).unwrap_or_default().into_owned()),
        Kind::Array => Value::Array(doc.children(id).map(|c| to_value(doc, text, c)).collect()),
        Kind::Object => Value::Object(
            doc.children(id)
                .map(|c| {
                    (
                        doc.key(text, c).unwrap_or_default().into_owned(),
                        to_value(doc, text, c),
                    )
                })
                .collect(),
        ),
    }
}

/// Parses JSON with comments into a `serde_json::Value`.
pub fn parse_value(text: &str) -> Result<serde_json::Value, ParseError> {
    let doc = super::parse(text)?;
    Ok(to_value(&doc, text, Document::ROOT))
}

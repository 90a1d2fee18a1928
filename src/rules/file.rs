//! The on-disk rule-file format (deserialized with serde, unknown keys rejected).

use serde::Deserialize;

use crate::diagnostic::Severity;

/// A part of a rule file kept as its JSON text, read when its function is known.
pub type Raw = Box<serde_json::value::RawValue>;

/// One rule file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RuleFile {
    /// The rule-file JSON Schema, for editors; not used by lhlint.
    #[serde(rename = "$schema", default)]
    #[allow(dead_code)]
    pub schema: Option<String>,
    pub id: String,
    pub name: String,
    pub severity: Severity,
    pub summary: String,
    #[serde(default)]
    pub applies_to: Vec<String>,
    /// Selectors; a rule without them is emitted by the engine itself (LH000).
    #[serde(default)]
    pub given: Vec<String>,
    #[serde(default)]
    pub when: Vec<CheckSpec>,
    #[serde(default)]
    pub then: OneOrMany<CheckSpec>,
    pub message: String,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub help: Option<String>,
    /// `first` (default): the first failing `then` check makes the finding;
    /// `all`: every failing check does, each place once.
    #[serde(default)]
    pub report: ReportMode,
    /// Comparisons across every linted unit (see `engine::crossfile`).
    #[serde(default)]
    pub workspace: Vec<Raw>,
}

/// Which failing `then` checks make findings.
#[derive(Debug, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
pub enum ReportMode {
    #[default]
    First,
    All,
}

/// `then` may be one check (an object) or a list.
#[derive(Debug)]
pub enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

// Read by the shape of the value rather than `#[serde(untagged)]`, which
// buffers the data and cannot hold the raw text of options.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};

        struct Shape<T>(std::marker::PhantomData<T>);

        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Shape<T> {
            type Value = OneOrMany<T>;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a check (an object) or a list of checks")
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(OneOrMany::One)
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                Vec::deserialize(SeqAccessDeserializer::new(seq)).map(OneOrMany::Many)
            }
        }

        deserializer.deserialize_any(Shape(std::marker::PhantomData))
    }
}

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        OneOrMany::Many(Vec::new())
    }
}

impl<T> OneOrMany<T> {
    pub fn into_vec(self) -> Vec<T> {
        match self {
            OneOrMany::One(t) => vec![t],
            OneOrMany::Many(v) => v,
        }
    }

    pub fn is_one(&self) -> bool {
        matches!(self, OneOrMany::One(_))
    }
}

/// One check: a function applied to the match or to a field below it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CheckSpec {
    #[serde(default)]
    pub field: Option<String>,
    /// Conditions on the match: the check applies only when all pass.
    #[serde(default)]
    pub when: Vec<CheckSpec>,
    pub function: String,
    #[serde(default)]
    pub options: Option<Raw>,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub severity: Option<Severity>,
    #[serde(default)]
    pub label: Option<String>,
}

pub use crate::json::to_value;

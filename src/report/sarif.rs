//! SARIF 2.1.0, as GitHub code scanning ingests it: one run, the rules that
//! ran, one result per diagnostic, and inputs that could not be parsed also
//! as tool execution notifications.

use std::io::{self, Write};

use serde::Serialize;
use sha1::{Digest, Sha1};

use super::{Report, RuleInfo, range};
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::source::Sources;

const SCHEMA: &str = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/lhlint/lhlint";
const DOCS_URI: &str = "https://github.com/lhlint/lhlint/blob/main/";
/// The base id of relative artifact URIs: the directory lhlint ran in.
const SRCROOT: &str = "%SRCROOT%";

pub fn write(report: &Report, sources: &Sources, out: &mut dyn Write) -> io::Result<()> {
    let rule_index = |id: &str| report.rules.iter().position(|r| r.id == id);
    let results: Vec<SarifResult> = report
        .reported()
        .map(|d| SarifResult {
            rule_id: &d.rule,
            rule_index: rule_index(&d.rule),
            level: level(d.severity),
            message: Message::new(&d.message),
            locations: vec![location(sources, &d.primary, None)],
            related_locations: d
                .related
                .iter()
                .enumerate()
                .map(|(i, l)| location(sources, l, Some(i + 1)))
                .collect(),
            partial_fingerprints: Fingerprints {
                lhlint: fingerprint(sources, d),
            },
        })
        .collect();
    let notifications: Vec<Notification> = report
        .diagnostics
        .iter()
        .filter(|d| d.rule == "LH000")
        .map(|d| Notification {
            level: level(d.severity),
            message: Message::new(&d.message),
            locations: vec![location(sources, &d.primary, None)],
            associated_rule: RuleReference {
                id: &d.rule,
                index: rule_index(&d.rule),
            },
        })
        .collect();
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "lhlint",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: INFORMATION_URI,
                    rules: report.rules.iter().map(descriptor).collect(),
                },
            },
            invocations: vec![Invocation {
                execution_successful: notifications.is_empty(),
                tool_execution_notifications: notifications,
            }],
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    super::json::write_safe_json(&mut *out, &log)?;
    writeln!(out)
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn descriptor(r: &RuleInfo) -> Descriptor<'_> {
    let docs = r.docs.as_deref().filter(|d| !d.trim().is_empty());
    Descriptor {
        id: &r.id,
        name: &r.name,
        short_description: Message::new(&r.summary),
        full_description: Message::new(&docs.and_then(what_it_does).unwrap_or_else(|| r.summary.clone())),
        help: docs.map(|d| Help {
            text: d.trim(),
            markdown: d.trim(),
        }),
        help_uri: r.doc_path.as_ref().map(|p| format!("{DOCS_URI}{p}")),
        default_configuration: Configuration {
            level: level(r.severity),
        },
    }
}

/// The text of the docs' `## What it does` section, joined into one paragraph.
fn what_it_does(docs: &str) -> Option<String> {
    let start = docs.find("## What it does")?;
    let body = &docs[start..];
    let body = body.split_once('\n').map(|(_, rest)| rest).unwrap_or("");
    let end = body.find("\n## ").unwrap_or(body.len());
    let text = body[..end].split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

fn location(sources: &Sources, label: &Label, id: Option<usize>) -> Location {
    let (start, end) = range(sources, label.span);
    Location {
        id,
        physical_location: PhysicalLocation {
            artifact_location: artifact(&sources.get(label.span.file).name),
            region: Region {
                start_line: start.line,
                start_column: start.column,
                end_line: end.line,
                end_column: end.column,
            },
        },
        message: id.map(|_| Message::new(&label.message)),
    }
}

/// A relative path becomes a URI relative to `%SRCROOT%`; an absolute one a `file:` URI.
fn artifact(path: &str) -> ArtifactLocation {
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    if drive {
        ArtifactLocation {
            uri: format!("file:///{}:{}", &path[..1], percent_encode(&path[2..])),
            uri_base_id: None,
        }
    } else if path.starts_with('/') {
        ArtifactLocation {
            uri: format!("file://{}", percent_encode(path)),
            uri_base_id: None,
        }
    } else {
        let mut relative = path;
        while let Some(rest) = relative.strip_prefix("./") {
            relative = rest;
        }
        ArtifactLocation {
            uri: percent_encode(relative),
            uri_base_id: Some(SRCROOT),
        }
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters and `/`.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A hash of what identifies a finding whatever the line it moved to: rule,
/// file, JSON pointer, and the flagged text without insignificant whitespace.
fn fingerprint(sources: &Sources, d: &Diagnostic) -> String {
    let file = sources.get(d.primary.span.file);
    let text = file.text.get(d.primary.span.range()).unwrap_or_default();
    let mut hasher = Sha1::new();
    for part in [
        d.rule.as_str(),
        file.name.as_str(),
        d.pointer.as_deref().unwrap_or(""),
        &normalize(text),
    ] {
        hasher.update(part.as_bytes());
        hasher.update([0u8]);
    }
    let mut fingerprint = String::with_capacity(40);
    crate::hex::push(&mut fingerprint, &hasher.finalize());
    fingerprint
}

/// JSON text without the whitespace between tokens (strings are kept as written).
fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    out
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    invocations: Vec<Invocation<'a>>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    information_uri: &'static str,
    rules: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: &'a str,
    name: &'a str,
    short_description: Message,
    full_description: Message,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<Help<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Help<'a> {
    text: &'a str,
    markdown: &'a str,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation<'a> {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Notification<'a> {
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    associated_rule: RuleReference<'a>,
}

#[derive(Serialize)]
struct RuleReference<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    index: Option<usize>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Message,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: Fingerprints,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "lhlint/v1")]
    lhlint: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

impl Message {
    fn new(text: &str) -> Self {
        Message { text: text.to_string() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_to_srcroot_or_file_uris() {
        let rel = artifact("./templates/a b#1.json");
        assert_eq!(rel.uri, "templates/a%20b%231.json");
        assert_eq!(rel.uri_base_id, Some(SRCROOT));
        assert_eq!(artifact("/tmp/é.json").uri, "file:///tmp/%C3%A9.json");
        assert_eq!(artifact("C:/x/a.json").uri, "file:///C:/x/a.json");
        assert_eq!(artifact("../up.json").uri, "../up.json");
    }

    #[test]
    fn normalization_drops_whitespace_between_tokens_only() {
        assert_eq!(normalize("[\n  \"a b\",\r\n  1 ]"), "[\"a b\",1]");
        assert_eq!(normalize(r#""x\" y""#), r#""x\" y""#);
    }

    #[test]
    fn what_it_does_is_the_first_section() {
        let docs = "## What it does\nReports a\nthing.\n\n## Why is this bad?\nBecause.\n";
        assert_eq!(what_it_does(docs).as_deref(), Some("Reports a thing."));
        assert_eq!(what_it_does("no sections"), None);
    }
}

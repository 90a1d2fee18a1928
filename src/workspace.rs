//! The files of one run: read once, parsed once, classified by content.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::json::{self, Document, Kind, NodeId};
use crate::source::{FileId, SourceFile, Sources, Span};

/// Largest file lhlint reads (bigger files get an LH000 diagnostic).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// What a JSON file is, decided from its content (and, for offers, its name).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum FileKind {
    /// An ARM deployment template.
    Template,
    /// An ARM deployment parameters file.
    Parameters,
    /// A Managed Service offer manifest.
    Offer,
    /// Valid JSON that lhlint does not lint.
    Other,
    /// A file that could not be read or parsed.
    Invalid,
}

impl FileKind {
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Template => "template",
            FileKind::Parameters => "parameters",
            FileKind::Offer => "offer",
            FileKind::Other => "other",
            FileKind::Invalid => "invalid",
        }
    }
}

/// One input file and what became of it.
#[derive(Debug)]
pub struct Input {
    pub path: PathBuf,
    pub kind: FileKind,
    pub doc: Option<Document>,
}

/// All files of a run. File ids index both `sources` and `inputs`.
#[derive(Debug, Default)]
pub struct Workspace {
    pub sources: Sources,
    pub inputs: Vec<Input>,
    /// File id by path, so that pairing thousands of files stays linear.
    ids: std::collections::HashMap<PathBuf, FileId>,
}

/// A reference to one node in one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeRef {
    pub file: FileId,
    pub node: NodeId,
}

impl Workspace {
    /// Reads and parses `paths` in parallel; returns the workspace and the
    /// diagnostics about unreadable or malformed files.
    /// `named` are the paths given on the command line (see [`crate::read`]).
    pub fn load(paths: Vec<PathBuf>, named: &[PathBuf]) -> (Workspace, Vec<Diagnostic>) {
        let confinement = crate::read::Confinement::new(named);
        let loaded: Vec<(SourceFile, Input, Vec<Diagnostic>)> = paths
            .into_par_iter()
            .enumerate()
            .map(|(id, path)| load_one(id, path, &confinement))
            .collect();
        let mut ws = Workspace::default();
        let mut diags = Vec::new();
        for (source, input, d) in loaded {
            ws.push(source, input);
            diags.extend(d);
        }
        (ws, diags)
    }

    /// A workspace of in-memory files (`(path, content)`), read as if from disk.
    pub fn from_memory(files: Vec<(PathBuf, Vec<u8>)>) -> (Workspace, Vec<Diagnostic>) {
        let mut ws = Workspace::default();
        let mut diags = Vec::new();
        for (id, (path, bytes)) in files.into_iter().enumerate() {
            let (source, input, d) = load_bytes(id, path, &bytes);
            ws.push(source, input);
            diags.extend(d);
        }
        (ws, diags)
    }

    /// Adds more files (found by pairing) to the workspace.
    pub fn extend(&mut self, paths: Vec<PathBuf>, named: &[PathBuf]) -> Vec<Diagnostic> {
        let base = self.inputs.len();
        let confinement = crate::read::Confinement::new(named);
        let loaded: Vec<_> = paths
            .into_par_iter()
            .enumerate()
            .map(|(i, path)| load_one(base + i, path, &confinement))
            .collect();
        let mut diags = Vec::new();
        for (source, input, d) in loaded {
            self.push(source, input);
            diags.extend(d);
        }
        diags
    }

    fn push(&mut self, source: SourceFile, input: Input) {
        self.ids.entry(input.path.clone()).or_insert(self.inputs.len());
        self.sources.files.push(source);
        self.inputs.push(input);
    }

    pub fn len(&self) -> usize {
        self.inputs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.inputs.is_empty()
    }

    pub fn text(&self, file: FileId) -> &str {
        &self.sources.get(file).text
    }

    pub fn doc(&self, file: FileId) -> Option<&Document> {
        self.inputs[file].doc.as_ref()
    }

    /// The document of a node reference (which always has one).
    pub fn doc_of(&self, r: NodeRef) -> &Document {
        self.inputs[r.file]
            .doc
            .as_ref()
            .expect("node refs point into parsed documents")
    }

    pub fn kind(&self, file: FileId) -> FileKind {
        self.inputs[file].kind
    }

    /// The file id of `path` if it is part of the workspace.
    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.ids.get(path).copied()
    }

    /// Span of a node's value.
    pub fn span(&self, r: NodeRef) -> Span {
        let n = self.doc_of(r).node(r.node);
        Span::new(r.file, n.start, n.end)
    }

    /// A one-line span for labelling a node: its member name and the first line
    /// of its value for containers, the value itself for scalars.
    pub fn head_span(&self, r: NodeRef) -> Span {
        let doc = self.doc_of(r);
        let n = doc.node(r.node);
        let text = self.text(r.file);
        match n.kind {
            Kind::Array | Kind::Object => {
                let start = if n.key_start != json::NONE {
                    n.key_start
                } else {
                    n.start
                };
                Span::new(r.file, start, n.start + 1).clamp_line(text)
            }
            _ => Span::new(r.file, n.start, n.end).clamp_line(text),
        }
    }

    /// Span of the member name of a node, or its head span when it has none.
    pub fn key_span(&self, r: NodeRef) -> Span {
        let n = self.doc_of(r).node(r.node);
        if n.key_start != json::NONE {
            Span::new(r.file, n.key_start, n.key_end)
        } else {
            self.head_span(r)
        }
    }

    /// The decoded string value of a node.
    pub fn str(&self, r: NodeRef) -> Option<std::borrow::Cow<'_, str>> {
        self.doc_of(r).str(self.text(r.file), r.node)
    }

    /// The RFC 6901 pointer of a node.
    pub fn pointer(&self, r: NodeRef) -> String {
        self.doc_of(r).pointer(self.text(r.file), r.node)
    }

    /// The member `name` of object `r`, without resolving expressions.
    pub fn get(&self, r: NodeRef, name: &str) -> Option<NodeRef> {
        self.doc_of(r)
            .get(self.text(r.file), r.node, name)
            .map(|node| NodeRef { file: r.file, node })
    }

    /// The root node of a parsed file.
    pub fn root(&self, file: FileId) -> Option<NodeRef> {
        self.doc(file).filter(|d| !d.is_empty()).map(|_| NodeRef {
            file,
            node: Document::ROOT,
        })
    }
}

impl Span {
    /// Cuts a span at the end of its first line.
    pub fn clamp_line(self, text: &str) -> Span {
        let slice = &text[self.range()];
        match slice.find('\n') {
            Some(i) => Span::new(
                self.file,
                self.start,
                self.start + slice[..i].trim_end_matches('\r').len() as u32,
            ),
            None => self,
        }
    }
}

/// Renders a path as the user gave it, with `/` separators.
pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

fn load_one(
    id: FileId,
    path: PathBuf,
    confinement: &crate::read::Confinement<'_>,
) -> (SourceFile, Input, Vec<Diagnostic>) {
    let confine = confinement.root(&path);
    match crate::read::read_bounded(&path, confine.as_deref()) {
        Ok(bytes) => load_bytes(id, path, &bytes),
        Err(message) => {
            let name = display_path(&path);
            let diags = vec![
                Diagnostic::new(
                    "LH000",
                    Severity::Error,
                    message,
                    Label::new(Span::new(id, 0, 0), "not read"),
                )
                .with_help("lhlint reads regular files, and symbolic links to files inside the tree it lints"),
            ];
            (SourceFile::new(name, String::new()), invalid(path), diags)
        }
    }
}

fn invalid(path: PathBuf) -> Input {
    Input {
        path,
        kind: FileKind::Invalid,
        doc: None,
    }
}

/// Decodes, parses and classifies the content of one file.
fn load_bytes(id: FileId, path: PathBuf, bytes: &[u8]) -> (SourceFile, Input, Vec<Diagnostic>) {
    let name = display_path(&path);
    let mut diags = Vec::new();
    if bytes.len() as u64 > MAX_FILE_BYTES {
        let message = format!(
            "the file is {} bytes, more than lhlint reads ({} bytes)",
            bytes.len(),
            MAX_FILE_BYTES
        );
        diags.push(lh000(Span::new(id, 0, 0), message));
        return (SourceFile::new(name, String::new()), invalid(path), diags);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t.to_string(),
        Err(e) => {
            let offset = e.valid_up_to() as u32;
            let text = String::from_utf8_lossy(bytes).into_owned();
            diags.push(lh000(
                Span::new(id, offset, offset),
                format!("the file is not valid UTF-8 (invalid byte sequence at byte {offset})"),
            ));
            return (SourceFile::new(name, text), invalid(path), diags);
        }
    };
    let source = SourceFile::new(name, text);
    let doc = match json::parse(&source.text) {
        Ok(doc) => doc,
        Err(e) => {
            let end = next_char_end(&source.text, e.offset as usize) as u32;
            diags.push(lh000(
                Span::new(id, e.offset, end),
                format!("invalid JSON: {}", e.message),
            ));
            return (source, invalid(path), diags);
        }
    };
    for (first, dup) in json::duplicate_keys(&doc, &source.text) {
        let f = doc.node(first);
        let d = doc.node(dup);
        let key = doc.key(&source.text, dup).unwrap_or_default();
        diags.push(
            Diagnostic::new(
                "LH903",
                Severity::Warning,
                format!("duplicate property `{key}`: only the last one takes effect"),
                Label::new(Span::new(id, d.key_start, d.key_end), "duplicate defined here"),
            )
            .with_related(Label::new(Span::new(id, f.key_start, f.key_end), "first defined here"))
            .with_help("remove one of the two properties"),
        );
    }
    let kind = classify(&doc, &source.text, &path);
    (
        source,
        Input {
            path,
            kind,
            doc: Some(doc),
        },
        diags,
    )
}

fn next_char_end(text: &str, offset: usize) -> usize {
    match text.get(offset..).and_then(|s| s.chars().next()) {
        Some(c) if c != '\n' && c != '\r' => offset + c.len_utf8(),
        _ => offset,
    }
}

/// A short, stable reason for an I/O error (no OS error codes).
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "no such file or directory".into(),
        PermissionDenied => "permission denied".into(),
        _ => {
            // Drop the OS error code (` (os error 40)`) so messages are stable.
            let text = e.to_string();
            match text.rfind(" (os error ") {
                Some(i) => text[..i].to_string(),
                None => text,
            }
        }
    }
}

/// The LH000 diagnostic for an input that could not be read or parsed.
pub fn lh000(span: Span, message: String) -> Diagnostic {
    Diagnostic::new(
        "LH000",
        Severity::Error,
        message,
        Label::new(span, "parsing stopped here"),
    )
    .with_help("fix the file so that it is JSON (comments are allowed); lhlint skipped its other checks")
}

/// Decides what a parsed file is.
pub fn classify(doc: &Document, text: &str, path: &Path) -> FileKind {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    // Named as an offer: linted even when it is not an object, so that the
    // offer rules say what is wrong instead of skipping the file.
    if file_name.ends_with(".offer.json") && !doc.is_empty() {
        return FileKind::Offer;
    }
    if doc.is_empty() || doc.node(Document::ROOT).kind != Kind::Object {
        return FileKind::Other;
    }
    let schema = doc
        .get(text, Document::ROOT, "$schema")
        .and_then(|s| doc.str(text, s))
        .map(|s| s.to_ascii_lowercase())
        .unwrap_or_default();
    if schema.contains("managed-service-offer") || file_name.ends_with(".offer.json") {
        return FileKind::Offer;
    }
    if schema.contains("deploymenttemplate.json") {
        return FileKind::Template;
    }
    if schema.contains("deploymentparameters.json") {
        return FileKind::Parameters;
    }
    let has = |name: &str, kind: Kind| {
        doc.get(text, Document::ROOT, name)
            .is_some_and(|n| doc.node(n).kind == kind)
    };
    if schema.is_empty() && has("resources", Kind::Array) && has("contentVersion", Kind::String) {
        return FileKind::Template;
    }
    if schema.is_empty() && file_name.contains(".parameters") && has("parameters", Kind::Object) {
        return FileKind::Parameters;
    }
    FileKind::Other
}

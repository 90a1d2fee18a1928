//! Loading rule files: parse, validate, expand aliases, compile selectors and checks.
//!
//! Every problem in a rule file becomes a diagnostic that points into that
//! file; nothing here panics on user input.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use crate::engine::pattern::Pattern;
use serde::Deserialize;

mod relation;

use super::Rule;
use super::builtin::{BLANKED, FILES};
use super::file::{CheckSpec, OneOrMany, Raw, ReportMode, RuleFile};
use crate::catalog::PrincipalType;
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::engine::checks::{Check, CheckItem, ContextList, Field};
use crate::engine::functions::consistent::ConsistentCheck;
use crate::engine::functions::duration::{Duration, DurationCheck};
use crate::engine::functions::join::{Expect, JoinCheck};
use crate::engine::functions::relative::Relative;
use crate::engine::functions::role::{RoleCheck, RoleProperty};
use crate::engine::selector;
use crate::engine::trie::Trie;
use crate::json::{self, Document};
use crate::source::{SourceFile, Sources, Span};
use crate::workspace::FileKind;

/// The file kinds rules can apply to, in trie order.
pub const LINTED_KINDS: [FileKind; 3] = [FileKind::Template, FileKind::Parameters, FileKind::Offer];

/// Rule files that could not be loaded, as diagnostics over their sources.
#[derive(Debug)]
pub struct LoadError {
    pub sources: Sources,
    pub diagnostics: Vec<Diagnostic>,
}

/// Every loaded rule, and the selector tries of the active ones.
#[derive(Debug)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    /// Whether each rule runs in this session (`--select` / `--ignore`).
    pub active: Vec<bool>,
    tries: Vec<Trie>,
    /// Compiled selectors by (rule index, kind), for [`RuleSet::activate`].
    compiled: BTreeMap<(usize, FileKind), Vec<Vec<selector::Step>>>,
    /// Rule index by id.
    index: foldhash::HashMap<String, usize>,
    /// Every regular expression of the rules, by pattern.
    patterns: Vec<Pattern>,
}

impl RuleSet {
    /// The trie for files of `kind`.
    pub fn trie(&self, kind: FileKind) -> Option<&Trie> {
        LINTED_KINDS.iter().position(|k| *k == kind).map(|i| &self.tries[i])
    }

    /// Every regular expression of the loaded rules (built-in ones compile on first use).
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// The rule `id` when it runs in this session.
    pub fn get_active(&self, id: &str) -> Option<&Rule> {
        let i = self.index_of(id)?;
        self.active[i].then(|| &self.rules[i])
    }

    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id.eq_ignore_ascii_case(id))
    }

    /// The active rules that compare offers with their previous version (`--against`).
    pub fn history_rule_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .rules
            .iter()
            .zip(&self.active)
            .filter(|(r, active)| {
                **active
                    && r.workspace
                        .iter()
                        .any(|rel| rel.subjects.previous || rel.others.as_ref().is_some_and(|o| o.previous))
            })
            .map(|(r, _)| r.id.clone())
            .collect();
        ids.sort();
        ids
    }

    /// Whether diagnostics of `id` are reported in this session.
    pub fn is_active(&self, id: &str) -> bool {
        match self.index_of(id) {
            Some(i) => self.active[i],
            None => true,
        }
    }

    /// The index of rule `id` (exact spelling) in `rules`.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// Every rule id, in rule order.
    pub fn ids(&self) -> Vec<String> {
        self.rules.iter().map(|r| r.id.clone()).collect()
    }

    /// Makes exactly the rules with `active[i]` run, and rebuilds the selector tries when that changes them.
    pub fn activate(&mut self, active: Vec<bool>) {
        // A run activates twice (the command line, then every config's
        // union), usually with the same rules: the tries stay.
        if active == self.active && self.tries.len() == LINTED_KINDS.len() {
            return;
        }
        self.active = active;
        self.tries = LINTED_KINDS
            .iter()
            .map(|kind| {
                let mut trie = Trie::default();
                self.insert_selectors(*kind, &mut trie);
                trie
            })
            .collect();
    }

    /// Inserts the `given` selectors of the active rules for files of `kind`
    /// into `trie`, each ending at its rule's index.
    pub fn insert_selectors(&self, kind: FileKind, trie: &mut Trie) {
        for (index, rule) in self.rules.iter().enumerate() {
            if !self.active.get(index).copied().unwrap_or(false) || !rule.applies_to.contains(&kind) {
                continue;
            }
            for steps in self.compiled.get(&(index, kind)).into_iter().flatten() {
                trie.insert(steps, index as u32);
            }
        }
    }
}

/// A file of rule data to load.
struct RuleText {
    name: String,
    text: String,
    docs: Option<std::borrow::Cow<'static, str>>,
    /// `text` with its comments blanked, made at build time for built-in files.
    blanked: Option<&'static str>,
}

/// Loads the built-in rules and those of `user_dirs`, keeping the rules that
/// `select` / `ignore` allow active.
pub fn load(user_dirs: &[std::path::PathBuf], select: &[String], ignore: &[String]) -> Result<RuleSet, LoadError> {
    load_with(user_dirs, select, ignore, false)
}

/// Like [`load`], and hands each built-in pattern to rayon's pool to compile
/// as soon as it is met, so that the patterns are ready when linting starts
/// (for a command that lints once; without it, a pattern compiles at first use).
pub fn load_warming_patterns(
    user_dirs: &[std::path::PathBuf],
    select: &[String],
    ignore: &[String],
) -> Result<RuleSet, LoadError> {
    load_with(user_dirs, select, ignore, true)
}

fn load_with(
    user_dirs: &[std::path::PathBuf],
    select: &[String],
    ignore: &[String],
    warm_patterns: bool,
) -> Result<RuleSet, LoadError> {
    if user_dirs.is_empty()
        && let Some((rules, selectors, patterns)) = super::compiled::read()
    {
        if warm_patterns {
            for pattern in &patterns {
                let pattern = pattern.clone();
                rayon::spawn(move || pattern.warm());
            }
        }
        return Ok(RuleSet::assemble(rules, selectors, patterns, select, ignore));
    }
    compile(user_dirs, select, ignore, warm_patterns)
}

/// The bytes of `src/rules/compiled.bin`: the built-in rules compiled from their files.
pub fn compile_builtin() -> Vec<u8> {
    let set = compile(&[], &[], &[], false).expect("the built-in rules load");
    super::compiled::encode(&set.rules, &set.compiled)
}

/// Reads and compiles the built-in rule files and those of `user_dirs`.
fn compile(
    user_dirs: &[std::path::PathBuf],
    select: &[String],
    ignore: &[String],
    warm_patterns: bool,
) -> Result<RuleSet, LoadError> {
    let mut texts = Vec::new();
    let mut alias_text = None;
    for ((name, text), blanked) in FILES.iter().zip(BLANKED) {
        if *name == "aliases.jsonc" {
            alias_text = Some(RuleText {
                name: ["rules/", name].concat(),
                text: text.to_string(),
                docs: None,
                blanked: Some(blanked),
            });
        } else if name.ends_with(".jsonc") {
            let name = ["rules/", name].concat();
            let docs = super::compiled::docs_of(&name);
            texts.push(RuleText {
                name,
                text: text.to_string(),
                docs,
                blanked: Some(blanked),
            });
        }
    }
    let mut loader = Loader {
        warm_patterns,
        ..Loader::default()
    };
    let builtin_count = texts.len();
    for dir in user_dirs {
        loader.read_dir(dir, &mut texts);
    }
    loader.texts = texts.iter().map(|t| t.text.clone()).collect();
    let aliases = match alias_text {
        Some(a) => loader.aliases(a),
        None => BTreeMap::new(),
    };
    loader.aliases = aliases.clone();
    let mut rules = Vec::new();
    let mut seen = HashSet::new();
    for (i, text) in texts.into_iter().enumerate() {
        let index = rules.len();
        if let Some(rule) = loader.rule(text, &aliases, i < builtin_count, &mut seen, index) {
            rules.push(rule);
        }
    }
    if !loader.diagnostics.is_empty() {
        return Err(LoadError {
            sources: loader.sources,
            diagnostics: loader.diagnostics,
        });
    }
    let mut patterns: Vec<Pattern> = loader.regexes.into_values().collect();
    patterns.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    Ok(RuleSet::assemble(rules, loader.compiled, patterns, select, ignore))
}

impl RuleSet {
    /// The rule set of compiled `rules`, with the rules that `select` /
    /// `ignore` allow active.
    fn assemble(
        rules: Vec<Rule>,
        compiled: super::compiled::Selectors,
        patterns: Vec<Pattern>,
        select: &[String],
        ignore: &[String],
    ) -> RuleSet {
        let active: Vec<bool> = rules
            .iter()
            .map(|r| {
                let selected = select.is_empty() || select.iter().any(|s| super::selector_matches(s, &r.id));
                selected && !ignore.iter().any(|s| super::selector_matches(s, &r.id))
            })
            .collect();
        let index = rules.iter().enumerate().map(|(i, r)| (r.id.clone(), i)).collect();
        let mut set = RuleSet {
            rules,
            active: Vec::new(),
            tries: Vec::new(),
            compiled,
            index,
            patterns,
        };
        set.activate(active);
        set
    }
}

type Aliases = BTreeMap<String, BTreeMap<FileKind, Vec<String>>>;

#[derive(Default)]
struct Loader {
    sources: Sources,
    diagnostics: Vec<Diagnostic>,
    /// Compiled selectors by (rule index, kind).
    compiled: BTreeMap<(usize, FileKind), Vec<Vec<selector::Step>>>,
    /// The aliases, for `field` and `items` options.
    aliases: Aliases,
    /// The file kinds of the rule being compiled.
    kinds: Vec<FileKind>,
    /// Every rule file's text, for the `rule` function.
    texts: Vec<String>,
    /// Rule files' `when` and `then`, by upper-case id, read when the `rule` function needs them.
    raw: BTreeMap<String, RawChecks>,
    /// Ids being inlined by `rule`, to refuse cycles.
    inlining: Vec<String>,
    /// Regular expressions by pattern.
    regexes: std::collections::HashMap<String, Pattern>,
    /// Whether the rule being compiled is built in (its patterns compile lazily).
    builtin: bool,
    /// Whether built-in patterns are handed to rayon's pool as they are met.
    warm_patterns: bool,
}

/// A rule file's `when` and `then` as written.
#[derive(Deserialize)]
struct RawChecks {
    id: String,
    #[serde(default)]
    when: Option<Raw>,
    #[serde(default)]
    then: Option<Raw>,
}

/// The id, `when` and `then` of a rule text, if it parses.
fn raw_checks(text: &str) -> Option<(String, RawChecks)> {
    let raw: RawChecks = match serde_json::from_str(&json::blank_comments(text)) {
        Ok(raw) => raw,
        // serde_json refuses what the span parser reads (repeated members): via a value.
        Err(_) => {
            let value = json::parse_value(text).ok()?;
            let part = |k: &str| {
                value
                    .get(k)
                    .and_then(|v| serde_json::value::RawValue::from_string(v.to_string()).ok())
            };
            RawChecks {
                id: value.get("id")?.as_str()?.to_string(),
                when: part("when"),
                then: part("then"),
            }
        }
    };
    Some((raw.id.to_ascii_uppercase(), raw))
}

/// A read rule file: its id in `sources`, and its document, parsed only when
/// a span is needed (to place an error).
struct Parsed {
    file: usize,
    doc: std::cell::OnceCell<Document>,
}

impl Parsed {
    fn doc(&self, source: &str) -> &Document {
        // Only files that parsed (or that serde_json accepted) get here.
        self.doc
            .get_or_init(|| json::parse(source).unwrap_or_else(|_| Document::default()))
    }
}

impl Loader {
    fn read_dir(&mut self, dir: &Path, texts: &mut Vec<RuleText>) {
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) => {
                self.error_without_source(format!(
                    "cannot read rule directory {}: {}",
                    crate::workspace::display_path(dir),
                    crate::workspace::io_reason(&e)
                ));
                return;
            }
        };
        let mut paths: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("jsonc" | "json")))
            .collect();
        paths.sort();
        for path in paths {
            let name = crate::workspace::display_path(&path);
            // Rule directories may live in the linted repository: the same
            // bounds and symbolic-link policy as for linted files.
            match crate::read::read_bounded(&path, Some(dir)) {
                Ok(bytes) => {
                    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
                    let text = String::from_utf8_lossy(bytes).into_owned();
                    let docs = crate::read::read_bounded(&path.with_extension("md"), Some(dir))
                        .ok()
                        .map(|d| std::borrow::Cow::Owned(String::from_utf8_lossy(&d).into_owned()));
                    texts.push(RuleText {
                        name,
                        text,
                        docs,
                        blanked: None,
                    });
                }
                Err(reason) => self.error_without_source(format!("cannot read rule file {name}: {reason}")),
            }
        }
    }

    /// Reads a rule file into `T`. Valid files go straight from text to `T`
    /// with serde_json (comments blanked); the span-keeping parse and the
    /// path-tracking deserializer run only to say where a file is wrong.
    fn read<T: for<'de> Deserialize<'de>>(&mut self, text: RuleText) -> Option<(Parsed, T)> {
        let file = self.sources.files.len();
        self.sources.files.push(SourceFile::new(text.name, text.text));
        let parsed = Parsed {
            file,
            doc: std::cell::OnceCell::new(),
        };
        let source = &self.sources.files[file].text;
        let blanked = text
            .blanked
            .map_or_else(|| json::blank_comments(source), std::borrow::Cow::Borrowed);
        if let Ok(value) = serde_json::from_str::<T>(&blanked) {
            return Some((parsed, value));
        }
        let source = source.clone();
        match json::parse(&source) {
            Ok(doc) if doc.node(Document::ROOT).kind == json::Kind::Object => {
                let _ = parsed.doc.set(doc);
            }
            Ok(_) => {
                self.error(
                    Span::new(file, 0, 1),
                    "a rule file must hold one JSON object".into(),
                    "",
                );
                return None;
            }
            Err(e) => {
                let end = e.offset + 1;
                self.error(
                    Span::new(file, e.offset, end),
                    format!("invalid JSON in rule file: {}", e.message),
                    "here",
                );
                return None;
            }
        }
        let value = self.deserialize(&parsed, &source)?;
        Some((parsed, value))
    }

    fn aliases(&mut self, text: RuleText) -> Aliases {
        let mut out = Aliases::new();
        let Some((parsed, raw)) = self.read::<BTreeMap<String, BTreeMap<String, Vec<String>>>>(text) else {
            return out;
        };
        let source = self.sources.files[parsed.file].text.clone();
        for (name, by_kind) in raw {
            let mut entry = BTreeMap::new();
            for (kind, paths) in by_kind {
                match parse_kind(&kind) {
                    Some(k) => {
                        entry.insert(k, paths);
                    }
                    None => {
                        let span =
                            self.span_at(&parsed, &source, &format!("/{}/{}", escape(&name), escape(&kind)), true);
                        self.error(
                            span,
                            format!("unknown file kind `{kind}`"),
                            "expected template, parameters or offer",
                        );
                    }
                }
            }
            out.insert(name, entry);
        }
        out
    }

    fn rule(
        &mut self,
        text: RuleText,
        aliases: &Aliases,
        builtin: bool,
        seen: &mut HashSet<String>,
        index: usize,
    ) -> Option<Rule> {
        self.builtin = builtin;
        let docs = text.docs.clone();
        let (parsed, file) = self.read::<RuleFile>(text)?;
        let source = self.sources.files[parsed.file].text.clone();
        let origin = self.sources.files[parsed.file].name.clone();
        let errors_before = self.diagnostics.len();

        let id_ok = if builtin {
            is_builtin_id(&file.id)
        } else {
            is_user_id(&file.id)
        };
        if !id_ok {
            let span = self.span_at(&parsed, &source, "/id", false);
            self.error(
                span,
                format!("invalid rule id `{}`", file.id),
                "expected upper-case letters and digits, e.g. ACME001",
            );
        } else if !seen.insert(file.id.to_ascii_uppercase()) {
            let span = self.span_at(&parsed, &source, "/id", false);
            self.error(
                span,
                format!("rule id `{}` is already defined", file.id),
                "ids must be unique",
            );
        }
        if !is_kebab_name(&file.name) {
            let span = self.span_at(&parsed, &source, "/name", false);
            self.error(
                span,
                format!("invalid rule name `{}`", file.name),
                "expected kebab-case",
            );
        }

        let mut applies_to = Vec::new();
        for (i, kind) in file.applies_to.iter().enumerate() {
            match parse_kind(kind) {
                Some(k) => applies_to.push(k),
                None => {
                    let span = self.span_at(&parsed, &source, &format!("/applies-to/{i}"), false);
                    self.error(
                        span,
                        format!("unknown file kind `{kind}`"),
                        "expected template, parameters or offer",
                    );
                }
            }
        }
        if file.applies_to.is_empty() {
            applies_to = LINTED_KINDS.to_vec();
        }

        for (i, given) in file.given.iter().enumerate() {
            let pointer = format!("/given/{i}");
            match expand(given, aliases, &applies_to) {
                Ok(paths) => {
                    let mut failed = HashSet::new();
                    for (kind, path) in paths {
                        if failed.contains(&path) {
                            continue;
                        }
                        if path.starts_with('@') {
                            let span = self.span_at(&parsed, &source, &pointer, false);
                            self.error(
                                span,
                                format!("`{given}` is relative (its paths start with @)"),
                                "relative aliases belong in `field` or `items`; `given` needs paths from $",
                            );
                            failed.insert(path);
                            continue;
                        }
                        match selector::compile(&path) {
                            Ok(steps) => self.compiled.entry((index, kind)).or_default().push(steps),
                            Err(message) => {
                                let span = self.span_at(&parsed, &source, &pointer, false);
                                let shown = crate::engine::checks::display(&path);
                                self.error(span, format!("selector `{shown}`: {message}"), "unsupported selector");
                                failed.insert(path);
                            }
                        }
                    }
                }
                Err(message) => {
                    let span = self.span_at(&parsed, &source, &pointer, false);
                    self.error(span, message, "unknown alias");
                }
            }
        }

        self.kinds = applies_to.clone();
        let when = self.checks(&parsed, &source, file.when, "/when", false);
        let then_is_one = file.then.is_one();
        let then = self.checks(&parsed, &source, file.then.into_vec(), "/then", then_is_one);
        let mut workspace = Vec::new();
        for (i, spec) in file.workspace.into_iter().enumerate() {
            if let Some(r) = self.relation(&parsed, &source, &spec, &format!("/workspace/{i}"), &applies_to) {
                workspace.push(r);
            }
        }
        if !file.given.is_empty() && then.is_empty() && self.diagnostics.len() == errors_before {
            let span = self.span_at(&parsed, &source, "/given", true);
            self.error(span, "a rule with `given` needs at least one `then` check".into(), "");
        }
        if self.diagnostics.len() != errors_before {
            return None;
        }
        Some(Rule {
            id: file.id,
            name: file.name,
            severity: file.severity,
            summary: file.summary,
            applies_to,
            given: file.given,
            when,
            then,
            message: file.message,
            label: file.label,
            note: file.note.map(Into::into),
            help: file.help.map(Into::into),
            docs,
            origin,
            builtin,
            report_all: file.report == ReportMode::All,
            workspace,
        })
    }

    fn checks(
        &mut self,
        parsed: &Parsed,
        source: &str,
        specs: Vec<CheckSpec>,
        base: &str,
        one: bool,
    ) -> Vec<CheckItem> {
        let mut out = Vec::new();
        for (i, spec) in specs.into_iter().enumerate() {
            let pointer = if one { base.to_string() } else { step_index(base, i) };
            if let Some(item) = self.check(parsed, source, spec, &pointer) {
                out.push(item);
            }
        }
        out
    }

    fn check(&mut self, parsed: &Parsed, source: &str, spec: CheckSpec, pointer: &str) -> Option<CheckItem> {
        let field = match spec.field.as_deref().map(|f| self.field(f)) {
            Some(Ok(f)) => Some(f),
            Some(Err(message)) => {
                let span = self.span_at(parsed, source, &step(pointer, "field"), false);
                self.error(span, message, "");
                return None;
            }
            None => None,
        };
        let before = self.diagnostics.len();
        let when = self.checks(parsed, source, spec.when, &step(pointer, "when"), false);
        if self.diagnostics.len() != before {
            return None;
        }
        let options = spec.options.as_deref();
        let opt_ptr = step(pointer, "options");
        let check = match spec.function.as_str() {
            "keys" => {
                let o: KeysOptions = self.options(parsed, source, options, &opt_ptr)?;
                Check::Keys {
                    allowed: o.allowed,
                    case_insensitive: o.case_insensitive,
                }
            }
            "each" => {
                let o: InnerOptions = self.options(parsed, source, options, &opt_ptr)?;
                Check::Each(Box::new(self.check(
                    parsed,
                    source,
                    o.check,
                    &step(&opt_ptr, "check"),
                )?))
            }
            "rule" => {
                let o: RuleOptions = self.options(parsed, source, options, &opt_ptr)?;
                self.inline_rule(parsed, source, &o.id, &step(&opt_ptr, "id"))?
            }
            "filter" => {
                let o: FilterOptions = self.options(parsed, source, options, &opt_ptr)?;
                match selector::compile_filter(&o.expression) {
                    Ok(pred) => Check::Filter(pred),
                    Err(message) => {
                        let span = self.span_at(parsed, source, &step(&opt_ptr, "expression"), false);
                        self.error(span, format!("filter `{}`: {message}", o.expression), "");
                        return None;
                    }
                }
            }
            "defined" => Check::Defined,
            "receives-value" => Check::ReceivesValue,
            "conforms-to-declaration" => Check::ConformsToDeclaration,
            "declared-by-template" => Check::DeclaredByTemplate,
            "fail" => Check::Fail,
            "references-parameter" => {
                let o: PatternOptions = self.options(parsed, source, options, &opt_ptr)?;
                let pattern = o.matches.as_deref().unwrap_or_default();
                Check::ReferencesParameter(self.regex(parsed, source, Some(pattern), &step(&opt_ptr, "match"))??)
            }
            "undefined" => Check::Undefined,
            "pattern" => {
                let o: PatternOptions = self.options(parsed, source, options, &opt_ptr)?;
                if o.matches.is_none() && o.not_match.is_none() {
                    let span = self.span_at(parsed, source, &opt_ptr, true);
                    self.error(span, "`pattern` needs `match` or `not-match`".into(), "");
                    return None;
                }
                Check::Pattern {
                    matches: self.regex(parsed, source, o.matches.as_deref(), &step(&opt_ptr, "match"))?,
                    not_match: self.regex(parsed, source, o.not_match.as_deref(), &step(&opt_ptr, "not-match"))?,
                }
            }
            "enumeration" | "excluded" => {
                let o: ValuesOptions = self.options(parsed, source, options, &opt_ptr)?;
                let from = match (&o.values, o.values_from.as_deref()) {
                    (Some(_), None) => None,
                    (None, Some(name)) => match ContextList::parse(name) {
                        Some(list) => Some(list),
                        None => {
                            let span = self.span_at(parsed, source, &step(&opt_ptr, "values-from"), false);
                            self.error(
                                span,
                                format!("unknown context list `{name}`"),
                                &format!("expected one of: {}", ContextList::NAMES),
                            );
                            return None;
                        }
                    },
                    _ => {
                        let span = self.span_at(parsed, source, &opt_ptr, true);
                        self.error(
                            span,
                            format!("`{}` needs either `values` or `values-from`", spec.function),
                            "",
                        );
                        return None;
                    }
                };
                let values = o.values.iter().flatten().map(scalar_string).collect();
                if spec.function == "enumeration" {
                    Check::Enumeration {
                        values,
                        case_insensitive: o.case_insensitive,
                        from,
                    }
                } else {
                    Check::Excluded {
                        values,
                        case_insensitive: o.case_insensitive,
                        from,
                    }
                }
            }
            "length" => {
                let o: LengthOptions = self.options(parsed, source, options, &opt_ptr)?;
                Check::Length { min: o.min, max: o.max }
            }
            "guid" => {
                let o: GuidOptions = self.options(parsed, source, options, &opt_ptr)?;
                Check::Guid {
                    lowercase: o.lowercase,
                    allow_nil: o.allow_nil,
                }
            }
            "type" => {
                let o: TypeOptions = self.options(parsed, source, options, &opt_ptr)?;
                const TYPES: [&str; 6] = ["null", "boolean", "number", "string", "array", "object"];
                if let Some(bad) = o.is.iter().find(|t| !TYPES.contains(&t.as_str())) {
                    let span = self.span_at(parsed, source, &step(&opt_ptr, "is"), false);
                    self.error(
                        span,
                        format!("unknown JSON type `{bad}`"),
                        "expected one of null, boolean, number, string, array, object",
                    );
                    return None;
                }
                Check::Type { types: o.is }
            }
            "some" | "none" | "not" => {
                let o: InnerOptions = self.options(parsed, source, options, &opt_ptr)?;
                let inner = Box::new(self.check(parsed, source, o.check, &step(&opt_ptr, "check"))?);
                match spec.function.as_str() {
                    "some" => Check::Some(inner),
                    "none" => Check::None(inner),
                    _ => Check::Not(inner),
                }
            }
            "all" | "any" => {
                let o: ListOptions = self.options(parsed, source, options, &opt_ptr)?;
                let before = self.diagnostics.len();
                let items = self.checks(parsed, source, o.checks, &step(&opt_ptr, "checks"), false);
                if self.diagnostics.len() != before {
                    return None;
                }
                if spec.function == "all" {
                    Check::All(items)
                } else {
                    Check::Any(items)
                }
            }
            "unique" => {
                let o: UniqueOptions = self.options(parsed, source, options, &opt_ptr)?;
                let mut by = Vec::new();
                for f in &o.by {
                    match self.field(f) {
                        Ok(f) => by.push(f),
                        Err(message) => {
                            let span = self.span_at(parsed, source, &step(&opt_ptr, "by"), false);
                            self.error(span, message, "");
                            return None;
                        }
                    }
                }
                let items = match &o.items {
                    Some(paths) => Some(self.relative_at(parsed, source, paths, &step(&opt_ptr, "items"))?),
                    None => None,
                };
                Check::Unique {
                    by,
                    case_insensitive: o.case_insensitive,
                    items,
                }
            }
            "principal-kind" => {
                let o: PrincipalKindOptions = self.options(parsed, source, options, &opt_ptr)?;
                let mut not = Vec::new();
                for k in &o.not {
                    match PrincipalType::parse(k) {
                        Some(t) => not.push(t),
                        None => {
                            let span = self.span_at(parsed, source, &step(&opt_ptr, "not"), false);
                            self.error(
                                span,
                                format!("unknown principal kind `{k}`"),
                                &format!("expected one of: {}", PrincipalType::NAMES),
                            );
                            return None;
                        }
                    }
                }
                let display_name_field = match o.display_name_field.as_deref().map(|f| self.field(f)) {
                    Some(Ok(f)) => Some(f),
                    Some(Err(m)) => {
                        let span = self.span_at(parsed, source, &step(&opt_ptr, "display-name-field"), false);
                        self.error(span, m, "");
                        return None;
                    }
                    None => None,
                };
                let type_field = match o.type_field.as_deref().map(|f| self.field(f)) {
                    Some(Ok(f)) => Some(f),
                    Some(Err(m)) => {
                        let span = self.span_at(parsed, source, &step(&opt_ptr, "type-field"), false);
                        self.error(span, m, "");
                        return None;
                    }
                    None => None,
                };
                Check::PrincipalKind {
                    not,
                    display_name_field,
                    user_name_pattern: self.regex(
                        parsed,
                        source,
                        o.user_name_pattern.as_deref(),
                        &step(&opt_ptr, "user-name-pattern"),
                    )?,
                    type_field,
                }
            }
            "duration" => {
                let o: DurationOptions = self.options(parsed, source, options, &opt_ptr)?;
                let mut parsed_bound = |text: &Option<String>, name: &str| -> Option<Option<Duration>> {
                    match text.as_deref().map(Duration::parse) {
                        None => Some(None),
                        Some(Ok(d)) => Some(Some(d)),
                        Some(Err(e)) => {
                            let span = self.span_at(parsed, source, &step(&opt_ptr, name), false);
                            self.error(
                                span,
                                format!("invalid duration: it {e}"),
                                "expected ISO 8601, such as PT30M",
                            );
                            None
                        }
                    }
                };
                let min = parsed_bound(&o.min, "min")?;
                let max = parsed_bound(&o.max, "max")?;
                let multiple_of = parsed_bound(&o.multiple_of, "multiple-of")?;
                Check::Duration(DurationCheck { min, max, multiple_of })
            }
            "consistent" => {
                let o: ConsistentOptions = self.options(parsed, source, options, &opt_ptr)?;
                let by = self.fields_at(parsed, source, &o.by, &step(&opt_ptr, "by"))?;
                let same = self.fields_at(parsed, source, &o.same, &step(&opt_ptr, "same"))?;
                let items = match &o.items {
                    Some(paths) => Some(self.relative_at(parsed, source, paths, &step(&opt_ptr, "items"))?),
                    None => None,
                };
                Check::Consistent(ConsistentCheck {
                    items,
                    by,
                    same,
                    case_insensitive: o.case_insensitive,
                    ignore_order: o.ignore_order,
                })
            }
            "join" => {
                let o: JoinOptions = self.options(parsed, source, options, &opt_ptr)?;
                let on = self.fields_at(parsed, source, &o.on, &step(&opt_ptr, "on"))?;
                if on.is_empty() {
                    let span = self.span_at(parsed, source, &step(&opt_ptr, "on"), true);
                    self.error(span, "`join` needs at least one field in `on`".into(), "");
                    return None;
                }
                let items = match &o.items {
                    Some(paths) => Some(self.relative_at(parsed, source, paths, &step(&opt_ptr, "items"))?),
                    None => None,
                };
                let candidates = self.relative_at(parsed, source, &o.candidates, &step(&opt_ptr, "in"))?;
                let where_ = match o.where_ {
                    Some(spec) => Some(Box::new(self.check(parsed, source, spec, &step(&opt_ptr, "where"))?)),
                    None => None,
                };
                let expect = match o.expect.as_deref() {
                    None | Some("some") => Expect::Some,
                    Some("none") => Expect::None,
                    Some(other) => {
                        let span = self.span_at(parsed, source, &step(&opt_ptr, "expect"), false);
                        self.error(span, format!("unknown expectation `{other}`"), "expected some or none");
                        return None;
                    }
                };
                Check::Join(JoinCheck {
                    items,
                    candidates,
                    on,
                    where_,
                    expect,
                    case_insensitive: o.case_insensitive,
                    related: o.related.unwrap_or_else(|| "the same value here".into()),
                })
            }
            "role" => {
                let o: RoleOptions = self.options(parsed, source, options, &opt_ptr)?;
                let mut reject = Vec::new();
                for (i, name) in o.reject.iter().enumerate() {
                    match RoleProperty::parse(name) {
                        Some(p) => reject.push(p),
                        None => {
                            let span = self.span_at(parsed, source, &step_index(&step(&opt_ptr, "reject"), i), false);
                            self.error(
                                span,
                                format!("unknown role property `{name}`"),
                                &format!("expected one of: {}", RoleProperty::NAMES),
                            );
                            return None;
                        }
                    }
                }
                if reject.is_empty() && o.name_matches.is_none() {
                    let span = self.span_at(parsed, source, &opt_ptr, true);
                    self.error(span, "`role` needs `reject` or `name-matches`".into(), "");
                    return None;
                }
                Check::Role(RoleCheck {
                    reject,
                    except: o.except.iter().map(|e| e.to_ascii_lowercase()).collect(),
                    name_matches: self.regex(
                        parsed,
                        source,
                        o.name_matches.as_deref(),
                        &step(&opt_ptr, "name-matches"),
                    )?,
                })
            }
            other => {
                let span = self.span_at(parsed, source, &step(pointer, "function"), false);
                self.error(
                    span,
                    format!("unknown function `{other}`"),
                    "expected one of: defined, undefined, pattern, enumeration, excluded, length, guid, type, some, none, unique, all, any, not, principal-kind, role, duration, consistent, join, receives-value, conforms-to-declaration, declared-by-template, references-parameter, fail, keys, each, rule, filter",
                );
                return None;
            }
        };
        Some(CheckItem {
            field,
            check,
            when,
            message: spec.message,
            severity: spec.severity,
            label: spec.label,
        })
    }

    /// Compiles `paths` (relative paths or aliases) for the rule's kinds; errors point at `pointer`.
    fn relative_at(&mut self, parsed: &Parsed, source: &str, paths: &Paths, pointer: &str) -> Option<Relative> {
        let list = paths.as_slice();
        let mut expanded = Vec::new();
        for (i, path) in list.iter().enumerate() {
            let result = if path.starts_with('#') {
                expand(path, &self.aliases, &self.kinds)
            } else {
                Ok(self.kinds.iter().map(|k| (*k, path.clone())).collect())
            };
            match result {
                Ok(p) => expanded.extend(p),
                Err(message) => {
                    let at = if matches!(paths, Paths::Many(_)) {
                        step_index(pointer, i)
                    } else {
                        pointer.to_string()
                    };
                    let span = self.span_at(parsed, source, &at, false);
                    self.error(span, message, "");
                    return None;
                }
            }
        }
        match Relative::compile(&list.join(", "), &expanded) {
            Ok(r) => Some(r),
            Err(message) => {
                let span = self.span_at(parsed, source, pointer, false);
                self.error(span, message, "");
                None
            }
        }
    }

    /// Compiles a list of `field`s; errors point at `pointer`.
    fn fields_at(&mut self, parsed: &Parsed, source: &str, texts: &[String], pointer: &str) -> Option<Vec<Field>> {
        let mut out = Vec::new();
        for (i, text) in texts.iter().enumerate() {
            match self.field(text) {
                Ok(f) => out.push(f),
                Err(message) => {
                    let span = self.span_at(parsed, source, &step_index(pointer, i), false);
                    self.error(span, message, "");
                    return None;
                }
            }
        }
        Some(out)
    }

    /// A `field`: dotted member names, or a relative alias of them (`#DelegatedRoles`).
    fn field(&self, text: &str) -> Result<Field, String> {
        if !text.starts_with('#') {
            return Field::parse(text);
        }
        let mut by_kind = Vec::new();
        for (kind, path) in expand(text, &self.aliases, &self.kinds)? {
            let steps = match path.strip_prefix('@') {
                Some(rest) => selector::compile(&format!("${rest}"))?,
                None => {
                    return Err(format!(
                        "alias `{text}` is not relative: a field alias lists paths from @"
                    ));
                }
            };
            let mut names = Vec::new();
            for step in steps {
                match step {
                    selector::Step::Name(n) => names.push(n),
                    _ => return Err(format!("alias `{text}`: a field alias may only name members (@.a.b)")),
                }
            }
            if names.is_empty() {
                return Err(format!("alias `{text}`: a field alias must name a member"));
            }
            by_kind.push((kind, names));
        }
        Ok(Field {
            text: text.to_string(),
            names: Vec::new(),
            by_kind: Some(by_kind),
            from_root: false,
        })
    }

    /// The `when` and `then` of the rule file with id `key` (upper case).
    /// Only files whose text holds the id are parsed, unless none of them
    /// has it (an id written with escapes).
    fn raw_checks(&mut self, key: &str) -> Option<&RawChecks> {
        if !self.raw.contains_key(key) {
            let holds = |text: &str| text.to_ascii_uppercase().contains(key);
            for pass in [true, false] {
                let found = self
                    .texts
                    .iter()
                    .filter(|t| holds(t) == pass)
                    .filter_map(|t| raw_checks(t))
                    .find(|(id, _)| id == key);
                if let Some((id, raw)) = found {
                    self.raw.insert(id, raw);
                    break;
                }
            }
        }
        self.raw.get(key)
    }

    /// Compiles another rule's `when` and `then` for the `rule` function.
    fn inline_rule(&mut self, parsed: &Parsed, source: &str, id: &str, pointer: &str) -> Option<Check> {
        let key = id.to_ascii_uppercase();
        if self.inlining.contains(&key) {
            let span = self.span_at(parsed, source, pointer, false);
            self.error(span, format!("rule `{id}` refers to itself through `rule`"), "cycle");
            return None;
        }
        let Some(raw) = self.raw_checks(&key) else {
            let span = self.span_at(parsed, source, pointer, false);
            self.error(span, format!("unknown rule `{id}`"), "no rule file has this id");
            return None;
        };
        let (when, then) = (raw.when.clone(), raw.then.clone());
        let when: Vec<CheckSpec> = match when.filter(|w| !is_null(w)) {
            None => Vec::new(),
            Some(w) => self.options(parsed, source, Some(&w), pointer)?,
        };
        let then: OneOrMany<CheckSpec> = match then.filter(|t| !is_null(t)) {
            None => OneOrMany::default(),
            Some(t) => self.options(parsed, source, Some(&t), pointer)?,
        };
        self.inlining.push(key);
        let before = self.diagnostics.len();
        let when = self.checks(parsed, source, when, pointer, false);
        let then = self.checks(parsed, source, then.into_vec(), pointer, true);
        self.inlining.pop();
        if self.diagnostics.len() != before {
            return None;
        }
        Some(Check::Rule { when, then })
    }

    fn regex(
        &mut self,
        parsed: &Parsed,
        source: &str,
        pattern: Option<&str>,
        pointer: &str,
    ) -> Option<Option<Pattern>> {
        let Some(pattern) = pattern else {
            return Some(None);
        };
        // Many rules share a pattern (GUIDs): each is compiled once per load.
        if let Some(re) = self.regexes.get(pattern) {
            return Some(Some(re.clone()));
        }
        let built = if self.builtin {
            let lazy = Pattern::lazy(pattern);
            if self.warm_patterns {
                // Made ready on another core while the rules go on loading (or
                // at first use, if that comes first).
                let warm = lazy.clone();
                rayon::spawn(move || warm.warm());
            }
            Ok(lazy)
        } else {
            Pattern::compiled(pattern)
        };
        match built {
            Ok(re) => {
                self.regexes.insert(pattern.to_string(), re.clone());
                Some(Some(re))
            }
            Err(e) => {
                let span = self.span_at(parsed, source, pointer, false);
                let first = e.to_string().lines().last().unwrap_or_default().trim().to_string();
                self.error(span, format!("invalid regular expression: {first}"), "");
                None
            }
        }
    }

    /// `T` from the JSON text of a part of a rule file (none or `null`: `{}`).
    fn options<T: for<'de> Deserialize<'de>>(
        &mut self,
        parsed: &Parsed,
        source: &str,
        raw: Option<&serde_json::value::RawValue>,
        pointer: &str,
    ) -> Option<T> {
        let text = raw.map(|r| r.get()).filter(|t| t.trim() != "null").unwrap_or("{}");
        // Deserializing through serde_path_to_error costs twice as much: only
        // to say where a value is wrong.
        if let Ok(v) = serde_json::from_str(text) {
            return Some(v);
        }
        match serde_path_to_error::deserialize::<_, T>(&mut serde_json::Deserializer::from_str(text)) {
            Ok(v) => Some(v),
            Err(e) => {
                let path = path_to_pointer(e.path());
                let span = self.span_at(parsed, source, &format!("{pointer}{path}"), true);
                self.error(span, format!("invalid options: {}", without_position(e.inner())), "");
                None
            }
        }
    }

    /// `T` from a parsed file that serde_json refused, with the place of the error.
    fn deserialize<T: for<'de> Deserialize<'de>>(&mut self, parsed: &Parsed, source: &str) -> Option<T> {
        let text = json::blank_comments(source);
        match serde_path_to_error::deserialize::<_, T>(&mut serde_json::Deserializer::from_str(&text)) {
            Ok(v) => Some(v),
            Err(e) => {
                let path = path_to_pointer(e.path());
                let span = self.span_at(parsed, source, &path, true);
                self.error(span, format!("invalid rule file: {}", without_position(e.inner())), "");
                None
            }
        }
    }

    /// The span of the node at `pointer`, or of the closest existing ancestor.
    /// `key` prefers the member name of the node.
    fn span_at(&self, parsed: &Parsed, source: &str, pointer: &str, key: bool) -> Span {
        let mut p = pointer.to_string();
        loop {
            let doc = parsed.doc(source);
            if let Some(id) = doc.at_pointer(source, &p) {
                let n = doc.node(id);
                let (start, end) = if key && n.key_start != json::NONE {
                    (n.key_start, n.key_end)
                } else if matches!(n.kind, json::Kind::Object | json::Kind::Array) {
                    (n.start, n.start + 1)
                } else {
                    (n.start, n.end)
                };
                return Span::new(parsed.file, start, end);
            }
            match p.rfind('/') {
                Some(i) => p.truncate(i),
                None => return Span::new(parsed.file, 0, 1),
            }
        }
    }

    fn error(&mut self, span: Span, message: String, label: &str) {
        self.diagnostics
            .push(Diagnostic::new("", Severity::Error, message, Label::new(span, label)));
    }

    fn error_without_source(&mut self, message: String) {
        let file = self.sources.files.len();
        self.sources
            .files
            .push(SourceFile::new("<command line>".into(), String::new()));
        self.error(Span::new(file, 0, 0), message, "");
    }
}

/// `base/part`: a JSON pointer one step down, to place an error should one
/// come. Built with no `format!` machinery: every check of every rule file
/// makes a few, and only a broken file uses them.
fn step(base: &str, part: &str) -> String {
    let mut out = String::with_capacity(base.len() + 1 + part.len());
    out.push_str(base);
    out.push('/');
    out.push_str(part);
    out
}

/// `base/index`, like [`step`].
fn step_index(base: &str, index: usize) -> String {
    step(base, itoa::Buffer::new().format(index))
}

/// Expands `#Alias.rest` into one path per file kind; plain paths apply to every kind.
fn expand(given: &str, aliases: &Aliases, kinds: &[FileKind]) -> Result<Vec<(FileKind, String)>, String> {
    if let Some(rest) = given.strip_prefix('#') {
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let (name, tail) = rest.split_at(end);
        let alias = aliases
            .get(&format!("#{name}"))
            .ok_or_else(|| format!("unknown alias `#{name}`; aliases are defined in rules/aliases.jsonc"))?;
        Ok(alias
            .iter()
            .filter(|(k, _)| kinds.contains(k))
            .flat_map(|(k, paths)| paths.iter().map(move |p| (*k, [p.as_str(), tail].concat())))
            .collect())
    } else {
        Ok(kinds.iter().map(|k| (*k, given.to_string())).collect())
    }
}

/// serde_json's message without its " at line L column C" (the span says where).
fn without_position(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    message.strip_suffix(&suffix).unwrap_or(&message).to_string()
}

/// Whether a kept part of a rule file is `null`.
fn is_null(raw: &serde_json::value::RawValue) -> bool {
    raw.get().trim() == "null"
}

fn parse_kind(s: &str) -> Option<FileKind> {
    match s {
        "template" => Some(FileKind::Template),
        "parameters" => Some(FileKind::Parameters),
        "offer" => Some(FileKind::Offer),
        _ => None,
    }
}

fn escape(s: &str) -> String {
    if !s.contains(['~', '/']) {
        return s.to_string();
    }
    s.replace('~', "~0").replace('/', "~1")
}

fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for seg in path.iter() {
        match seg {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => out.push_str(&format!("/{}", escape(key))),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

fn scalar_string(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PatternOptions {
    #[serde(rename = "match", default)]
    matches: Option<String>,
    #[serde(default)]
    not_match: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ValuesOptions {
    #[serde(default)]
    values: Option<Vec<serde_json::Value>>,
    /// A list of the run's context instead of `values` (`customer-tenants`).
    #[serde(default)]
    values_from: Option<String>,
    #[serde(default)]
    case_insensitive: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct LengthOptions {
    #[serde(default)]
    min: Option<usize>,
    #[serde(default)]
    max: Option<usize>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct GuidOptions {
    #[serde(default)]
    lowercase: bool,
    #[serde(default = "yes")]
    allow_nil: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct TypeOptions {
    is: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct InnerOptions {
    check: CheckSpec,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ListOptions {
    checks: Vec<CheckSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct UniqueOptions {
    #[serde(default)]
    by: Vec<String>,
    #[serde(default)]
    case_insensitive: bool,
    #[serde(default)]
    items: Option<Paths>,
}

/// One relative path (or alias) or a list of them.
#[derive(Deserialize)]
#[serde(untagged)]
enum Paths {
    One(String),
    Many(Vec<String>),
}

impl Paths {
    fn as_slice(&self) -> &[String] {
        match self {
            Paths::One(p) => std::slice::from_ref(p),
            Paths::Many(p) => p,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct DurationOptions {
    #[serde(default)]
    min: Option<String>,
    #[serde(default)]
    max: Option<String>,
    #[serde(default)]
    multiple_of: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct ConsistentOptions {
    #[serde(default)]
    items: Option<Paths>,
    by: Vec<String>,
    same: Vec<String>,
    #[serde(default)]
    case_insensitive: bool,
    #[serde(default)]
    ignore_order: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct JoinOptions {
    #[serde(default)]
    items: Option<Paths>,
    #[serde(rename = "in")]
    candidates: Paths,
    on: Vec<String>,
    #[serde(default, rename = "where")]
    where_: Option<CheckSpec>,
    #[serde(default)]
    expect: Option<String>,
    #[serde(default)]
    case_insensitive: bool,
    #[serde(default)]
    related: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct KeysOptions {
    allowed: Vec<String>,
    #[serde(default)]
    case_insensitive: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FilterOptions {
    expression: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RuleOptions {
    id: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct PrincipalKindOptions {
    not: Vec<String>,
    #[serde(default)]
    display_name_field: Option<String>,
    #[serde(default)]
    user_name_pattern: Option<String>,
    #[serde(default)]
    type_field: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RoleOptions {
    #[serde(default)]
    reject: Vec<String>,
    #[serde(default)]
    except: Vec<String>,
    #[serde(default)]
    name_matches: Option<String>,
}

/// `LH` or `MS` and three digits (ids of the built-in rules). Checked by hand:
/// compiling a regex for each of 90 rule files was most of a one-file run.
fn is_builtin_id(id: &str) -> bool {
    let b = id.as_bytes();
    b.len() == 5 && (b.starts_with(b"LH") || b.starts_with(b"MS")) && b[2..].iter().all(u8::is_ascii_digit)
}

/// An upper-case letter, then 1 to 31 upper-case letters, digits, `_` or `-`.
fn is_user_id(id: &str) -> bool {
    let b = id.as_bytes();
    (2..=32).contains(&b.len())
        && b[0].is_ascii_uppercase()
        && b[1..]
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'_' || *c == b'-')
}

/// Lower-case words of letters and digits joined by single `-`.
fn is_kebab_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .split('-')
            .all(|w| !w.is_empty() && w.bytes().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
}

#[cfg(test)]
mod id_tests {
    use super::{is_builtin_id, is_kebab_name, is_user_id};

    #[test]
    fn pointer_steps_are_written_like_format() {
        assert_eq!(super::step("/then/0/options", "match"), "/then/0/options/match");
        assert_eq!(super::step("", "id"), "/id");
        for i in [0, 7, 10, 99, 12345, usize::MAX] {
            assert_eq!(super::step_index("/given", i), format!("/given/{i}"));
        }
    }

    #[test]
    fn every_builtin_pattern_compiles() {
        // Built-in patterns compile lazily, at first use: compile them all here.
        // Each also has a DFA built by build.rs, which finds them on its own.
        let set = super::load(&[], &[], &[]).expect("built-in rules load");
        assert!(set.patterns().len() >= 5, "{:?}", set.patterns());
        for pattern in set.patterns() {
            let _ = pattern.regex();
            assert!(pattern.is_prebuilt(), "build.rs missed {}", pattern.as_str());
        }
    }

    #[test]
    fn stored_rules_are_the_compiled_rules() {
        let (rules, selectors, patterns) = super::super::compiled::read()
            .expect("src/rules/compiled.bin is current (LHLINT_BLESS=1 cargo test --test compiled_rules)");
        let set = super::compile(&[], &[], &[], false).unwrap();
        assert_eq!(format!("{rules:#?}"), format!("{:#?}", set.rules));
        assert_eq!(selectors, set.compiled);
        use crate::engine::checks::Check;
        use crate::engine::pattern::Pattern;
        use crate::rules::Rule;
        let sources = |p: &[Pattern]| p.iter().map(|p| p.as_str().to_string()).collect::<Vec<_>>();
        assert_eq!(sources(&patterns), sources(&set.patterns));
        assert!(rules.iter().all(|r| r.docs.is_some()));
        // Patterns with one source share one program, as when compiled.
        let first = |rules: &[Rule]| {
            rules.iter().find_map(|r| {
                r.then.iter().find_map(|c| match &c.check {
                    Check::Pattern { matches: Some(p), .. } => Some(p.clone()),
                    _ => None,
                })
            })
        };
        let shared = first(&rules).unwrap();
        assert!(patterns.iter().any(|p| p.same_program(&shared)));
    }

    #[test]
    fn builtin_rule_files_take_the_fast_path() {
        // Valid files skip the span-keeping parse: serde_json reads them with
        // comments blanked, into the same JSON, and straight into a rule.
        assert_eq!(super::FILES.len(), super::BLANKED.len());
        for ((name, text), built) in super::FILES.iter().zip(super::BLANKED) {
            if !name.ends_with(".jsonc") {
                assert!(built.is_empty(), "{name}");
                continue;
            }
            let blanked = crate::json::blank_comments(text);
            assert_eq!(*built, blanked, "build.rs blanked {name} as lhlint does");
            let value: serde_json::Value =
                serde_json::from_str(&blanked).unwrap_or_else(|e| panic!("{name} is not read by serde_json: {e}"));
            assert_eq!(value, crate::json::parse_value(text).expect("parses"), "{name}");
            if *name != "aliases.jsonc" {
                serde_json::from_str::<super::RuleFile>(&blanked)
                    .unwrap_or_else(|e| panic!("{name} is not read by the fast path: {e}"));
            }
        }
    }

    #[test]
    fn rule_ids_and_names() {
        assert!(is_builtin_id("LH042") && is_builtin_id("MS002"));
        assert!(
            !is_builtin_id("LH42") && !is_builtin_id("lh042") && !is_builtin_id("XX042") && !is_builtin_id("LH0421")
        );
        assert!(is_user_id("ACME001") && is_user_id("A_B-1") && is_user_id("AB"));
        assert!(!is_user_id("A") && !is_user_id("1ABC") && !is_user_id("Acme") && !is_user_id(&"A".repeat(33)));
        assert!(is_kebab_name("owner-role") && is_kebab_name("lh042") && is_kebab_name("a"));
        assert!(!is_kebab_name("") && !is_kebab_name("-a") && !is_kebab_name("a--b") && !is_kebab_name("Owner"));
    }
}

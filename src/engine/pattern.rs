//! Regular expressions of rules, compiled when first used.
//!
//! Building a regex (its automata, prefilters and Unicode classes) costs
//! 0.1 to 0.7 ms each: compiling every pattern of the built-in rules up front
//! was half of lhlint's start-up. Built-in patterns are compiled on first use
//! (a test compiles all of them); a user's rule file gets its patterns
//! compiled at load time, so that a bad one is reported there, with its place.
//!
//! Patterns are built with regex-automata's meta engine (the one inside
//! `regex`) without literal prefilters: rules match short JSON values, where a
//! prefilter saves nothing, and extracting the literals was two thirds of the
//! build time (2.0-3.0 ms down to 0.9-1.3 ms for the 17 built-in patterns).
//! The syntax and the matching semantics are `regex`'s, Unicode included.
//!
//! The built-in rules' patterns are compiled at build time as well (`build.rs`),
//! into dense DFAs embedded in the binary: loading one reads and checks its
//! bytes, with nothing to build. A DFA cannot see a Unicode word boundary
//! (`\b`) in non-ASCII text; it stops there. A second DFA, of the pattern
//! without its word boundaries, then reads the text: when it finds no match,
//! the pattern has none (a display name in another script, usually); only
//! when it does is the pattern's regex built to answer.

use std::sync::{Arc, OnceLock};

use regex_automata::dfa::{Automaton, dense};
use regex_automata::meta::{Config, Regex};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/builtin_patterns.rs"));
}

/// The largest compiled program a rule's pattern may have.
const SIZE_LIMIT: usize = 1 << 20;

/// A rule's regular expression; clones share one compiled program.
#[derive(Clone, Debug)]
pub struct Pattern(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    source: String,
    /// The serialized DFA that `build.rs` made, for a built-in rule's pattern.
    prebuilt: Option<&'static [u8]>,
    /// That DFA, read and checked on first use (`None`: this target refuses it).
    dfa: OnceLock<Option<dense::DFA<&'static [u32]>>>,
    /// For a pattern with Unicode word boundaries, the serialized DFA of the
    /// pattern without them, and that DFA, read on first use.
    relaxed: Option<&'static [u8]>,
    relaxed_dfa: OnceLock<Option<dense::DFA<&'static [u32]>>>,
    compiled: OnceLock<Regex>,
}

impl Pattern {
    /// Compiles `source` now; the error is the regex crate's.
    pub fn compiled(source: &str) -> Result<Pattern, regex::Error> {
        let pattern = Pattern::lazy(source);
        let regex = build(source).ok_or_else(|| {
            // The regex crate words syntax errors with the pattern and a caret.
            match regex::RegexBuilder::new(source).size_limit(SIZE_LIMIT).build() {
                Err(e) => e,
                Ok(_) => regex::Error::CompiledTooBig(SIZE_LIMIT),
            }
        })?;
        let _ = pattern.0.compiled.set(regex);
        Ok(pattern)
    }

    /// Keeps `source` to compile on first use. For patterns known to compile
    /// (the built-in rules'); a failure then panics, which the engine reports
    /// as an internal error.
    pub fn lazy(source: &str) -> Pattern {
        let embedded = embedded::PATTERNS
            .binary_search_by(|p| p.source.cmp(source))
            .ok()
            .map(|i| &embedded::PATTERNS[i]);
        Pattern(Arc::new(Inner {
            source: source.to_string(),
            prebuilt: embedded.map(|p| &p.dfa.bytes),
            dfa: OnceLock::new(),
            relaxed: embedded.and_then(|p| p.relaxed.map(|dfa| &dfa.bytes)),
            relaxed_dfa: OnceLock::new(),
            compiled: OnceLock::new(),
        }))
    }

    /// Whether the pattern has a DFA built with lhlint (the built-in rules' do).
    pub fn is_prebuilt(&self) -> bool {
        self.0.prebuilt.is_some()
    }

    /// Gets the pattern ready now (its DFA read, or else its regex built)
    /// instead of at first use.
    pub fn warm(&self) {
        if self.dfa().is_none() {
            self.regex();
        }
    }

    /// The prebuilt DFA, read and checked on first use: about 20 instructions
    /// a byte, so only the patterns a run uses pay for it.
    fn dfa(&self) -> Option<&dense::DFA<&'static [u32]>> {
        read(&self.0.dfa, self.0.prebuilt)
    }

    /// The DFA of the pattern without its word boundaries, read on first use.
    fn relaxed_dfa(&self) -> Option<&dense::DFA<&'static [u32]>> {
        read(&self.0.relaxed_dfa, self.0.relaxed)
    }

    /// Whether both share one compiled program.
    pub fn same_program(&self, other: &Pattern) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// The pattern as written.
    pub fn as_str(&self) -> &str {
        &self.0.source
    }

    /// The compiled expression, built on first use.
    pub fn regex(&self) -> &Regex {
        self.0.compiled.get_or_init(|| {
            build(&self.0.source)
                .unwrap_or_else(|| panic!("built-in rule pattern `{}` does not compile", self.0.source))
        })
    }

    /// Whether the pattern matches somewhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        if let Some(dfa) = self.dfa() {
            let input = regex_automata::Input::new(text).earliest(true);
            // An error is a quit byte: non-ASCII text where `\b` is asked.
            if let Ok(found) = dfa.try_search_fwd(&input) {
                return found.is_some();
            }
            // Without its word boundaries the pattern matches more texts.
            if let Some(Ok(None)) = self.relaxed_dfa().map(|relaxed| relaxed.try_search_fwd(&input)) {
                return false;
            }
        }
        self.regex().is_match(text)
    }
}

/// Reads a DFA that `build.rs` serialized, once (`None`: none, or this target refuses it).
fn read<'a>(
    cell: &'a OnceLock<Option<dense::DFA<&'static [u32]>>>,
    bytes: Option<&'static [u8]>,
) -> Option<&'a dense::DFA<&'static [u32]>> {
    cell.get_or_init(|| dense::DFA::from_bytes(bytes?).ok().map(|(dfa, _)| dfa))
        .as_ref()
}

/// A pattern is stored as its source; read back, it is a lazy pattern
/// (see [`Pattern::lazy`]), shared with the other uses of the same source
/// that [`interning`] reads.
impl serde::Serialize for Pattern {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0.source)
    }
}

impl<'de> serde::Deserialize<'de> for Pattern {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let source = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Ok(INTERNED.with_borrow_mut(|interned| match interned {
            Some(list) => match list.iter().find(|p| p.as_str() == source) {
                Some(p) => p.clone(),
                None => {
                    let p = Pattern::lazy(&source);
                    list.push(p.clone());
                    p
                }
            },
            None => Pattern::lazy(&source),
        }))
    }
}

thread_local! {
    /// The patterns read so far by [`interning`] on this thread.
    static INTERNED: std::cell::RefCell<Option<Vec<Pattern>>> = const { std::cell::RefCell::new(None) };
}

/// Runs `read`, in which patterns with the same source that are deserialized
/// share one compiled program; returns its result and those patterns.
pub fn interning<T>(read: impl FnOnce() -> T) -> (T, Vec<Pattern>) {
    let outer = INTERNED.replace(Some(Vec::new()));
    let value = read();
    let patterns = INTERNED.replace(outer).unwrap_or_default();
    (value, patterns)
}

/// Builds `source`; on failure, `None` (callers word the error themselves).
fn build(source: &str) -> Option<Regex> {
    let config = Config::new()
        .auto_prefilter(false)
        .onepass(false)
        .nfa_size_limit(Some(SIZE_LIMIT));
    Regex::builder().configure(config).build(source).ok()
}

#[cfg(test)]
mod tests {
    use super::{Pattern, embedded};

    #[test]
    fn prebuilt_dfas_match_like_the_regex_crate() {
        let texts = [
            "",
            " ",
            "x",
            "\u{a0}",
            "\u{2003}\t",
            "Owner",
            "<your tenant id>",
            " <x> ",
            "<a<b>",
            "TODO: fill",
            "todo",
            "todos",
            "tbd.",
            "Replace-Me",
            "replaceme",
            "to be filled",
            "TO BE FILLED in",
            "To Be Filledé",
            "todoé",
            "tödo",
            "ToDo é",
            "éTODO",
            "00000000-0000-0000-0000-000000000000",
            "00000000-0000-0000-0000-0000000000001",
            "Service Admin",
            " co-administrators ",
            "account admins",
            "serviceadministrator\u{a0}",
            "Azure Government",
            "azure governments",
            "in US Gov cloud",
            "USGov",
            "gcc-high",
            "GCC High",
            "national cloud",
            "sovereign clouds",
            "21Vianet",
            "Azure China",
            "Mooncake ops",
            "mooncakes",
            "éazure china",
            "azure chinaé",
            "straße",
            "STRASSE",
            "ǅ",
            "K",
            "\u{212a}",
            "2019-06-01-preview",
            "2019-06-01-PREVIEW",
            "2019-06-01",
            "123",
            "12a",
            "1.2.3",
            "1.2",
            "1.2.3.4",
            "gold-plan_1",
            "Gold",
            "https://contoso.com/privacy",
            "http://x",
            "https://a b",
            "https://ä",
            "https://schema.management.azure.com/schemas/2019-08-01/subscriptionDeploymentTemplate.json#",
            "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json",
            "HTTPS://SCHEMA.management.azure.com/schemas/2019-08-01/SubscriptionDeploymentTemplate.JSON",
            "offer",
            "ManagedByName",
            "OFFERS",
            "Reader (Deprecated)",
            "(LEGACY)",
            "(legacy",
            "jane@contoso.com",
            "a@b",
            "a @b.c",
            "é@ü.de",
            "a@b.c@d",
            "\n",
            "a\nb",
            "é",
            "日本語",
            "サポート窓口",
            "todo サポート",
            "サポート todo",
            "Azure Government サポート",
        ];
        assert!(!embedded::PATTERNS.is_empty());
        for source in embedded::PATTERNS.iter().map(|p| p.source) {
            let pattern = Pattern::lazy(source);
            assert!(pattern.dfa().is_some(), "{source}");
            let reference = regex::Regex::new(source).expect("built-in patterns compile");
            for text in texts {
                assert_eq!(pattern.is_match(text), reference.is_match(text), "{source} on {text:?}");
            }
        }
    }

    #[test]
    fn text_in_another_script_is_judged_without_building_the_regex() {
        let with_boundaries: Vec<&str> = embedded::PATTERNS
            .iter()
            .filter(|p| p.relaxed.is_some())
            .map(|p| p.source)
            .collect();
        assert!(
            with_boundaries.iter().any(|s| s.contains("changeme")),
            "{with_boundaries:?}"
        );
        for source in with_boundaries {
            let pattern = Pattern::lazy(source);
            assert!(!pattern.is_match("サポート窓口"), "{source}");
            assert!(pattern.0.compiled.get().is_none(), "{source}: the regex was built");
            // A text that matches once the word boundaries are taken out: the regex decides.
            if source.contains("changeme") {
                assert!(!pattern.is_match("todoé"));
                assert!(pattern.is_match("todo é"));
                assert!(pattern.0.compiled.get().is_some(), "{source}");
            }
        }
    }

    #[test]
    fn lazy_and_compiled_patterns_match_alike() {
        let lazy = Pattern::lazy("^[0-9]+$");
        let eager = Pattern::compiled("^[0-9]+$").expect("valid");
        for text in ["123", "12a", ""] {
            assert_eq!(lazy.is_match(text), eager.is_match(text), "{text}");
        }
        assert!(Pattern::compiled("(").is_err());
        // The regex crate's wording, with the place of the error.
        let error = Pattern::compiled("a(b").expect_err("unclosed group").to_string();
        assert!(error.contains("unclosed group"), "{error}");
        assert!(matches!(
            Pattern::compiled("\\w{1000}{1000}"),
            Err(regex::Error::CompiledTooBig(_))
        ));
        // Unicode classes and case folding, as in the regex crate.
        assert!(
            Pattern::compiled("(?i)^straße$").expect("valid").is_match("STRASSE")
                == regex::Regex::new("(?i)^straße$").expect("valid").is_match("STRASSE")
        );
        assert!(Pattern::compiled(r"^\w+$").expect("valid").is_match("Zürich"));
        // Clones share the compiled program.
        let clone = lazy.clone();
        assert!(std::ptr::eq(clone.regex(), lazy.regex()));
    }
}

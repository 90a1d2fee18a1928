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

use std::sync::{Arc, OnceLock};

use regex_automata::meta::{Config, Regex};

/// The largest compiled program a rule's pattern may have.
const SIZE_LIMIT: usize = 1 << 20;

/// A rule's regular expression; clones share one compiled program.
#[derive(Clone, Debug)]
pub struct Pattern(Arc<Inner>);

#[derive(Debug)]
struct Inner {
    source: String,
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
        Pattern(Arc::new(Inner {
            source: source.to_string(),
            compiled: OnceLock::new(),
        }))
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
        self.regex().is_match(text)
    }
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
    use super::Pattern;

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

//! Regular expressions of rules, compiled when first used.
//!
//! Building a regex (its automata, prefilters and Unicode classes) costs
//! 0.1 to 0.7 ms each: compiling every pattern of the built-in rules up front
//! was half of lhlint's start-up. Built-in patterns are compiled on first use
//! (a test compiles all of them); a user's rule file gets its patterns
//! compiled at load time, so that a bad one is reported there, with its place.

use std::sync::{Arc, OnceLock};

use regex::{Regex, RegexBuilder};

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
        let regex = build(source)?;
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
                .unwrap_or_else(|e| panic!("built-in rule pattern `{}` does not compile: {e}", self.0.source))
        })
    }

    /// Whether the pattern matches somewhere in `text`.
    pub fn is_match(&self, text: &str) -> bool {
        self.regex().is_match(text)
    }
}

fn build(source: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(source).size_limit(SIZE_LIMIT).build()
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
        // Clones share the compiled program.
        let clone = lazy.clone();
        assert!(std::ptr::eq(clone.regex(), lazy.regex()));
    }
}

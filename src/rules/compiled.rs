//! The built-in rules, compiled ahead of time.
//!
//! Reading and compiling the 90 embedded rule files (serde, selectors, checks)
//! was more than half of the instructions of linting one template with its
//! parameters file. `compiled.bin` holds the result of that compilation
//! (postcard), made from the rule files by a test:
//!
//! ```text
//! LHLINT_BLESS=1 cargo test --test compiled_rules
//! ```
//!
//! It starts with the digest of the rule files it was made from. When that is
//! not the digest of the embedded files (a rule was edited and the file not
//! made again), or the file does not read, lhlint compiles the rule files as
//! before: a stale file costs time, never correctness. The test above fails
//! while the file is stale, so that CI keeps it current.

use std::collections::BTreeMap;

use super::Rule;
use super::builtin::{DIGEST, FILES};
use crate::engine::pattern::{self, Pattern};
use crate::engine::selector::Step;
use crate::workspace::FileKind;

/// Compiled `given` selectors by (rule index, kind of file).
pub type Selectors = BTreeMap<(usize, FileKind), Vec<Vec<Step>>>;

const STORED: &[u8] = include_bytes!("compiled.bin");

/// The stored rule set, after its digest.
#[derive(serde::Deserialize)]
struct Stored {
    rules: Vec<Rule>,
    selectors: Selectors,
}

/// What [`encode`] writes after the digest (the same layout as [`Stored`]).
#[derive(serde::Serialize)]
struct StoredRef<'a> {
    rules: &'a [Rule],
    selectors: &'a Selectors,
}

/// The built-in rules, their selectors and their patterns (sorted by
/// source), when `compiled.bin` was made from the embedded rule files.
pub fn read() -> Option<(Vec<Rule>, Selectors, Vec<Pattern>)> {
    let (digest, rest) = postcard::take_from_bytes::<u64>(STORED).ok()?;
    if digest != DIGEST {
        return None;
    }
    let (stored, mut patterns) = pattern::interning(|| postcard::from_bytes::<Stored>(rest).ok());
    let mut stored = stored?;
    for rule in &mut stored.rules {
        rule.docs = docs_of(&rule.origin);
    }
    patterns.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    Some((stored.rules, stored.selectors, patterns))
}

/// The documentation of the built-in rule defined in `origin` (`rules/X.jsonc`).
pub fn docs_of(origin: &str) -> Option<std::borrow::Cow<'static, str>> {
    let stem = origin.strip_prefix("rules/")?.strip_suffix(".jsonc")?;
    let name = [stem, ".md"].concat();
    let i = FILES.binary_search_by(|(n, _)| (*n).cmp(&name)).ok()?;
    Some(std::borrow::Cow::Borrowed(FILES[i].1))
}

/// The bytes of `compiled.bin` for built-in `rules` and their `selectors`.
pub fn encode(rules: &[Rule], selectors: &Selectors) -> Vec<u8> {
    let mut out = postcard::to_stdvec(&DIGEST).expect("a u64 serializes");
    out.extend(postcard::to_stdvec(&StoredRef { rules, selectors }).expect("compiled rules serialize"));
    out
}

//! `src/rules/compiled.bin` holds the built-in rules compiled ahead of time
//! (see `src/rules/compiled.rs`). It must be what compiling the rule files
//! gives now; make it again after editing a rule or a compiled type with
//!
//!     LHLINT_BLESS=1 cargo test --test compiled_rules

use std::path::Path;

#[test]
fn compiled_rules_are_current() {
    let fresh = lhlint::rules::compile_builtin();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules/compiled.bin");
    if std::env::var_os("LHLINT_BLESS").is_some() {
        std::fs::write(&path, &fresh).expect("src/rules/compiled.bin is writable");
        return;
    }
    let stored = std::fs::read(&path).expect("src/rules/compiled.bin exists");
    assert!(
        stored == fresh,
        "src/rules/compiled.bin is out of date (a rule file or a compiled rule type changed).\n\
         Make it again, then commit it:\n    LHLINT_BLESS=1 cargo test --test compiled_rules"
    );
}

#[test]
fn compiling_is_deterministic() {
    assert!(lhlint::rules::compile_builtin() == lhlint::rules::compile_builtin());
}

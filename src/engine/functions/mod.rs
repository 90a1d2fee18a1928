//! Check functions kept apart from the core vocabulary in `checks.rs`.

pub mod structure;

//! Check functions that need more than a few lines, one file each, plus the
//! relative selectors (`items`, `in`) some of them take.

pub mod consistent;
pub mod duration;
pub mod equal;
pub mod join;
pub mod parameters;
pub mod relative;
pub mod role;
pub mod structure;

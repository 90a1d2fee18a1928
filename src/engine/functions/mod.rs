//! Check functions that need more than a few lines, one file each.

pub mod role;

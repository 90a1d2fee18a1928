//! Check functions that need more than a few lines, one module per topic.

pub mod parameters;

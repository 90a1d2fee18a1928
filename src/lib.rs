//! lhlint: a policy linter for Azure Lighthouse onboarding templates, their
//! parameters files, and Managed Service offer manifests.
//!
//! The binary is a thin wrapper around [`run`].

pub mod catalog;
pub mod cli;
pub mod diagnostic;
pub mod discover;
pub mod effective;
pub mod engine;
pub mod history;
pub mod json;
pub mod lint;
pub mod pairing;
pub mod report;
pub mod rules;
pub mod source;
pub mod workspace;

mod commands;

pub use commands::{ExitStatus, run};

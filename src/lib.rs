//! lhlint: a policy linter for Azure Lighthouse onboarding templates, their
//! parameters files, and Managed Service offer manifests.
//!
//! The binary is a thin wrapper around [`run`].

pub mod arm;
pub mod baseline;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod effective;
pub mod engine;
#[doc(hidden)]
pub mod fuzzing;
pub mod hex;
pub mod history;
pub mod json;
pub mod lint;
pub mod pairing;
pub mod read;
pub mod report;
pub mod rules;
pub mod source;
pub mod stack;
pub mod suppress;
pub mod timing;
pub mod workspace;

mod commands;

pub use commands::{ExitStatus, run, run_parsed};

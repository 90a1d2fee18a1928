//! The parse floor for lhlint benchmarks.
//!
//! `floor [--walk parallel|serial] [--verbose] PATH...`
//!
//! 1. Walk every PATH with the `ignore` crate (standard filters: `.gitignore`, `.ignore`, git
//!    excludes, hidden files skipped; explicit file paths are always taken), keep the `*.json`
//!    files, sort the list.
//! 2. In parallel with rayon: read each file, strip a UTF-8 BOM, parse it into
//!    `serde_json::Value` (strict JSON: files with comments fail, and are counted).
//! 3. Print `files=N parsed=N failed=N bytes=N` (bytes = sum of file sizes as read, BOM included).
//!
//! Anything lhlint does must include at least this work, so its time is the lower bound
//! the benchmark compares against. Exit status: 0 after a completed run (failed parses are
//! not an error), 2 on bad arguments or a missing path.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;

use ignore::{WalkBuilder, WalkState};
use rayon::prelude::*;

const BOM: &[u8] = b"\xEF\xBB\xBF";

#[derive(Clone, Copy, PartialEq)]
enum Walk {
    Parallel,
    Serial,
}

struct Args {
    walk: Walk,
    verbose: bool,
    roots: Vec<PathBuf>,
}

fn usage() -> ExitCode {
    eprintln!("usage: floor [--walk parallel|serial] [--verbose] PATH...");
    ExitCode::from(2)
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args { walk: Walk::Parallel, verbose: false, roots: Vec::new() };
    let mut it = std::env::args_os().skip(1);
    while let Some(a) = it.next() {
        match a.to_str() {
            Some("--walk") => match it.next().as_ref().and_then(|v| v.to_str()) {
                Some("parallel") => args.walk = Walk::Parallel,
                Some("serial") => args.walk = Walk::Serial,
                other => return Err(format!("--walk expects parallel|serial, got {other:?}")),
            },
            Some("-v") | Some("--verbose") => args.verbose = true,
            Some("-h") | Some("--help") => return Err(String::new()),
            Some(s) if s.starts_with('-') && s.len() > 1 => {
                return Err(format!("unknown option {s}"));
            }
            _ => args.roots.push(PathBuf::from(a)),
        }
    }
    if args.roots.is_empty() {
        return Err("no PATH given".into());
    }
    for r in &args.roots {
        if !r.exists() {
            return Err(format!("{}: no such file or directory", r.display()));
        }
    }
    Ok(args)
}

fn is_json(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "json")
}

fn builder(roots: &[PathBuf]) -> WalkBuilder {
    let mut b = WalkBuilder::new(&roots[0]);
    for r in &roots[1..] {
        b.add(r);
    }
    b
}

/// Collect the `*.json` files below the roots, in sorted order.
fn collect(roots: &[PathBuf], walk: Walk) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    let keep = |e: &ignore::DirEntry| e.file_type().is_some_and(|t| t.is_file()) && is_json(e.path());
    match walk {
        Walk::Serial => {
            for e in builder(roots).build().flatten() {
                if keep(&e) {
                    paths.push(e.into_path());
                }
            }
        }
        Walk::Parallel => {
            let (tx, rx) = mpsc::channel();
            builder(roots).build_parallel().run(|| {
                let tx = tx.clone();
                Box::new(move |res| {
                    if let Ok(e) = res {
                        if keep(&e) {
                            let _ = tx.send(e.into_path());
                        }
                    }
                    WalkState::Continue
                })
            });
            drop(tx);
            paths.extend(rx);
        }
    }
    paths.sort_unstable();
    paths
}

/// Read and parse one file. Returns (parsed ok, bytes read).
fn parse_one(path: &Path, verbose: bool) -> (bool, u64) {
    let data = match std::fs::read(path) {
        Ok(d) => d,
        Err(e) => {
            if verbose {
                eprintln!("{}: read error: {e}", path.display());
            }
            return (false, 0);
        }
    };
    let text = data.strip_prefix(BOM).unwrap_or(&data);
    let ok = match serde_json::from_slice::<serde_json::Value>(text) {
        Ok(v) => {
            std::hint::black_box(&v);
            true
        }
        Err(e) => {
            if verbose {
                eprintln!("{}: {e}", path.display());
            }
            false
        }
    };
    (ok, data.len() as u64)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("floor: {msg}");
            }
            return usage();
        }
    };
    let paths = collect(&args.roots, args.walk);
    let (parsed, bytes) = paths
        .par_iter()
        .map(|p| {
            let (ok, n) = parse_one(p, args.verbose);
            (ok as u64, n)
        })
        .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    let files = paths.len() as u64;
    println!("files={files} parsed={parsed} failed={} bytes={bytes}", files - parsed);
    ExitCode::SUCCESS
}

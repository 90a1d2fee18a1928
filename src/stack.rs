//! Deep but bounded recursion on any thread: the evaluator, the resolution of
//! references and the rule walk recurse as deep as their bounds allow, and the
//! bounds multiply (48 hops between expressions, each up to 256 calls deep).
//! Instead of relying on the size of a thread's stack (rayon's default threads
//! have 2 MiB, an embedder's may have less), each recursive step runs through
//! [`guard`], which continues on a new heap-allocated stack segment when the
//! current one runs low. Memory stays bounded by the depth bounds.

/// Stack that must remain before a recursive step (more than any one step uses).
const RED_ZONE: usize = 256 * 1024;
/// Size of each new stack segment.
const SEGMENT: usize = 4 * 1024 * 1024;

/// Runs `f`, on a fresh stack segment if less than [`RED_ZONE`] remains.
#[inline]
pub fn guard<R>(f: impl FnOnce() -> R) -> R {
    stacker::maybe_grow(RED_ZONE, SEGMENT, f)
}

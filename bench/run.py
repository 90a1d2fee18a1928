#!/usr/bin/env python3
"""lhlint benchmark harness: lhlint against the parse floor, in one interleaved run.

Usage (from anywhere):

    python3 bench/run.py                 # full run: 10,000 pairs, large tree, 10 runs + 2 warm-ups
    python3 bench/run.py --quick         # smoke: small corpora, 3 runs
    python3 bench/run.py --lhlint PATH   # use a prebuilt lhlint instead of building the repo

Steps: build the floor (``cargo build --release`` in bench/floor) and lhlint (``cargo build
--release`` in the repository root, binary ``target/release/lhlint``); generate the corpora
under bench/.corpus/ when missing or stale; then measure

  (a) floor vs ``lhlint check DIR --format json --output OUT`` on the N-pair tree;
  (b) the same on the large-template tree;
  (c) linearity: lhlint on N/2 vs N pairs (ratio of medians);
  (d) one template + its parameters file, process start to exit (median of many runs);
  (e) peak RSS of floor vs lhlint under ``/usr/bin/time -v``.

(a)-(c) run interleaved in rounds with a rotating order, after warm-up rounds; (d) has its
own interleaved loop.  lhlint exiting 1 (it found defects) is normal; exit 2, any other
status or a signal aborts the run.  Standard library only.

Exit status: 0 when the measurements completed (1 with --strict if a target FAILs), 2 when
the harness could not do its job (build failure, missing binary, a tool crashed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

BENCH = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(BENCH)
FLOOR_CRATE = os.path.join(BENCH, "floor")
CORPUS_ROOT = os.path.join(BENCH, ".corpus")
OUT_ROOT = os.path.join(BENCH, ".out")
GEN = os.path.join(BENCH, "gen_corpus.py")
GNU_TIME = "/usr/bin/time"

sys.dont_write_bytecode = True  # no __pycache__ in bench/
sys.path.insert(0, BENCH)
import gen_corpus  # noqa: E402  (same folder; used for the generator version and digest)

# Targets
TARGET_RATIO = 1.25        # lhlint median / floor median, (a) and (b)
TARGET_RSS_RATIO = 2.0     # lhlint peak RSS / floor peak RSS, (e)
TARGET_SINGLE_MS = 5.0     # lhlint on one template + parameters file, median, (d)
TARGET_LINEARITY = 2.1     # lhlint median(N) / median(N/2), (c)


class HarnessError(Exception):
    """The benchmark could not be run as asked (exit status 2)."""


# --------------------------------------------------------------------------------------
# Configuration
# --------------------------------------------------------------------------------------

def parse_args(argv: list[str]) -> argparse.Namespace:
    """Command-line options; --quick changes the defaults of the size options."""
    p = argparse.ArgumentParser(description="lhlint benchmark harness (see bench/README.md)")
    p.add_argument("--lhlint", help="prebuilt lhlint binary (skips building the repository)")
    p.add_argument("--quick", action="store_true", help="fast smoke run: small corpora, 3 runs")
    p.add_argument("--runs", type=int, help="measured rounds (default 10; quick 3)")
    p.add_argument("--warmups", type=int, help="unmeasured warm-up rounds (default 2; quick 1)")
    p.add_argument("--pairs", type=int, help="pairs in the main tree (default 10000; quick 400); linearity uses half")
    p.add_argument("--large-files", type=int, help="large templates in the large tree (default 50; quick 4)")
    p.add_argument("--single-runs", type=int, help="runs of the single-file case (default 100; quick 20)")
    p.add_argument("--rss-runs", type=int, help="runs under /usr/bin/time -v per variant, max taken (default 3; quick 1)")
    p.add_argument("--seed", type=int, default=42, help="corpus seed (default 42)")
    p.add_argument("--no-build", action="store_true", help="do not run cargo; use the binaries already built")
    p.add_argument("--regen", action="store_true", help="regenerate the corpora even when they look current")
    p.add_argument("--json", help="write the raw results here (default bench/.out/last-run.json)")
    p.add_argument("--strict", action="store_true", help="exit 1 when any target FAILs")
    a = p.parse_args(argv)
    full = dict(runs=10, warmups=2, pairs=10000, large_files=50, single_runs=100, rss_runs=3)
    quick = dict(runs=3, warmups=1, pairs=400, large_files=4, single_runs=20, rss_runs=1)
    for k, v in (quick if a.quick else full).items():
        if getattr(a, k) is None:
            setattr(a, k, v)
    if a.pairs < 2 or a.runs < 1 or a.single_runs < 1 or a.large_files < 1:
        p.error("--pairs must be >= 2 and --runs, --single-runs, --large-files >= 1")
    return a


def log(msg: str) -> None:
    """Progress message on stderr (the report goes to stdout)."""
    print(f"[bench] {msg}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------
# Building
# --------------------------------------------------------------------------------------

def target_dir(crate_dir: str) -> str:
    """Cargo's target directory for a crate, honouring CARGO_TARGET_DIR."""
    env = os.environ.get("CARGO_TARGET_DIR")
    if env:
        return env if os.path.isabs(env) else os.path.join(crate_dir, env)
    return os.path.join(crate_dir, "target")


def cargo_build(crate_dir: str, what: str) -> None:
    """``cargo build --release`` in ``crate_dir``; raises HarnessError on failure."""
    if shutil.which("cargo") is None:
        raise HarnessError("cargo is not on PATH")
    log(f"building {what}: cargo build --release (in {crate_dir})")
    res = subprocess.run(["cargo", "build", "--release"], cwd=crate_dir,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    if res.returncode != 0:
        tail = "\n".join(res.stdout.splitlines()[-30:])
        raise HarnessError(f"building {what} failed (cargo exit {res.returncode}):\n{tail}")


def floor_binary(build: bool) -> str:
    """Build (unless told not to) and locate the floor binary."""
    if build:
        cargo_build(FLOOR_CRATE, "the floor")
    path = os.path.join(target_dir(FLOOR_CRATE), "release", "floor")
    if not os.access(path, os.X_OK):
        raise HarnessError(f"floor binary not found at {path} (run without --no-build)")
    return path


def lhlint_binary(explicit: str | None, build: bool) -> str:
    """The lhlint binary: --lhlint PATH, or the repository's release build."""
    if explicit:
        path = os.path.abspath(explicit)
        if not os.access(path, os.X_OK):
            raise HarnessError(f"--lhlint {explicit}: not an executable file")
        return path
    if build:
        cargo_build(REPO, "lhlint")
    path = os.path.join(target_dir(REPO), "release", "lhlint")
    if not os.access(path, os.X_OK):
        raise HarnessError(
            f"lhlint binary not found at {path}.\n"
            f"Build it with `cargo build --release` in {REPO}, or pass --lhlint PATH.")
    return path


def lhlint_supports_output(lhlint: str) -> bool:
    """Whether ``lhlint check`` has ``--output FILE`` (read once from ``lhlint check --help``)."""
    try:
        res = subprocess.run([lhlint, "check", "--help"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise HarnessError(f"`{lhlint} check --help` could not run: {e}")
    text = res.stdout + res.stderr
    if res.returncode != 0:
        log(f"warning: `lhlint check --help` exited {res.returncode}; assuming no --output")
        return False
    return re.search(r"(^|[\s,\[])--output(?![\w-])", text) is not None


def tool_version(binary: str) -> str:
    """``binary --version``, or a note when that fails."""
    try:
        res = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=30)
        return (res.stdout or res.stderr).strip().splitlines()[0] if res.returncode == 0 else "?"
    except (OSError, subprocess.TimeoutExpired, IndexError):
        return "?"


# --------------------------------------------------------------------------------------
# Corpora
# --------------------------------------------------------------------------------------

@dataclass
class Corpus:
    """A generated tree under bench/.corpus/."""
    name: str
    path: str
    files: int
    bytes: int


def ensure_corpus(name: str, gen_args: list[str], expected: dict, regen: bool) -> Corpus:
    """Generate bench/.corpus/NAME unless it exists and its metadata matches ``expected``."""
    path = os.path.join(CORPUS_ROOT, name)
    meta_path = path + ".meta.json"
    meta = None
    if os.path.isdir(path) and os.path.isfile(meta_path) and not regen:
        with open(meta_path, encoding="utf-8") as f:
            meta = json.load(f)
        if any(meta.get(k) != v for k, v in expected.items()):
            log(f"corpus {name} is stale (generator or parameters changed): regenerating")
            meta = None
    if meta is None:
        os.makedirs(CORPUS_ROOT, exist_ok=True)
        log(f"generating corpus {name}")
        cmd = [sys.executable, GEN, "--out", path, "--force", "--meta", meta_path, *gen_args]
        res = subprocess.run(cmd, capture_output=True, text=True)
        if res.returncode != 0:
            raise HarnessError(f"corpus generation failed: {' '.join(cmd)}\n{res.stderr}")
        log(res.stdout.strip())
        with open(meta_path, encoding="utf-8") as f:
            meta = json.load(f)
    return Corpus(name, path, meta["files"], meta["bytes"])


def corpora(args: argparse.Namespace) -> tuple[Corpus, Corpus, Corpus]:
    """The N-pair, N/2-pair and large trees."""
    common = {"generator_version": gen_corpus.GENERATOR_VERSION,
              "generator_sha256": gen_corpus.generator_digest(), "seed": args.seed, "per_dir": 100}
    half = args.pairs // 2
    full_c = ensure_corpus(f"pairs-{args.pairs}-s{args.seed}",
                           ["--seed", str(args.seed), "--pairs", str(args.pairs)],
                           {**common, "mode": "pairs", "pairs": args.pairs}, args.regen)
    half_c = ensure_corpus(f"pairs-{half}-s{args.seed}",
                           ["--seed", str(args.seed), "--pairs", str(half)],
                           {**common, "mode": "pairs", "pairs": half}, args.regen)
    large_c = ensure_corpus(f"large-{args.large_files}-s{args.seed}",
                            ["--seed", str(args.seed), "--large", "--large-files", str(args.large_files)],
                            {**common, "mode": "large", "large_files": args.large_files}, args.regen)
    return full_c, half_c, large_c


def pick_single_pair(corpus: Corpus) -> tuple[str, str]:
    """A typical template + parameters pair: strict JSON, median size, from the first leaf folder."""
    for d, dirs, files in sorted(os.walk(corpus.path)):
        dirs.sort()
        templates = sorted(f for f in files if f.endswith(".json")
                           and not f.endswith(".parameters.json") and not f.endswith(".offer.json"))
        good = []
        for t in templates:
            tp, pp = os.path.join(d, t), os.path.join(d, t[:-5] + ".parameters.json")
            if not os.path.exists(pp):
                continue
            try:
                for p in (tp, pp):
                    with open(p, "rb") as f:
                        json.loads(f.read().decode("utf-8-sig"))
            except ValueError:
                continue  # commented: the floor would fail fast on it
            good.append((os.path.getsize(tp) + os.path.getsize(pp), tp, pp))
        if good:
            good.sort()
            _, tp, pp = good[len(good) // 2]
            return tp, pp
    raise HarnessError(f"no template+parameters pair found in {corpus.path}")


# --------------------------------------------------------------------------------------
# Running and timing
# --------------------------------------------------------------------------------------

@dataclass
class Variant:
    """One command to time repeatedly."""
    key: str            # e.g. "lhlint:pairs-10000-s42"
    tool: str           # "floor" | "lhlint" | "spawn"
    label: str          # corpus label for the table
    argv: list[str]
    stdout_file: str | None = None   # lhlint without --output: stdout redirected here
    ok_codes: tuple = (0,)
    times: list = field(default_factory=list)
    last_stdout: str = ""


def run_once(v: Variant, cwd: str) -> float:
    """Run a variant once; returns wall seconds from spawn to exit. Raises on a bad exit."""
    out = open(v.stdout_file, "wb") if v.stdout_file else subprocess.PIPE
    try:
        t0 = time.perf_counter_ns()
        res = subprocess.run(v.argv, cwd=cwd, stdout=out, stderr=subprocess.PIPE)
        t1 = time.perf_counter_ns()
    finally:
        if v.stdout_file:
            out.close()
    if res.returncode not in v.ok_codes:
        how = f"signal {-res.returncode}" if res.returncode < 0 else f"exit {res.returncode}"
        err = res.stderr.decode("utf-8", "replace").strip().splitlines()[-15:]
        raise HarnessError(f"{v.tool} failed ({how}): {' '.join(v.argv)}\n  cwd: {cwd}\n  "
                           + "\n  ".join(err))
    if not v.stdout_file and res.stdout is not None:
        v.last_stdout = res.stdout.decode("utf-8", "replace")
    return (t1 - t0) / 1e9


def interleaved(variants: list[Variant], rounds: int, warmups: int, cwd: str, what: str) -> None:
    """Run all variants once per round, rotating the order each round; record after warm-ups."""
    k = len(variants)
    for r in range(warmups + rounds):
        order = variants[r % k:] + variants[:r % k]
        for v in order:
            t = run_once(v, cwd)
            if r >= warmups:
                v.times.append(t)
        n = r - warmups + 1
        if r == warmups - 1:
            log(f"{what}: {warmups} warm-up round(s) done")
        elif n > 0 and (n == rounds or n % max(1, rounds // 5) == 0):
            log(f"{what}: round {n}/{rounds} done")


def peak_rss_kib(v: Variant, cwd: str, runs: int) -> int | None:
    """Highest 'Maximum resident set size' (KiB) of ``runs`` runs under /usr/bin/time -v."""
    if not os.access(GNU_TIME, os.X_OK):
        return None
    best = 0
    for _ in range(runs):
        out = open(v.stdout_file, "wb") if v.stdout_file else subprocess.DEVNULL
        try:
            res = subprocess.run([GNU_TIME, "-v", *v.argv], cwd=cwd, stdout=out, stderr=subprocess.PIPE, text=True)
        finally:
            if v.stdout_file:
                out.close()
        m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", res.stderr)
        status = re.search(r"Exit status: (\d+)", res.stderr)
        code = int(status.group(1)) if status else res.returncode
        sig = re.search(r"Command terminated by signal (\d+)", res.stderr)
        if code not in v.ok_codes or not m or sig:
            how = f"signal {sig.group(1)}" if sig else f"exit {code}"
            raise HarnessError(f"{v.tool} failed under {GNU_TIME} -v ({how}): {' '.join(v.argv)}\n"
                               + "\n".join(res.stderr.strip().splitlines()[-15:]))
        best = max(best, int(m.group(1)))
    return best


# --------------------------------------------------------------------------------------
# Variants
# --------------------------------------------------------------------------------------

def floor_variant(floor: str, label: str, paths: list[str]) -> Variant:
    """``floor PATH...``."""
    return Variant(f"floor:{label}", "floor", label, [floor, *paths])


def lhlint_variant(lhlint: str, label: str, paths: list[str], has_output: bool) -> Variant:
    """``lhlint check PATH... --format json --output OUT`` (or stdout redirected to OUT)."""
    os.makedirs(OUT_ROOT, exist_ok=True)
    out = os.path.join(OUT_ROOT, f"lhlint-{label}.json")
    argv = [lhlint, "check", *paths, "--format", "json"]
    if has_output:
        argv += ["--output", out]
    return Variant(f"lhlint:{label}", "lhlint", label, argv,
                   stdout_file=None if has_output else out, ok_codes=(0, 1))


def report_path(v: Variant) -> str:
    """Where a lhlint variant's JSON report lands."""
    return v.stdout_file or v.argv[v.argv.index("--output") + 1]


def check_outputs(floor_v: Variant, lhlint_v: Variant, expected_files: int | None) -> str:
    """Sanity-check one floor/lhlint pair after the warm-up; returns a note for the report."""
    m = re.search(r"files=(\d+) parsed=(\d+) failed=(\d+) bytes=(\d+)", floor_v.last_stdout)
    if not m:
        raise HarnessError(f"unexpected floor output: {floor_v.last_stdout!r}")
    ffiles = int(m.group(1))
    note = f"floor: {floor_v.last_stdout.strip()}"
    if expected_files is not None and ffiles != expected_files:
        log(f"warning: the floor saw {ffiles} files, the generator wrote {expected_files} (ignore rules?)")
    try:
        with open(report_path(lhlint_v), "rb") as f:
            doc = json.loads(f.read())
        summary = doc.get("summary", {})
        note += (f"; lhlint: files={summary.get('files')} errors={summary.get('errors')} "
                 f"warnings={summary.get('warnings')} infos={summary.get('infos')} "
                 f"diagnostics={len(doc.get('diagnostics', []))}")
        if summary.get("files") != ffiles:
            log(f"warning: lhlint reports files={summary.get('files')} for {lhlint_v.label}, the floor {ffiles}")
    except (OSError, ValueError, AttributeError) as e:
        log(f"warning: could not read lhlint's JSON report {report_path(lhlint_v)}: {e}")
        note += "; lhlint report unreadable"
    return note


# --------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------

def ms(seconds: float) -> str:
    """Milliseconds, three significant-ish digits."""
    x = seconds * 1e3
    return f"{x:.2f}" if x < 10 else f"{x:.1f}" if x < 1000 else f"{x:.0f}"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


class Table:
    """A plain-text table printed at the end."""

    HEAD = ("case", "variant", "corpus", "n", "median ms", "min ms", "max ms", "ratio", "target", "result")

    def __init__(self):
        self.rows: list[tuple] = []
        self.results: list[dict] = []

    def timing(self, case: str, v: Variant, base: Variant | None, target: str = "", ok: bool | None = None):
        """A row for a timed variant; ratio is to ``base``'s median."""
        med = statistics.median(v.times)
        ratio = f"{med / statistics.median(base.times):.2f}" if base else ""
        self.rows.append((case, v.tool, v.label, str(len(v.times)), ms(med), ms(min(v.times)),
                          ms(max(v.times)), ratio, target, "" if ok is None else verdict(ok)))

    def line(self, case: str, variant: str, corpus: str, value: str, target: str = "", ok: bool | None = None):
        """A derived row (ratio, RSS) without min/max."""
        self.rows.append((case, variant, corpus, "", "", "", "", value, target, "" if ok is None else verdict(ok)))

    def check(self, name: str, value: float, target: float, ok: bool):
        self.results.append({"target": name, "value": round(value, 4), "limit": target, "pass": ok})

    def render(self) -> str:
        widths = [max(len(str(r[i])) for r in [self.HEAD, *self.rows]) for i in range(len(self.HEAD))]
        right = {3, 4, 5, 6, 7}

        def fmt(r):
            return "  ".join(str(c).rjust(w) if i in right else str(c).ljust(w) for i, (c, w) in enumerate(zip(r, widths)))
        sep = "  ".join("-" * w for w in widths)
        return "\n".join([fmt(self.HEAD), sep, *(fmt(r) for r in self.rows)])


def paired_ratio(a: Variant, b: Variant) -> float:
    """Median over rounds of a/b (same round): less sensitive to slow drifts than a ratio of medians."""
    return statistics.median(x / y for x, y in zip(a.times, b.times))


def machine_info() -> str:
    """One line about the machine."""
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    rayon = os.environ.get("RAYON_NUM_THREADS", "unset")
    return f"{os.cpu_count()} cpus ({cpu}), load {load:.2f}, RAYON_NUM_THREADS={rayon}, python {platform.python_version()}"


# --------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------

def run(args: argparse.Namespace) -> int:
    """The whole benchmark; returns the exit status."""
    floor = floor_binary(build=not args.no_build)
    lhlint = lhlint_binary(args.lhlint, build=not (args.no_build or args.lhlint))
    has_output = lhlint_supports_output(lhlint)
    log(f"lhlint: {lhlint} ({tool_version(lhlint)}); report via "
        + ("--output FILE" if has_output else "stdout redirected to a file (no --output in `check --help`)"))

    full_c, half_c, large_c = corpora(args)
    cwd = CORPUS_ROOT  # the tools get relative paths, as a user typing `lhlint check DIR` would

    fa = floor_variant(floor, full_c.name, [full_c.name])
    la = lhlint_variant(lhlint, full_c.name, [full_c.name], has_output)
    fb = floor_variant(floor, large_c.name, [large_c.name])
    lb = lhlint_variant(lhlint, large_c.name, [large_c.name], has_output)
    fc = floor_variant(floor, half_c.name, [half_c.name])
    lc = lhlint_variant(lhlint, half_c.name, [half_c.name], has_output)
    main_variants = [fa, la, fb, lb, lc, fc]

    # one checked run of each first: fails early with a clear message, validates the outputs
    notes = {}
    for v in main_variants:
        run_once(v, cwd)
    for f_v, l_v, c in ((fa, la, full_c), (fb, lb, large_c), (fc, lc, half_c)):
        notes[c.name] = check_outputs(f_v, l_v, c.files)

    interleaved(main_variants, args.runs, args.warmups, cwd, "(a)-(c) trees")

    # (d) single template + parameters file
    tpl, par = pick_single_pair(half_c)
    rel = [os.path.relpath(tpl, cwd), os.path.relpath(par, cwd)]
    spawn = Variant("spawn", "spawn", "true", [shutil.which("true") or "/bin/true"])
    fd = floor_variant(floor, "single-pair", rel)
    ld = lhlint_variant(lhlint, "single-pair", rel, has_output)
    single_warm = max(2, args.warmups)
    interleaved([spawn, fd, ld], args.single_runs, single_warm, cwd, "(d) single file")

    # (e) peak RSS
    rss = {}
    for v in (fa, la, fb, lb):
        log(f"(e) peak RSS: {v.tool} on {v.label}")
        rss[v.key] = peak_rss_kib(v, cwd, args.rss_runs)

    # ---- report
    t = Table()
    ra = statistics.median(la.times) / statistics.median(fa.times)
    t.timing("(a)", fa, fa)
    t.timing("(a)", la, fa, f"<= {TARGET_RATIO}", ra <= TARGET_RATIO)
    t.line("(a)", "paired", full_c.name, f"{paired_ratio(la, fa):.2f}", "info")
    t.check("(a) lhlint/floor, N pairs", ra, TARGET_RATIO, ra <= TARGET_RATIO)
    rb = statistics.median(lb.times) / statistics.median(fb.times)
    t.timing("(b)", fb, fb)
    t.timing("(b)", lb, fb, f"<= {TARGET_RATIO}", rb <= TARGET_RATIO)
    t.line("(b)", "paired", large_c.name, f"{paired_ratio(lb, fb):.2f}", "info")
    t.check("(b) lhlint/floor, large", rb, TARGET_RATIO, rb <= TARGET_RATIO)
    lin = statistics.median(la.times) / statistics.median(lc.times)
    lin_floor = statistics.median(fa.times) / statistics.median(fc.times)
    t.timing("(c)", fc, fc)
    t.timing("(c)", lc, fc)
    t.line("(c)", "lhlint", f"{args.pairs} / {args.pairs // 2}", f"{lin:.2f}", f"<= {TARGET_LINEARITY}",
           lin <= TARGET_LINEARITY)
    t.line("(c)", "floor", f"{args.pairs} / {args.pairs // 2}", f"{lin_floor:.2f}", "info")
    t.check("(c) linearity lhlint N / N/2", lin, TARGET_LINEARITY, lin <= TARGET_LINEARITY)
    single = statistics.median(ld.times) * 1e3
    t.timing("(d)", spawn, None, "info")
    t.timing("(d)", fd, fd)
    t.timing("(d)", ld, fd, f"< {TARGET_SINGLE_MS} ms", single < TARGET_SINGLE_MS)
    t.check("(d) single pair median ms", single, TARGET_SINGLE_MS, single < TARGET_SINGLE_MS)
    for f_v, l_v in ((fa, la), (fb, lb)):
        fr, lr = rss[f_v.key], rss[l_v.key]
        if fr is None or lr is None:
            t.line("(e)", "RSS", f_v.label, "n/a", f"{GNU_TIME} missing")
            continue
        ok = lr <= TARGET_RSS_RATIO * fr
        t.line("(e)", "floor RSS", f_v.label, f"{fr / 1024:.1f} MiB")
        t.line("(e)", "lhlint RSS", l_v.label, f"{lr / 1024:.1f} MiB ({lr / fr:.2f}x)",
               f"<= {TARGET_RSS_RATIO}x", ok)
        t.check(f"(e) peak RSS lhlint/floor, {f_v.label}", lr / fr, TARGET_RSS_RATIO, ok)

    print(f"lhlint benchmark  {time.strftime('%Y-%m-%d %H:%M:%S')}  {machine_info()}")
    print(f"lhlint: {lhlint} ({tool_version(lhlint)}), command: "
          f"lhlint check DIR --format json {'--output OUT' if has_output else '> OUT'}")
    print(f"floor:  {floor}")
    for c in (full_c, half_c, large_c):
        print(f"corpus {c.name}: {c.files} files, {c.bytes / 1e6:.1f} MB; {notes[c.name]}")
    print(f"single pair: {rel[0]} + {os.path.basename(rel[1])} "
          f"({os.path.getsize(tpl) + os.path.getsize(par)} bytes)")
    print(f"rounds: {args.runs} measured + {args.warmups} warm-up (single file: {args.single_runs} + {single_warm}); "
          f"order rotates each round; RSS = max of {args.rss_runs} run(s)")
    print()
    print(t.render())
    failed = [r for r in t.results if not r["pass"]]
    print()
    print(f"targets: {len(t.results) - len(failed)} PASS, {len(failed)} FAIL"
          + ("" if not failed else ": " + "; ".join(r["target"] for r in failed)))

    results = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"), "machine": machine_info(), "lhlint": lhlint,
        "lhlint_version": tool_version(lhlint), "output_flag": has_output, "args": vars(args),
        "corpora": {c.name: {"files": c.files, "bytes": c.bytes, "note": notes[c.name]} for c in (full_c, half_c, large_c)},
        "times_s": {v.key: v.times for v in [*main_variants, spawn, fd, ld]},
        "rss_kib": rss, "targets": t.results,
    }
    out_json = args.json or os.path.join(OUT_ROOT, "last-run.json")
    os.makedirs(os.path.dirname(os.path.abspath(out_json)), exist_ok=True)
    with open(out_json, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=2)
    log(f"raw results written to {out_json}")
    return 1 if (failed and args.strict) else 0


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    try:
        return run(args)
    except HarnessError as e:
        print(f"bench/run.py: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bench/run.py: interrupted", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

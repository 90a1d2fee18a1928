#!/usr/bin/env bash
# Runs every fuzz target in turn, one at a time (the machine's cores are shared),
# each for SECONDS (default 1800), logging to /work/fuzz-logs/<target>.log.
# Each target is built from the last commit (a snapshot in a temporary
# directory), so edits in progress in the work tree never break a run.
# A unit slower than 60 s (wall clock, on a shared machine) counts as a hang.
# Usage: nohup fuzz/run-all.sh [SECONDS] [TARGET...] >/dev/null 2>&1 &
set -uo pipefail
fuzz="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$fuzz")"
seconds="${1:-1800}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(json_parse arm_expr check_file report_formats)
fi
logs=/work/fuzz-logs
snapshot="$(mktemp -d /tmp/lhlint-fuzz-src.XXXXXX)"
mkdir -p "$logs"
for t in "${targets[@]}"; do
    log="$logs/$t.log"
    mkdir -p "$fuzz/corpus/$t" "$fuzz/artifacts/$t"
    case "$t" in
        check_file | report_formats) max_len=16384 ;;
        *) max_len=4096 ;;
    esac
    rm -rf "${snapshot:?}"/*
    git -C "$repo" archive HEAD | tar -x -C "$snapshot"
    echo "== $t: start $(date -u +%FT%TZ), ${seconds}s, commit $(git -C "$repo" rev-parse --short HEAD)" >>"$log"
    # With -jobs, libFuzzer writes its own output to fuzz-0.log in the working
    # directory: run in $logs/$t.run/ (to follow a run live) and append it after.
    run="$logs/$t.run"
    rm -rf "$run" && mkdir -p "$run"
    (cd "$run" && CARGO_TARGET_DIR="$fuzz/target" cargo +nightly fuzz run --fuzz-dir "$snapshot/fuzz" "$t" \
        "$fuzz/corpus/$t" "$fuzz/seeds/$t" -- \
        -max_total_time="$seconds" -jobs=1 -workers=1 -timeout=60 -rss_limit_mb=4096 \
        -max_len="$max_len" -artifact_prefix="$fuzz/artifacts/$t/") >>"$log" 2>&1
    status=$?
    cat "$run"/fuzz-*.log >>"$log" 2>/dev/null
    echo "== $t: end $(date -u +%FT%TZ), exit $status" >>"$log"
done
rm -rf "$snapshot"

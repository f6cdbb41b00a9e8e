#!/bin/bash
# Builds the libFuzzer targets of Fuzz/ and runs each for SECONDS seconds on a copy of its seed corpus
# (docs/fuzzing.md). Usage: scripts/fuzz.sh SECONDS [TARGET...] — no target names means every Fuzz/Sources/fuzz-*.
# Exits non-zero when any target crashes, leaks, times out or runs out of memory, after printing the input's path.
# FUZZ_BUILD=0 skips the build (use the binaries already in Fuzz/.build/debug).
set -u
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
case $seconds in ''|*[!0-9]*) echo "fuzz: SECONDS must be a whole number of seconds, not '$seconds'" >&2; exit 2 ;; esac

if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    targets=()
    for dir in Fuzz/Sources/fuzz-*/; do targets+=("$(basename "$dir")"); done
fi

if [ "${FUZZ_BUILD:-1}" != 0 ]; then
    # SwiftPM does not notice a source file added to a path dependency (the main package) until the manifest of the
    # package being built changes; without this the build fails on the new file's types, or misses it.
    touch Fuzz/Package.swift
    # The Swift driver keeps only the last of SwiftPM's two -sanitize= flags, so the Swift code would get the fuzzer's
    # coverage but not AddressSanitizer; -Xswiftc passes both in one flag.
    swift build --package-path Fuzz -c debug --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address \
        2>&1 | grep -v "ld.gold: warning: Cannot export local symbol"
    [ "${PIPESTATUS[0]}" = 0 ] || { echo "fuzz: the fuzz targets did not build" >&2; exit 1; }
fi

runs=Fuzz/.build/fuzz-runs
rm -rf "$runs"
failed=()
summary=()
for target in "${targets[@]}"; do
    binary=Fuzz/.build/debug/$target
    [ -x "$binary" ] || { echo "fuzz: no binary $binary (is $target a directory under Fuzz/Sources?)" >&2; exit 2; }
    scratch=$runs/$target
    mkdir -p "$scratch/corpus" "$scratch/artifacts"
    # A copy: what the fuzzer adds to its corpus stays in the scratch directory, the seeds in git stay small.
    # Past crashes (Fuzz/Regressions/<target>/) go in too, so every run checks them first.
    for seeds in "Fuzz/Corpus/$target" "Fuzz/Regressions/$target"; do
        [ -d "$seeds" ] && cp "$seeds"/* "$scratch/corpus/" 2>/dev/null
    done
    dict=()
    [ -f "Fuzz/Dictionaries/$target.dict" ] && dict=("-dict=Fuzz/Dictionaries/$target.dict")
    echo "fuzz: $target for ${seconds}s (log: $scratch/log)"
    # The Swift runtime's own crash backtracer would hold the crashing process for up to 30 s; libFuzzer and
    # AddressSanitizer print the stack themselves.
    # Leak checking is off: Foundation's XML error path leaks a few bytes per document, which would count as a crash.
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} "$binary" "${dict[@]}" \
        -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix="$scratch/artifacts/" "$scratch/corpus" >"$scratch/log" 2>&1
    status=$?
    # libFuzzer's last status line: "#N DONE cov: C ft: F corp: ... exec/s: E rss: R".
    last=$(grep -E '^#[0-9]+' "$scratch/log" | tail -n 1)
    runs_done=$(grep -E '^stat::number_of_executed_units:' "$scratch/log" | awk '{print $2}')
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    execs=$(grep -E '^stat::average_exec_per_sec:' "$scratch/log" | awk '{print $2}')
    summary+=("$(printf '%-24s %10s runs %8s exec/s  cov %6s  corpus %s' "$target" "${runs_done:-?}" "${execs:-?}" "${cov:-?}" \
        "$(ls "$scratch/corpus" | wc -l)")")
    if [ "$status" != 0 ]; then
        failed+=("$target")
        grep -E 'ERROR: |SUMMARY: |^fuzz: |Fatal error|==ERROR' "$scratch/log" | head -n 5 >&2
        for artifact in "$scratch/artifacts"/*; do
            [ -e "$artifact" ] && echo "fuzz: $target failed on $artifact (reproduce: SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 $binary $artifact; minimise: the same with -minimize_crash=1 -max_total_time=120 -exact_artifact_path=FILE; docs/fuzzing.md)" >&2
        done
    fi
done

echo
echo "fuzz: results (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz: FAILED: ${failed[*]} (logs and inputs in $runs/)" >&2
    exit 1
fi

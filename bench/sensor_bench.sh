#!/usr/bin/env bash
# Benchmark the eBPF sensor (issue: `shrike watch --events`) side by side with bpftrace, and write
# bench/out/sensor.md. Needs root and a kernel with BTF.
#
#   SHRIKE=path/to/shrike bench/sensor_bench.sh     (`make bench` runs it after the SBOM benchmark)
#
# Environment: SHRIKE (default .build/release/shrike), SENSOR_RUNS (runs per configuration, median reported,
# default 3), SENSOR_OPENS (open+close pairs per run, default 2000000), SENSOR_RATES (target events/s for the
# throughput steps, default "50000 100000 200000 300000 400000"), SENSOR_STEP_SECONDS (default 5),
# SENSOR_MEMORY_SECONDS (length of the short-lived-process run, default 600), BENCH_OUT (default bench/out).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
SHRIKE=${SHRIKE:-$repo/.build/release/shrike}
RUNS=${SENSOR_RUNS:-3}
OPENS=${SENSOR_OPENS:-2000000}
RATES=${SENSOR_RATES:-50000 100000 200000 300000 400000}
STEP=${SENSOR_STEP_SECONDS:-5}
MEMORY_SECONDS=${SENSOR_MEMORY_SECONDS:-600}
OUT=${BENCH_OUT:-$here/out}
die() { echo "sensor-bench: $*" >&2; exit 2; }

[ "$(id -u)" -eq 0 ] || die "needs root (the sensor loads BPF programs)"
[ -x "$SHRIKE" ] || die "shrike not found at $SHRIKE; run 'make bench' or set SHRIKE"
[ -e /sys/kernel/btf/vmlinux ] || die "the kernel has no BTF (/sys/kernel/btf/vmlinux)"
if ! command -v bpftrace >/dev/null; then
  echo "sensor-bench: installing bpftrace (apt-get)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends bpftrace >/dev/null || die "could not install bpftrace"
fi
# bpftrace's syscall tracepoints need tracefs, which this kind of machine does not mount by default.
[ -d /sys/kernel/tracing/events ] || mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true

mkdir -p "$OUT"
GEN="$OUT/openclose"
cc -O2 -o "$GEN" "$here/sensor/openclose.c" || die "could not compile the load generator (install gcc)"

. "$here/lib.sh"

echo "sensor-bench: overhead on $OPENS open+close pairs, $RUNS runs each" >&2
declare -A T
for config in none shrike shrike-per-event bpftrace; do
  times=()
  for _ in $(seq "$RUNS"); do
    case $config in
      none) ;;
      shrike) start_watch "$OUT/watch.log" --events --json ;;
      shrike-per-event) start_watch "$OUT/watch.log" --events --json --wakeup-bytes 0 ;;
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

echo "sensor-bench: throughput steps of $STEP s" >&2
throughput_rows=""
for rate in $RATES; do
  start_watch "$OUT/step.log" --events --json --type openat --duration $((STEP + 2))
  half=$((rate / 2))
  count=$((half * STEP))
  "$GEN" "$count" "$half" & a=$!
  "$GEN" "$count" "$half" & b=$!
  wait $a $b
  wait "$WATCH_PID" 2>/dev/null || true
  line=$(grep "events=" "$OUT/step.log" | tail -n 1)
  events=$(sed -E 's/.*events=([0-9]+).*/\1/' <<<"$line")
  drops=$(sed -E 's/.*drops=([0-9]+).*/\1/' <<<"$line")
  delivered_rate=$(awk -v e="$events" -v s="$STEP" 'BEGIN { printf "%.0f", e / s }')
  drop_rate=$(awk -v d="$drops" -v e="$events" 'BEGIN { printf "%.4f", (e + d) ? d / (e + d) : 0 }')
  throughput_rows+="| $rate | $delivered_rate | $drops | $drop_rate |"$'\n'
  echo "  target $rate/s: delivered $delivered_rate/s, drops $drops" >&2
done

echo "sensor-bench: memory over $MEMORY_SECONDS s of 20 loops of short-lived processes" >&2
start_watch "$OUT/memory.log" --events --json
loops=()
for _ in $(seq 20); do (while true; do /bin/true; done) & loops+=($!); done
samples=()
end=$((SECONDS + MEMORY_SECONDS))
while [ $SECONDS -lt $end ]; do
  sleep 10
  samples+=("$(awk '/VmRSS/ {print $2}' /proc/"$WATCH_PID"/status)")
done
kill "${loops[@]}" 2>/dev/null || true
wait "${loops[@]}" 2>/dev/null || true
stop_watch
memory_line=$(grep "events=" "$OUT/memory.log" | tail -n 1)
first=${samples[0]}; last=${samples[-1]}
peak=$(printf '%s\n' "${samples[@]}" | sort -n | tail -n 1)

{
  echo "# Sensor benchmark ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(uname -r), $(nproc) cores)"
  echo
  echo "## Overhead: $OPENS open+close pairs (median of $RUNS)"
  echo
  echo "| configuration | seconds | slowdown |"
  echo "|---|---|---|"
  for config in none shrike shrike-per-event bpftrace; do
    echo "| $config | ${T[$config]} | $(ratio "${T[$config]}" "${T[none]}")× |"
  done
  echo
  echo "shrike (every event to user space, JSON to /dev/null) vs bpftrace (counting in the kernel):" \
       "$(ratio "$(ratio "${T[shrike]}" "${T[none]}")" "$(ratio "${T[bpftrace]}" "${T[none]}")")× bpftrace's slowdown."
  echo "Batched wake-ups vs one wake-up per event: $(ratio "${T[shrike-per-event]}" "${T[shrike]}")× faster."
  echo
  echo "## Throughput: two processes opening at a target rate for $STEP s"
  echo
  echo "| target events/s | delivered events/s | drops | drop rate |"
  echo "|---|---|---|---|"
  printf '%s' "$throughput_rows"
  echo
  echo "## Memory: shrike watch --events --json, 20 loops of /bin/true, $MEMORY_SECONDS s"
  echo
  echo "RSS first sample ${first} KiB, peak ${peak} KiB, last ${last} KiB (samples every 10 s: ${samples[*]})."
  echo
  echo "Final statistics: ${memory_line#shrike: }"
} | tee "$OUT/sensor.md"

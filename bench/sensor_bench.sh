#!/usr/bin/env bash
# Benchmark the eBPF sensor (issue: `shrike watch --events`) side by side with bpftrace, and write
# bench/out/sensor.md. Needs root and a kernel with BTF.
#
#   SHRIKE=path/to/shrike bench/sensor_bench.sh     (`make bench` runs it after the SBOM benchmark)
#
# Environment: SHRIKE (default .build/release/shrike), SENSOR_RUNS (runs per configuration, median reported,
# default 3), SENSOR_OPENS (open+close pairs per run, default 2000000), SENSOR_RATES (target events/s for the
# sustained-rate steps, default "100000 200000 300000 400000 600000 800000 1000000"), SENSOR_STEP_SECONDS
# (default 10),
# SENSOR_MEMORY_SECONDS (length of the short-lived-process run, default 600), BENCH_OUT (default bench/out).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
SHRIKE=${SHRIKE:-$repo/.build/release/shrike}
RUNS=${SENSOR_RUNS:-3}
OPENS=${SENSOR_OPENS:-2000000}
RATES=${SENSOR_RATES:-100000 200000 300000 400000 600000 800000 1000000}
STEP=${SENSOR_STEP_SECONDS:-10}
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

# Sustained rate: two paced generators offer RATE opens/s for STEP s; "offered" is what they achieved (on 2 cores
# they compete with the agent for CPU), "delivered" what reached user space, drops are the kernel's per-category
# counters (a full ring). One row per step, and an SVG plot of the three.
echo "sensor-bench: sustained-rate steps of $STEP s" >&2
throughput_rows=""
plot_points=""
for rate in $RATES; do
  start_watch "$OUT/step.log" --events --json --type openat --duration $((STEP + 3))
  half=$((rate / 2))
  count=$((half * STEP))
  began=$(date +%s.%N)
  "$GEN" "$count" "$half" & a=$!
  "$GEN" "$count" "$half" & b=$!
  wait $a $b
  ended=$(date +%s.%N)
  wait "$WATCH_PID" 2>/dev/null || true
  line=$(grep "events=" "$OUT/step.log" | tail -n 1)
  delivered=$(sed -E 's/.*delivered=([0-9]+).*/\1/' <<<"$line")
  drops=$(sed -E 's/.*drops=([0-9]+).*/\1/' <<<"$line")
  categories=$(sed -E 's/.*drops=[0-9]+ \(([^)]*)\).*/\1/' <<<"$line")
  offered_rate=$(awk -v c="$count" -v a="$began" -v b="$ended" 'BEGIN { printf "%.0f", 2 * c / (b - a) }')
  # Delivered over the generators' own time, so the rate compares with what they offered.
  delivered_rate=$(awk -v e="$delivered" -v a="$began" -v b="$ended" 'BEGIN { printf "%.0f", e / (b - a) }')
  drop_rate=$(awk -v d="$drops" -v e="$delivered" 'BEGIN { printf "%.4f", (e + d) ? d / (e + d) : 0 }')
  throughput_rows+="| $rate | $offered_rate | $delivered_rate | $drops | $drop_rate | $categories |"$'\n'
  plot_points+="$rate $offered_rate $delivered_rate $(awk -v d="$drops" -v a="$began" -v b="$ended" 'BEGIN { printf "%.0f", d / (b - a) }')"$'\n'
  echo "  target $rate/s: offered $offered_rate/s, delivered $delivered_rate/s, drops $drops ($categories)" >&2
done
printf '%s' "$plot_points" >"$OUT/sensor-rate.txt"
python3 - "$OUT/sensor-rate.txt" "$OUT/sensor-rate.svg" <<'PLOT'
import sys
rows = [tuple(float(x) for x in line.split()) for line in open(sys.argv[1]) if line.strip()]
width, height, left, bottom = 640, 360, 70, 40
top = max(max(r[1], r[2], r[3], r[0]) for r in rows) * 1.05 or 1
def x(v): return left + v / top * (width - left - 20)
def y(v): return height - bottom - v / top * (height - bottom - 20)
series = [(1, "offered", "#1f77b4"), (2, "delivered", "#2ca02c"), (3, "dropped", "#d62728")]
out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
       f'<rect width="{width}" height="{height}" fill="white"/>',
       f'<line x1="{left}" y1="{y(0)}" x2="{width - 20}" y2="{y(0)}" stroke="black"/>',
       f'<line x1="{left}" y1="{y(0)}" x2="{left}" y2="20" stroke="black"/>',
       f'<text x="{width / 2}" y="{height - 8}" text-anchor="middle">target events/s</text>',
       f'<text x="14" y="{height / 2}" transform="rotate(-90 14 {height / 2})" text-anchor="middle">events/s</text>']
for step in range(0, 6):
    v = top * step / 5
    out.append(f'<text x="{left - 6}" y="{y(v) + 4}" text-anchor="end">{v / 1000:.0f}k</text>')
    out.append(f'<text x="{x(v)}" y="{y(0) + 14}" text-anchor="middle">{v / 1000:.0f}k</text>')
for index, name, colour in series:
    points = " ".join(f"{x(r[0]):.1f},{y(r[index]):.1f}" for r in rows)
    out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
    out += [f'<circle cx="{x(r[0]):.1f}" cy="{y(r[index]):.1f}" r="3" fill="{colour}"/>' for r in rows]
for n, (index, name, colour) in enumerate(series):
    out.append(f'<text x="{left + 10}" y="{30 + 14 * n}" fill="{colour}">{name}</text>')
out.append("</svg>")
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PLOT

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
  echo "## Sustained rate: two processes opening at a target rate for $STEP s (plot: sensor-rate.svg)"
  echo
  echo "| target events/s | offered events/s | delivered events/s | drops | drop rate | drops by category |"
  echo "|---|---|---|---|---|---|"
  printf '%s' "$throughput_rows"
  echo
  echo "## Memory: shrike watch --events --json, 20 loops of /bin/true, $MEMORY_SECONDS s"
  echo
  echo "RSS first sample ${first} KiB, peak ${peak} KiB, last ${last} KiB (samples every 10 s: ${samples[*]})."
  echo
  echo "Final statistics: ${memory_line#shrike: }"
} | tee "$OUT/sensor.md"

#!/usr/bin/env bash
# Benchmark the flight recorder (issue: recorder, incidents, timeline) and write bench/out/recorder.md:
#  1. `shrike incidents bench-record`: a synthetic 50,000 events/s stream for 60 s through the recorder and without it
#     (CPU per event, the ring's bytes per event, the incident written after its after-window, peak RSS of that
#     process including the incident's write);
#  2. the whole agent: peak RSS (VmHWM) of `shrike watch` with the default rules and the recorder on, while a load
#     generator makes RECORDER_RATE opens a second for RECORDER_SECONDS (longer than the 60 s window, so the ring is
#     full), side by side with the same run under `--no-record`. `--no-kernel-filter` lets every open reach user
#     space, so the recorder really sees RECORDER_RATE events a second; and a worst case: an alert on the loaded
#     process tree, whose incident takes every event (bench/recorder/mixedload.c, bench/rules/recorder.yaml).
# Part 2 needs root and a kernel with BTF; without them only part 1 runs.
#
# Environment: SHRIKE (default .build/release/shrike), RECORDER_RATE (default 50000), RECORDER_SECONDS (default 70),
# BENCH_OUT (default bench/out).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
SHRIKE=${SHRIKE:-$repo/.build/release/shrike}
RATE=${RECORDER_RATE:-50000}
SECONDS_RUN=${RECORDER_SECONDS:-70}
OUT=${BENCH_OUT:-$here/out}
die() { echo "recorder-bench: $*" >&2; exit 2; }
[ -x "$SHRIKE" ] || die "shrike not found at $SHRIKE; run 'make bench' or set SHRIKE"
mkdir -p "$OUT"
. "$here/lib.sh"
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1000000 }'; }

echo "recorder-bench: synthetic stream, $RATE events/s for 60 s" >&2
synthetic=$("$SHRIKE" incidents bench-record --rate "$RATE" --seconds 60 --json | python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)))')

agent=""
if [ "$(id -u)" -eq 0 ] && [ -e /sys/kernel/btf/vmlinux ]; then
  GEN="$OUT/openclose"
  cc -O2 -o "$GEN" "$here/sensor/openclose.c" || die "could not compile the load generator (install gcc)"
  # Peak RSS (kB) and the delivered-events line of one `shrike watch` run under the load.
  run_agent() {
    local log="$OUT/recorder-watch.log" record="$OUT/recorder-incidents"
    rm -rf "$record"
    "$SHRIKE" watch --no-kernel-filter --record-dir "$record" "$@" >/dev/null 2>"$log" &
    local pid=$! peak=0
    for _ in $(seq 100); do grep -q "watching" "$log" 2>/dev/null && break; sleep 0.1; done
    "$GEN" $((RATE * SECONDS_RUN)) "$RATE" &
    local gen=$!
    while kill -0 "$gen" 2>/dev/null; do
      peak=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo "$peak")
      sleep 1
    done
    peak=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo "$peak")
    kill -INT "$pid"; wait "$pid" 2>/dev/null || true
    echo "$peak|$(grep -m1 'events=' "$log" | sed 's/^shrike: //')"
  }
  echo "recorder-bench: shrike watch with the recorder, $RATE opens/s for $SECONDS_RUN s" >&2
  on=$(run_agent)
  echo "recorder-bench: shrike watch --no-record, same load" >&2
  off=$(run_agent --no-record)
  # The worst case: 8 workers of one process tree opening 4,000 files at RATE, an alert on that tree after 40 s, so
  # the incident takes every event (capped at 1,000,000) and is written while the ring is full.
  MIXED="$OUT/mixedload"
  cc -O2 -o "$MIXED" "$here/recorder/mixedload.c" || die "could not compile the mixed load generator"
  worst() {
    local log="$OUT/recorder-worst.log" record="$OUT/recorder-worst-incidents" peak=0
    rm -rf "$record"
    "$SHRIKE" watch --no-kernel-filter --rules default --rules "$here/rules/recorder.yaml" --record-dir "$record" \
      >/dev/null 2>"$log" &
    local pid=$!
    for _ in $(seq 100); do grep -q "watching" "$log" 2>/dev/null && break; sleep 0.1; done
    "$MIXED" $((RATE * SECONDS_RUN)) "$RATE" 4000 8 40 &
    local gen=$! deadline=$((SECONDS + SECONDS_RUN + 90))
    while kill -0 "$gen" 2>/dev/null || ! grep -q "saved" "$log"; do
      peak=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo "$peak")
      sleep 1
      [ "$SECONDS" -lt "$deadline" ] || break
    done
    sleep 1
    peak=$(awk '/VmHWM/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo "$peak")
    kill -INT "$pid"; wait "$pid" 2>/dev/null || true
    echo "$peak|$(grep -m1 'events=' "$log" | sed 's/^shrike: //')|$(grep -m1 'saved' "$log" | sed 's/^shrike: //; s/; see it.*//')"
  }
  echo "recorder-bench: worst case, an incident taking every event of a busy process tree" >&2
  worstcase=$(worst)
  agent="yes"
fi

{
  echo "## Flight recorder"
  echo
  echo "Synthetic stream (\`shrike incidents bench-record\`): $(field "$synthetic" events) events at $(field "$synthetic" rate)/s."
  echo
  echo "| measure | value |"
  echo "|---|---|"
  printf '| recorder CPU | %.2f µs/event = %.1f %% of a core at %s events/s |\n' \
    "$(field "$synthetic" recorderMicrosecondsPerEvent)" \
    "$(awk -v s="$(field "$synthetic" recorderCoreShareAtRate)" 'BEGIN { print s * 100 }')" "$(field "$synthetic" rate)"
  echo "| ring | $(field "$synthetic" ring.events) events in $(mib "$(field "$synthetic" ring.bytes)") MiB ($(awk -v b="$(field "$synthetic" ring.bytes)" -v e="$(field "$synthetic" ring.events)" 'BEGIN { printf "%.1f", b / e }') bytes/event) |"
  echo "| incident | $(field "$synthetic" incidentEvents) events stored in $(mib "$(field "$synthetic" incidentBytes)") MiB, written $(printf '%.0f' "$(field "$synthetic" closeToWrittenMilliseconds)") ms after its window closed |"
  echo "| peak RSS of that process | $(mb "$(field "$synthetic" peakRSSBytesWithRecorder)") MB with the recorder (incident write included), $(mb "$(field "$synthetic" peakRSSBytesWithoutRecorder)") MB without |"
  if [ -n "$agent" ]; then
    echo
    echo "Whole agent: \`shrike watch\` (default rules, kernel read filter off so every open reaches user space) under $RATE opens/s for $SECONDS_RUN s:"
    echo
    echo "| run | peak RSS (VmHWM) | sensor |"
    echo "|---|---|---|"
    echo "| recorder on | $(awk -v k="${on%%|*}" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }') MB | ${on#*|} |"
    echo "| --no-record | $(awk -v k="${off%%|*}" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }') MB | ${off#*|} |"
    rest=${worstcase#*|}
    echo "| worst case: an alert on the busy tree after 40 s (8 workers, 4,000 files), its incident written | $(awk -v k="${worstcase%%|*}" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }') MB | ${rest%%|*}; ${rest#*|} |"
    echo
    echo "Goal: ≤ 96 MB for the whole agent with a full 60 s window. RSS includes the sensor's BPF ring buffer, which user space maps twice (8 MiB counts as 16), and the binary's and Swift runtime's mapped code."
  else
    echo
    echo "Whole-agent run skipped: needs root and /sys/kernel/btf/vmlinux."
  fi
} > "$OUT/recorder.md"
cat "$OUT/recorder.md"

#!/usr/bin/env bash
# Benchmark the agent's spool (issue 15) and write bench/out/spool.md: `shrike bench-spool` appends SPOOL_RECORDS
# alert-sized records (SPOOL_BODY bytes) in batches of 100 with one fsync per batch, then drains them as the shipper
# does (peek 1,000, acknowledge). The spool lives in SPOOL_DIR (default: a folder under bench/out, so the disk is the
# project's, not tmpfs). Draining to a server over HTTP is measured with the server (it comes with `shrike server`).
#
# Environment: SHRIKE (default .build/release/shrike), SPOOL_RECORDS (default 100000), SPOOL_BODY (default 1000),
# BENCH_OUT (default bench/out).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
SHRIKE=${SHRIKE:-$repo/.build/release/shrike}
RECORDS=${SPOOL_RECORDS:-100000}
BODY=${SPOOL_BODY:-1000}
OUT=${BENCH_OUT:-$here/out}
die() { echo "spool-bench: $*" >&2; exit 2; }
[ -x "$SHRIKE" ] || die "shrike not found at $SHRIKE; run 'make bench' or set SHRIKE"
mkdir -p "$OUT"
DIR=${SPOOL_DIR:-$OUT/spool-bench}
rm -rf "$DIR"

rows=""
for batch in 1 100 1000; do
  echo "spool-bench: $RECORDS records of $BODY bytes, batches of $batch" >&2
  json=$("$SHRIKE" bench-spool --records "$RECORDS" --body-bytes "$BODY" --batch "$batch" --spool-dir "$DIR")
  rm -rf "$DIR"
  rows+=$(python3 -c '
import json, sys
r = json.loads(sys.argv[1])
print("| %d | %d | %.0f | %.1f | %.0f | %.1f |" % (r["batch"], r["bodyBytes"], r["appendRecordsPerSecond"],
      r["appendMBPerSecond"], r["drainRecordsPerSecond"], r["drainMBPerSecond"]))' "$json")
  rows+=$'\n'
done

fs=$(df -T "$OUT" | awk 'NR == 2 { print $2 }')
{
  echo "# Spool: append and drain"
  echo
  echo "$RECORDS records of $BODY bytes on $fs ($(uname -r), $(nproc) cores); one write and one fsync per batch."
  echo
  echo "| batch | body bytes | append records/s | append MB/s | drain records/s | drain MB/s |"
  echo "|---:|---:|---:|---:|---:|---:|"
  printf '%s' "$rows"
} > "$OUT/spool.md"
cat "$OUT/spool.md"

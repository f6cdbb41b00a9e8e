#!/usr/bin/env bash
# Benchmark the server's two store engines side by side and write bench/out/server.md: alerts/s ingested through
# ServerStore.ingest (batches of 500 from 100 simulated agents, 8 batches in flight) until the store holds
# SERVER_ALERTS alerts, then the latency of alerts(rule:) (a page of 100) over all of them.
# PostgreSQL is a throwaway cluster (initdb in a temporary directory, a Unix socket there, started and stopped here;
# durability left at PostgreSQL's defaults, as a real server runs), from Debian's postgresql package.
#
# Environment: SHRIKE (default .build/release/shrike), SERVER_ALERTS (default 1000000), SERVER_QUERIES (default 500),
# BENCH_OUT (default bench/out).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
SHRIKE=${SHRIKE:-$repo/.build/release/shrike}
ALERTS=${SERVER_ALERTS:-1000000}
QUERIES=${SERVER_QUERIES:-500}
OUT=${BENCH_OUT:-$here/out}
die() { echo "server-bench: $*" >&2; exit 2; }
[ -x "$SHRIKE" ] || die "shrike not found at $SHRIKE; run 'make bench' or set SHRIKE"
[[ $ALERTS =~ ^[1-9][0-9]*$ ]] || die "SERVER_ALERTS must be a positive integer, not '$ALERTS'"
mkdir -p "$OUT"
. "$here/lib.sh"

work=$(mktemp -d /tmp/shrike-server-bench.XXXXXX)
chmod 755 "$work"  # the postgres user reaches its cluster below it
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
pg_started=""
cleanup() {
  [ -n "$pg_started" ] && as_postgres "$pgbin/pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
as_postgres() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

run_engine() {
  local name=$1 database=$2
  echo "server-bench: $name: ingesting $ALERTS alerts" >&2
  "$SHRIKE" server bench-store --database "$database" --alerts "$ALERTS" --queries "$QUERIES" 2>"$work/$name.log" ||
    die "$name failed: $(tail -n 5 "$work/$name.log")"
}

# The console over the store bench-store just filled: a `shrike server` on it, measured by console_bench.py in
# headless chromium (needs chromium, chromium-driver and .venv-selenium, which scripts/validators.sh makes).
console_python=$repo/.venv-selenium/bin/python
console_measure() {
  local name=$1 database=$2
  if [ ! -x "$console_python" ] || [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    echo "server-bench: console not measured: needs chromium, chromium-driver and .venv-selenium (make test-deps)" >&2
    return 0
  fi
  "$SHRIKE" server token create --name bench-node --role agent --database "$database" 2>/dev/null | tail -n 1 \
    > "$work/$name-agent.token"
  "$SHRIKE" server token create --name bench-viewer --role viewer --database "$database" 2>/dev/null | tail -n 1 \
    > "$work/$name-viewer.token"
  "$SHRIKE" server --listen 127.0.0.1:0 --database "$database" 2> "$work/$name-server.log" &
  local pid=$! url=""
  for _ in $(seq 1 200); do
    url=$(grep -o 'http://127.0.0.1:[0-9]*' "$work/$name-server.log" 2>/dev/null | head -n 1) && [ -n "$url" ] && break
    sleep 0.1
  done
  [ -n "$url" ] || { kill "$pid"; die "$name: the server did not start: $(tail -n 5 "$work/$name-server.log")"; }
  echo "server-bench: $name: console in chromium ($CONSOLE_INCIDENTS incidents + one of 100,000 events)" >&2
  local figures
  figures=$("$console_python" "$here/console_bench.py" "$url" "$(cat "$work/$name-viewer.token")" \
    "$(cat "$work/$name-agent.token")" "$pid" "$CONSOLE_INCIDENTS" "$CONSOLE_LIVE_SECONDS" 2> "$work/$name-console.log") ||
    { kill "$pid"; die "$name: console measurement failed: $(tail -n 5 "$work/$name-console.log")"; }
  kill "$pid"; wait "$pid" 2>/dev/null || true
  echo "{\"engine\": \"$name\", \"figures\": $figures}"
}
CONSOLE_INCIDENTS=${CONSOLE_INCIDENTS:-10000}
CONSOLE_LIVE_SECONDS=${CONSOLE_LIVE_SECONDS:-10}

sqlite=$(run_engine sqlite "sqlite:$work/server.sqlite")
sqlite_bytes=$(du -cb "$work"/server.sqlite* | tail -n 1 | cut -f1)
sqlite_console=$(console_measure sqlite "sqlite:$work/server.sqlite")

postgres=""
if [ -z "$pgbin" ]; then
  echo "server-bench: PostgreSQL not installed (apt-get install postgresql); only SQLite measured" >&2
else
  mkdir -p "$work/pg"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$work/pg"; fi
  as_postgres "$pgbin/initdb" -D "$work/pg/data" -U postgres --auth=trust --encoding=UTF8 --locale=C >/dev/null ||
    die "initdb failed"
  as_postgres "$pgbin/pg_ctl" -D "$work/pg/data" -l "$work/pg/server.log" -w \
    -o "-k $work/pg -p 54329 -c listen_addresses='' -c shared_buffers=256MB" start >/dev/null || die "PostgreSQL did not start: $(tail -n 5 "$work/pg/server.log")"
  pg_started=1
  "$pgbin/psql" -X -q -h "$work/pg" -p 54329 -U postgres -d postgres -c "CREATE DATABASE shrike" || die "CREATE DATABASE failed"
  socket=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$work/pg")
  postgres=$(run_engine postgres "postgres://postgres@$socket:54329/shrike")
  pg_bytes=$("$pgbin/psql" -X -A -t -h "$work/pg" -p 54329 -U postgres -d shrike -c "SELECT pg_database_size('shrike')")
  postgres_console=$(console_measure postgres "postgres://postgres@$socket:54329/shrike")
fi

row() {
  local json=$1 bytes=$2
  printf '| %s | %s | %s | %s | %s | %s | %s MB |\n' "$(field "$json" engine)" "$(field "$json" alerts)" \
    "$(awk -v v="$(field "$json" alertsPerSecond)" 'BEGIN { printf "%.0f", v }')" \
    "$(awk -v v="$(field "$json" queryP50Milliseconds)" 'BEGIN { printf "%.2f", v }')" \
    "$(awk -v v="$(field "$json" queryP95Milliseconds)" 'BEGIN { printf "%.2f", v }')" \
    "$(awk -v v="$(field "$json" queryMaxMilliseconds)" 'BEGIN { printf "%.2f", v }')" \
    "$(awk -v b="$bytes" 'BEGIN { printf "%.0f", b / 1000000 }')"
}
{
  echo "# Server store: ingest and query, both engines"
  echo
  echo "$(nproc) cores, $(date -u +%Y-%m-%d). ServerStore.ingest, batches of 500 from 100 agents (8 in flight), then"
  echo "$QUERIES queries of alerts(rule:) (40 rules, a page of 100) over every stored alert. Goals: >= 20,000 alerts/s"
  echo "SQLite, >= 50,000 alerts/s PostgreSQL, p95 < 50 ms."
  echo
  echo "| engine | alerts | alerts/s ingested | query p50 ms | query p95 ms | query max ms | on disk |"
  echo "|---|---|---|---|---|---|---|"
  row "$sqlite" "$sqlite_bytes"
  if [ -n "$postgres" ]; then row "$postgres" "$pg_bytes"; fi
  console_row() {
    [ -n "$1" ] || return 0
    python3 - "$1" <<'PY'
import json, sys
r = json.loads(sys.argv[1]); f = r["figures"]
print("| %s | %.0f / %.0f | %.0f / %.0f | %.0f (%d rows) | %d/%d at %.0f/s, last %.2f s late | %d | %.0f → %.0f MiB |" % (
    r["engine"], f["feedTTFBp50"], f["feedTTFBp95"], f["feedRenderedP50"], f["feedRenderedP95"],
    f["incidentRenderedP50"], f["incidentRows"], f["livePageRows"], f["liveSent"], f["liveRate"],
    f["liveLastLagSeconds"], f["subscribersMinReceived"], f["rssBeforeMiB"], f["rssPeakMiB"]))
PY
  }
  if [ -n "${sqlite_console:-}${postgres_console:-}" ]; then
    echo
    echo "## The console over that store (headless chromium)"
    echo
    echo "The store above plus $CONSOLE_INCIDENTS incidents and one of 100,000 events (20,000 timeline entries, the"
    echo "agent's cap). Feed: 40 HTTP loads and 30 browser loads alternating the unfiltered feed and a rule filter."
    echo "Live: 1,000 alerts/s for $CONSOLE_LIVE_SECONDS s to the page and 50 more event-stream subscribers."
    echo "Goals: feed p95 < 300 ms, incident < 1 s, the page keeps up."
    echo
    echo "| engine | feed TTFB p50/p95 ms | feed rendered p50/p95 ms | 100k-event incident ms | live page | min alerts per subscriber | server RSS |"
    echo "|---|---|---|---|---|---|---|"
    console_row "${sqlite_console:-}"
    console_row "${postgres_console:-}"
  fi
} > "$OUT/server.md"
cat "$OUT/server.md"

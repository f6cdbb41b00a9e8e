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

sqlite=$(run_engine sqlite "sqlite:$work/server.sqlite")
sqlite_bytes=$(du -cb "$work"/server.sqlite* | tail -n 1 | cut -f1)

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
} > "$OUT/server.md"
cat "$OUT/server.md"

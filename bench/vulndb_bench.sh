#!/bin/sh
# Imports all bundled advisory data into a fresh database and reports import time and size, then the lookup rate.
# Usage: bench/vulndb_bench.sh [DATA_DIR] (default ../shared/data/advisories); needs a built shrike (make build).
set -eu
DATA=${1:-../shared/data/advisories}
BIN=${SHRIKE:-.build/release/shrike}
[ -x "$BIN" ] || BIN=.build/debug/shrike
DB=$(mktemp -d)/db.sqlite
start=$(date +%s.%N)
"$BIN" db import --db "$DB" "$DATA"/alpine-secdb/*/*.yaml "$DATA"/osv-pypi "$DATA"/osv-go "$DATA"/osv-rust | tail -n 1
end=$(date +%s.%N)
echo "import wall time: $(echo "$end - $start" | bc) s"
echo "database size: $(du -k "$DB" | cut -f1) KiB"
"$BIN" db status --db "$DB" | tail -n 1
rm -rf "$(dirname "$DB")"
echo "lookup rate: swift test --filter SQLiteAdvisoryStoreTests/lookupThroughput prints lookups/s"

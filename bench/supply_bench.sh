#!/usr/bin/env bash
# Issue 8's small benchmark: time to generate a key, sign and verify a signature on an OCI layout (the bundled Alpine
# 3.20.3 minirootfs). Writes bench/out/supply-results.md. Called by bench/run.sh; runs alone as
#   SHRIKE=.build/release/shrike bench/supply_bench.sh
# Signing with cosign's encrypted key format pays for scrypt (N=65536, r=8, as cosign) on every run; the plain
# PKCS#8 row shows the cost of signing itself. Needs skopeo (Debian) to turn the docker-archive into an OCI layout.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
SHRIKE=${SHRIKE:-$repo/.build/release/shrike}
OUT=${BENCH_OUT:-$here/out}
RUNS=${BENCH_RUNS:-5}
[ -x "$SHRIKE" ] || { echo "supply-bench: shrike not found at $SHRIKE (make build, or set SHRIKE)" >&2; exit 2; }
command -v skopeo >/dev/null || { echo "supply-bench: skopeo is missing (apt-get install skopeo)" >&2; exit 2; }
mkdir -p "$OUT"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 "$repo/scripts/mkimage.py" --rootfs "$repo/Tests/ShrikeCatalogTests/Fixtures/rootfs/alpine-minirootfs-3.20.3-x86_64.tar.gz" \
  --tag alpine:3.20.3 --out "$work/alpine.tar" >/dev/null
skopeo copy -q "docker-archive:$work/alpine.tar" "oci:$work/layout:3.20.3"
target="oci-dir:$work/layout:3.20.3"
export SHRIKE_PASSWORD=bench
cp "$repo/Tests/ShrikeSupplyChainTests/Fixtures/cosign-validecpkcs8.pem" "$work/plain.key"

# Median wall time in milliseconds of RUNS runs of a command.
median_ms() {
  local times=()
  for _ in $(seq "$RUNS"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}

keygen=$(median_ms "$SHRIKE" key generate --out "$work/release" --force)
sign_encrypted=$(median_ms "$SHRIKE" sign "$target" --key "$work/release.key")
sign_plain=$(median_ms "$SHRIKE" sign "$target" --key "$work/plain.key")
verify=$(median_ms "$SHRIKE" verify "$target" --key "$work/release.pub")
signatures=$(( RUNS * 2 ))
{
  echo "## Signatures (issue 8)"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), median of $RUNS runs, OCI layout of Alpine 3.20.3, \`$SHRIKE\`."
  echo
  echo "| step | ms |"
  echo "|---|---:|"
  echo "| \`shrike key generate\` (scrypt N=65536 + secretbox) | $keygen |"
  echo "| \`shrike sign\` with cosign's encrypted key (scrypt on each run) | $sign_encrypted |"
  echo "| \`shrike sign\` with a plain PKCS#8 key | $sign_plain |"
  echo "| \`shrike verify --key\` ($signatures signatures attached, all checked) | $verify |"
} > "$OUT/supply-results.md"
cat "$OUT/supply-results.md"

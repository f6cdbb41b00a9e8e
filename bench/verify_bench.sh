#!/usr/bin/env bash
# Benchmark `shrike verify`: layer hashing throughput against sha256sum on the same blobs (goal: >= 0.9x), and the
# time and HTTP round trips to verify an image in a local registry (Debian's docker-registry, when installed).
#
#   SHRIKE=path/to/shrike bench/verify_bench.sh        (bench/run.sh calls it; appends to $BENCH_OUT/results.md)
#
# Environment: SHRIKE (default .build/release/shrike), BENCH_OUT (default bench/out), BENCH_RUNS (default 3, median
# reported), VERIFY_BENCH_MB (layer data in MB, default 512). The layout is generated once into BENCH_OUT.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
SHRIKE=${SHRIKE:-$repo/.build/release/shrike}
OUT=${BENCH_OUT:-$here/out}
RUNS=${BENCH_RUNS:-3}
MB=${VERIFY_BENCH_MB:-512}

die() { echo "verify bench: $*" >&2; exit 2; }
[ -x "$SHRIKE" ] || die "shrike not found at $SHRIKE; build it with 'swift build -c release --product shrike' or set SHRIKE"
[[ $MB =~ ^[1-9][0-9]*$ ]] || die "VERIFY_BENCH_MB must be a positive integer, not '$MB'"
command -v sha256sum >/dev/null || die "sha256sum is missing (coreutils)"
mkdir -p "$OUT"
layout=$OUT/verify-${MB}mb.oci

# A layout of 8 uncompressed layers (tars of pseudo-random data, so no filesystem trick can shortcut reading).
if [ ! -f "$layout/index.json" ]; then
  echo "verify bench: generating a ${MB} MB OCI layout in $layout" >&2
  rm -rf "$layout"
  python3 - "$layout" "$MB" <<'PY'
import hashlib, io, json, os, random, sys, tarfile
out, mb = sys.argv[1], int(sys.argv[2])
os.makedirs(f"{out}/blobs/sha256")
def put(data):
    digest = hashlib.sha256(data).hexdigest()
    with open(f"{out}/blobs/sha256/{digest}", "wb") as f:
        f.write(data)
    return {"digest": f"sha256:{digest}", "size": len(data)}
layers, diff_ids, rng = [], [], random.Random(8)
per_layer = mb * 1024 * 1024 // 8
for i in range(8):
    payload = rng.randbytes(per_layer)
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        info = tarfile.TarInfo(f"data/layer{i}.bin"); info.size = len(payload); info.mtime = 0
        tar.addfile(info, io.BytesIO(payload))
    descriptor = put(buf.getvalue())
    layers.append({"mediaType": "application/vnd.oci.image.layer.v1.tar", **descriptor})
    diff_ids.append(descriptor["digest"])
config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": diff_ids}}).encode()
manifest = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                       "config": {"mediaType": "application/vnd.oci.image.config.v1+json", **put(config)},
                       "layers": layers}).encode()
m = put(manifest)
with open(f"{out}/index.json", "w") as f:
    json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", **m,
               "annotations": {"org.opencontainers.image.ref.name": "big"}}]}, f)
with open(f"{out}/oci-layout", "w") as f:
    f.write('{"imageLayoutVersion": "1.0.0"}')
PY
fi

bytes=$(du -sb "$layout/blobs" | cut -f1)
. "$here/lib.sh"
seconds() { local s e; s=$(date +%s.%N); "$@" >/dev/null 2>&1 || return 1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }

# Warm the page cache so both tools read from memory, then alternate runs.
cat "$layout"/blobs/sha256/* >/dev/null
shrike_times=(); sum_times=()
for _ in $(seq "$RUNS"); do
  shrike_times+=("$(seconds "$SHRIKE" verify "oci-dir:$layout")") || die "shrike verify failed on $layout"
  sum_times+=("$(seconds sha256sum "$layout"/blobs/sha256/*)") || die "sha256sum failed"
done
shrike_s=$(printf '%s\n' "${shrike_times[@]}" | median)
sum_s=$(printf '%s\n' "${sum_times[@]}" | median)
ratio=$(echo "$sum_s / $shrike_s" | bc -l)
mbps() { echo "$bytes / $1 / 1000000" | bc -l; }

registry_row="| registry verify | not run: docker-registry or skopeo is not installed (apt-get install docker-registry skopeo) | | |"
if command -v docker-registry >/dev/null && command -v skopeo >/dev/null; then
  reg=$(mktemp -d)
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  printf 'version: 0.1\nlog:\n  level: error\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: %s/storage\nhttp:\n  addr: 127.0.0.1:%s\n' "$reg" "$port" > "$reg/config.yml"
  docker-registry serve "$reg/config.yml" >"$reg/log" 2>&1 &
  regpid=$!
  trap 'kill $regpid 2>/dev/null; wait $regpid 2>/dev/null; rm -rf "$reg"' EXIT
  for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/v2/" >/dev/null 2>&1 && break; sleep 0.1; done
  echo '{"default":[{"type":"insecureAcceptAnything"}]}' > "$reg/policy.json"
  skopeo --policy "$reg/policy.json" copy --dest-tls-verify=false "oci:$layout:big" "docker://127.0.0.1:$port/bench/big:1" >/dev/null ||
    die "skopeo copy into the local registry failed"
  reg_times=()
  for _ in $(seq "$RUNS"); do
    reg_times+=("$(seconds "$SHRIKE" verify "registry:127.0.0.1:$port/bench/big:1" --insecure)") || die "shrike verify of the registry image failed"
  done
  reg_s=$(printf '%s\n' "${reg_times[@]}" | median)
  requests=$("$SHRIKE" verify "registry:127.0.0.1:$port/bench/big:1" --insecure --json |
             python3 -c 'import json,sys; print(json.load(sys.stdin).get("requests", "?"))')
  registry_row=$(printf '| shrike verify registry:127.0.0.1/bench/big:1 (plain HTTP, loopback) | %.2f s | %.0f MB/s | %s HTTP requests for 10 blobs |' \
    "$reg_s" "$(mbps "$reg_s")" "$requests")
fi

report=$(cat <<MD

## shrike verify: hashing throughput vs sha256sum

$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPU(s); an OCI layout of $((bytes / 1000000)) MB in 10 blobs (8 uncompressed
layers of pseudo-random data), page cache warm, median of $RUNS run(s).

| what | time | throughput | note |
|---|---|---|---|
$(printf '| shrike verify oci-dir:… | %.2f s | %.0f MB/s | |' "$shrike_s" "$(mbps "$shrike_s")")
$(printf '| sha256sum blobs/sha256/* | %.2f s | %.0f MB/s | |' "$sum_s" "$(mbps "$sum_s")")
$(printf '| **ratio (shrike / sha256sum throughput)** | **%.2fx** | | goal >= 0.9x |' "$ratio")
$registry_row
MD
)
echo "$report"
[ -f "$OUT/results.md" ] && echo "$report" >> "$OUT/results.md"
exit 0

#!/usr/bin/env bash
# The fleet part of `make demo`: a shrike server on loopback (SQLite in .build/demo/server), its own advisory
# database filled from the bundled secdb, an SBOM uploaded the way an agent does, and the answers from its API.
set -euo pipefail
shrike=${1:?usage: demo_server.sh SHRIKE_BINARY IMAGE_TARGET}
target=${2:?usage: demo_server.sh SHRIKE_BINARY IMAGE_TARGET}
demo=.build/demo/server
rm -rf "$demo" && mkdir -p "$demo"
db="sqlite:$demo/server.sqlite"
say() { printf '$ %s\n' "$*"; }

say "shrike server token create --name demo-node --role agent"
"$shrike" server token create --name demo-node --role agent --database "$db" 2>/dev/null | tail -n 1 > "$demo/agent.token"
chmod 600 "$demo/agent.token"
"$shrike" server token create --name demo-viewer --role viewer --database "$db" 2>/dev/null | tail -n 1 > "$demo/viewer.token"
"$shrike" db import Tests/ShrikeVulnDBTests/Fixtures/alpine-secdb --db "$demo/advisories.sqlite" >/dev/null
say "shrike server --listen 127.0.0.1:0 --db $demo/advisories.sqlite &"
"$shrike" server --listen 127.0.0.1:0 --database "$db" --db "$demo/advisories.sqlite" --rematch-interval 1 \
    2> "$demo/server.log" &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do grep -q "listening on" "$demo/server.log" 2>/dev/null && break; sleep 0.1; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$demo/server.log" | head -n 1)
[ -n "$url" ] || { cat "$demo/server.log" >&2; exit 1; }
say "shrike sbom $target --server $url --token-file agent.token > /dev/null"
"$shrike" sbom "$target" --server "$url" --token-file "$demo/agent.token" --spool-dir "$demo/spool" > /dev/null
auth="Authorization: Bearer $(cat "$demo/viewer.token")"
for _ in $(seq 1 50); do
    curl -sf -H "$auth" "$url/api/v1/vulnerabilities/CVE-2019-14697/affected" | grep -q sha256 && break
    sleep 0.2
done
say "curl -H 'Authorization: Bearer …' $url/api/v1/vulnerabilities/CVE-2019-14697/affected"
curl -sf -H "$auth" "$url/api/v1/vulnerabilities/CVE-2019-14697/affected" | python3 -m json.tool
say "curl -H 'Authorization: Bearer …' $url/api/v1/images"
curl -sf -H "$auth" "$url/api/v1/images" | python3 -m json.tool

#!/usr/bin/env bash
# The fleet part of `make demo`: a shrike server on loopback (SQLite in .build/demo/server), its own advisory
# database filled from the bundled secdb, an SBOM uploaded the way an agent does, and the answers from its API.
# As root (with kernel BTF) a real `shrike watch --server` agent catches a real alert and ships its incident.
# The server is left running for the web console; the last lines say how to open it and how to stop it.
set -euo pipefail
shrike=${1:?usage: demo_server.sh SHRIKE_BINARY IMAGE_TARGET}
target=${2:?usage: demo_server.sh SHRIKE_BINARY IMAGE_TARGET}
demo=.build/demo/server
# A console left by an earlier demo run goes first: its database is about to be replaced.
if [ -f "$demo/server.pid" ]; then kill "$(cat "$demo/server.pid")" 2>/dev/null || true; sleep 0.3; fi
rm -rf "$demo" && mkdir -p "$demo"
db="sqlite:$demo/server.sqlite"
say() { printf '$ %s\n' "$*"; }

say "shrike server token create --name demo-node --role agent"
"$shrike" server token create --name demo-node --role agent --database "$db" 2>/dev/null | tail -n 1 > "$demo/agent.token"
chmod 600 "$demo/agent.token"
"$shrike" server token create --name demo-viewer --role viewer --database "$db" 2>/dev/null | tail -n 1 > "$demo/viewer.token"
"$shrike" db import Tests/ShrikeVulnDBTests/Fixtures/alpine-secdb --db "$demo/advisories.sqlite" >/dev/null
say "shrike server --listen 127.0.0.1:0 --db $demo/advisories.sqlite &"
# setsid: the server outlives this script (and make) so the console stays up; it is killed on any failure here.
setsid "$shrike" server --listen 127.0.0.1:0 --database "$db" --db "$demo/advisories.sqlite" --rematch-interval 1 \
    2> "$demo/server.log" < /dev/null > /dev/null &
server=$!
echo "$server" > "$demo/server.pid"
trap 'kill $server 2>/dev/null || true' ERR INT TERM
for _ in $(seq 1 100); do grep -q "listening on" "$demo/server.log" 2>/dev/null && break; sleep 0.1; done
url=$(grep -o 'http://127.0.0.1:[0-9]*' "$demo/server.log" | head -n 1)
[ -n "$url" ] || { cat "$demo/server.log" >&2; kill "$server"; exit 1; }
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

if [ "$(id -u)" = 0 ] && [ -e /sys/kernel/btf/vmlinux ]; then
    echo
    echo "# runtime: a real agent on this host, a real alert, and the seconds before and after it"
    # The command waits on a fifo so the agent can watch just its process tree (--pid) from its first step.
    mkfifo "$demo/go"
    sh -c "read _ < '$demo/go'; id > /dev/null; sleep 1; cat /etc/shadow > /dev/null; sleep 0.5; ls /tmp > /dev/null" &
    trigger=$!
    say "shrike watch --pid $trigger --server $url --token-file agent.token --before 5 --after 1 &"
    "$shrike" watch --pid "$trigger" --server "$url" --token-file "$demo/agent.token" --spool-dir "$demo/agent-spool" \
        --record-dir "$demo/incidents" --before 5 --after 1 --heartbeat 1 --duration 20 \
        > "$demo/alerts.txt" 2> "$demo/watch.log" < /dev/null &
    watch=$!
    for _ in $(seq 1 200); do grep -q "watching" "$demo/watch.log" 2>/dev/null && break; sleep 0.1; done
    if grep -q "watching" "$demo/watch.log"; then
        say "(pid $trigger) id; sleep 1; cat /etc/shadow > /dev/null; sleep 0.5; ls /tmp"
        echo > "$demo/go"
        wait "$trigger" || true
        for _ in $(seq 1 50); do grep -q "/etc/shadow" "$demo/alerts.txt" && break; sleep 0.1; done
        head -n 1 "$demo/alerts.txt"
        # The incident closes a second after its last alert; then it is saved and shipped to the server.
        incident=""
        for _ in $(seq 1 80); do
            incident=$(curl -sf -H "$auth" "$url/api/v1/incidents" \
                | python3 -c 'import json,sys; items=json.load(sys.stdin).get("items",[]); print(items[0]["id"] if items else "")' \
                2>/dev/null || true)
            [ -n "$incident" ] && break
            sleep 0.25
        done
        if [ -n "$incident" ]; then
            say "shrike incidents show $incident --record-dir $demo/incidents | head -n 30"
            "$shrike" incidents show "$incident" --record-dir "$demo/incidents" | head -n 30 || true
        else
            echo "(no incident reached the server; see $demo/watch.log)"
        fi
    else
        echo "(the eBPF sensor did not start; see $demo/watch.log)"
        kill "$trigger" 2>/dev/null || true
    fi
    kill -INT "$watch" 2>/dev/null || true
    wait "$watch" 2>/dev/null || true
else
    echo
    echo "# (run make demo as root to see a real alert and its incident timeline from shrike watch)"
fi

echo
link=$("$shrike" server login-link --database "$db" --url "$url" 2>/dev/null)
echo "# the web console, filled with this demo's scan$( [ "$(id -u)" = 0 ] && echo ', alert and incident'):"
echo "#   open $link"
echo "#   (one-time sign-in link, 15 minutes; later: sign in with the token in $demo/viewer.token)"
echo "#   stop it with: kill \$(cat $demo/server.pid)"

# Helpers the benchmark scripts share; source it after defining `die` (and SHRIKE for the watch helpers).

# The median of numbers on stdin, one per line.
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# Wall-clock seconds of a command (its output discarded).
elapsed() { /usr/bin/time -f %e "$@" 2>&1 >/dev/null | tail -n 1; }
# a / b with two decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# A value of a JSON object given as text, by a dotted key path: field "$json" ring.bytes
field() { python3 -c 'import json,sys
v=json.loads(sys.argv[1])
for k in sys.argv[2].split("."): v=v[k]
print(v)' "$1" "$2"; }

# Starts `shrike watch ARGS...` in the background with its stderr in LOG and waits until it says it is watching.
# Sets WATCH_PID.
start_watch() {
  local log=$1; shift
  "$SHRIKE" watch "$@" >/dev/null 2>"$log" &
  WATCH_PID=$!
  for _ in $(seq 100); do grep -q "watching" "$log" 2>/dev/null && return 0; sleep 0.1; done
  die "shrike watch did not start: $(cat "$log")"
}
stop_watch() { kill -INT "$WATCH_PID" 2>/dev/null || true; wait "$WATCH_PID" 2>/dev/null || true; }

#!/usr/bin/env bash
# The sensor's cost on real workloads (issue 14): redis-benchmark against Debian's redis-server, wrk against Debian's
# nginx serving a static file, and a parallel compile, each with no sensor, with `shrike watch` (the default rules
# and the flight recorder, as a user runs it) and with bpftrace counting the same syscalls in the kernel. Runs are
# alternated (none, shrike, bpftrace, then the next round in rotated order) because single runs vary by ±10 % on
# this machine; medians and the spread (min–max) are reported. Writes bench/out/workloads.md. Needs root.
#
#   SHRIKE=path/to/shrike bench/workload_bench.sh       (`make bench` runs it)
#
# Environment: SHRIKE (default .build/release/shrike), WORKLOAD_ROUNDS (alternating rounds, default 5),
# WORKLOAD_REQUESTS (redis requests per test, default 200000), WORKLOAD_SECONDS (wrk duration, default 5),
# WORKLOADS (default "syscall redis nginx compile"), WORKLOAD_CONFIGS (default "none shrike bpftrace"), BENCH_OUT.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(dirname "$here")
SHRIKE=${SHRIKE:-$repo/.build/release/shrike}
ROUNDS=${WORKLOAD_ROUNDS:-5}
REQUESTS=${WORKLOAD_REQUESTS:-200000}
WRK_SECONDS=${WORKLOAD_SECONDS:-5}
WORKLOADS=${WORKLOADS:-syscall redis nginx compile}
CONFIGS=${WORKLOAD_CONFIGS:-none shrike bpftrace}
OUT=${BENCH_OUT:-$here/out}
die() { echo "workload-bench: $*" >&2; exit 2; }

[ "$(id -u)" -eq 0 ] || die "needs root (the sensor loads BPF programs)"
[ -x "$SHRIKE" ] || die "shrike not found at $SHRIKE; run 'make bench' or set SHRIKE"
need=()
command -v redis-server >/dev/null || need+=(redis-server)
command -v redis-benchmark >/dev/null || need+=(redis-tools)
command -v nginx >/dev/null || need+=(nginx-light)
command -v wrk >/dev/null || need+=(wrk)
command -v bpftrace >/dev/null || need+=(bpftrace)
command -v bpftool >/dev/null || need+=(bpftool)
if [ ${#need[@]} -gt 0 ]; then
  echo "workload-bench: installing ${need[*]} (apt-get)" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null || die "could not install ${need[*]}"
fi
[ -d /sys/kernel/tracing/events ] || mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
[ -d /sys/kernel/tracing/events/syscalls ] || die "tracefs is not mounted at /sys/kernel/tracing (bpftrace needs it)"

. "$here/lib.sh"
mkdir -p "$OUT"
work=$(mktemp -d "$OUT/workloads.XXXXXX")
cleanup() {
  [ -n "${REDIS_PID:-}" ] && kill "$REDIS_PID" 2>/dev/null || true
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  [ -n "${WATCH_PID:-}" ] && kill -INT "$WATCH_PID" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The syscalls shrike's default rules ask the sensor for, so bpftrace counts the same ones (one tracepoint each).
syscalls=$("$SHRIKE" rules list -o json | python3 -c '
import json, sys
names = set()
for rule in json.load(sys.stdin).get("rules", []):
    names.update(rule.get("event_types", []))
print(" ".join(sorted(n for n in names if n not in ("fork", "exit", "vfork", "clone3"))))')
probes=""
for name in $syscalls; do
  [ -d "/sys/kernel/tracing/events/syscalls/sys_enter_$name" ] && probes+="tracepoint:syscalls:sys_enter_$name,"
done
probes+="tracepoint:sched:sched_process_exec,tracepoint:sched:sched_process_fork,tracepoint:sched:sched_process_exit"

start_config() {
  case $1 in
    none) ;;
    shrike) start_watch "$work/watch.log" --record-dir "$work/incidents" ;;
    shrike-no-record) start_watch "$work/watch.log" --no-record ;;
    bpftrace)
      bpftrace -e "$probes { @[probe] = count(); }" >"$work/bpftrace.log" 2>&1 &
      WATCH_PID=$!
      for _ in $(seq 150); do grep -q "Attaching" "$work/bpftrace.log" 2>/dev/null && break; sleep 0.1; done
      grep -q "Attaching" "$work/bpftrace.log" || die "bpftrace did not attach: $(cat "$work/bpftrace.log")"
      sleep 0.5 ;;
    *) die "unknown configuration $1" ;;
  esac
}
stop_config() { [ "$1" = none ] || stop_watch; WATCH_PID=; }

# One measurement per workload; prints a throughput (higher is better) or, for compile, seconds (lower is better).
run_redis() {
  redis-benchmark -p 6390 -c 50 -n "$REQUESTS" -t set,get -q --csv 2>/dev/null |
    awk -F, '/"(SET|GET)"/ { gsub(/"/, "", $2); sum += $2; n++ } END { if (n == 2) printf "%.0f\n", sum / n }'
}
run_nginx() {
  wrk -t2 -c50 -d"${WRK_SECONDS}s" http://127.0.0.1:8089/index.html | awk '/Requests\/sec/ { print $2 }'
}
run_syscall() { "$work/getppid" 2000000; }
run_compile() {
  rm -rf "$work/compile" && mkdir -p "$work/compile"
  elapsed make -s -C "$work/compile" -f "$work/compile.mk" -j2 SRC="$work/src" OUT="$work/compile"
}

setup_syscall() { cc -O2 "$here/sensor/getppid.c" -o "$work/getppid" || die "cc failed on getppid.c"; }
setup_redis() {
  redis-server --port 6390 --bind 127.0.0.1 --save '' --appendonly no --daemonize no >"$work/redis.log" 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 50); do redis-cli -p 6390 ping >/dev/null 2>&1 && return 0; sleep 0.1; done
  die "redis-server did not start: $(cat "$work/redis.log")"
}
setup_nginx() {
  mkdir -p "$work/www" "$work/nginx-tmp"
  head -c 4096 /dev/urandom | base64 >"$work/www/index.html"
  # nginx's workers run as www-data: mktemp's 0700 directory would answer every request with 403.
  chmod 755 "$work" "$work/www"
  chmod 644 "$work/www/index.html"
  cat >"$work/nginx.conf" <<EOF
worker_processes 2;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx-tmp;
  proxy_temp_path $work/nginx-tmp;
  fastcgi_temp_path $work/nginx-tmp;
  uwsgi_temp_path $work/nginx-tmp;
  scgi_temp_path $work/nginx-tmp;
  server { listen 127.0.0.1:8089; root $work/www; }
}
EOF
  nginx -c "$work/nginx.conf" || die "nginx did not start: $(cat "$work/nginx-error.log" 2>/dev/null)"
  for _ in $(seq 50); do curl -fsS -o /dev/null http://127.0.0.1:8089/index.html 2>/dev/null && return 0; sleep 0.1; done
  die "nginx does not answer on 127.0.0.1:8089: $(curl -sS -o /dev/null -w '%{http_code}' http://127.0.0.1:8089/index.html 2>&1)"
}
# The compile: the project's own C sources (the BPF sensor program through clang's BPF target, the C shims and the
# load generators through cc), 24 translation units, so make -j2 keeps both cores busy with exec/open-heavy work.
setup_compile() {
  mkdir -p "$work/src"
  cp "$repo"/Sources/CShrikeBPF/bpf/*.bpf.c "$repo"/Sources/CShrikeBPF/include/*.h "$work/src/"
  cp "$here"/sensor/*.c "$work/src/" 2>/dev/null || true
  local clang
  clang=$(dirname "$(readlink -f "$(command -v swift)")")/clang
  {
    echo "CLANG := $clang"
    echo 'objs :='
    for i in $(seq 8); do
      echo "objs += \$(OUT)/sensor$i.bpf.o"
      echo "\$(OUT)/sensor$i.bpf.o: ; \$(CLANG) -target bpf -O2 -g -I/usr/include/x86_64-linux-gnu -c \$(SRC)/sensor.bpf.c -o \$@"
    done
    for i in $(seq 16); do
      for c in "$work"/src/*.c; do
        case $c in *.bpf.c) continue ;; esac
        b=$(basename "$c" .c)
        echo "objs += \$(OUT)/$b$i.o"
        echo "\$(OUT)/$b$i.o: ; cc -O2 -c \$(SRC)/$b.c -o \$@"
      done
    done
    echo 'all: $(objs)'
    echo '.DEFAULT_GOAL := all'
  } >"$work/compile.mk"
}

declare -A RESULTS
for workload in $WORKLOADS; do
  "setup_$workload"
  "run_$workload" >/dev/null  # warm-up
  set -- $CONFIGS
  configs=("$@")
  for round in $(seq "$ROUNDS"); do
    # Rotate the order each round so no configuration always runs first or last.
    n=${#configs[@]}
    for k in $(seq 0 $((n - 1))); do
      config=${configs[$(((k + round) % n))]}
      start_config "$config"
      value=$("run_$workload")
      stop_config "$config"
      [ -n "$value" ] || die "$workload under $config gave no result"
      RESULTS[$workload,$config]+="$value "
      echo "  $workload round $round $config: $value" >&2
    done
  done
  [ "$workload" = redis ] && { kill "$REDIS_PID"; wait "$REDIS_PID" 2>/dev/null || true; REDIS_PID=; }
  [ "$workload" = nginx ] && { kill "$(cat "$work/nginx.pid")"; rm -f "$work/nginx.pid"; }
done

stat_of() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {printf "%s %s %s", a[int((NR+1)/2)], a[1], a[NR]}'; }
{
  echo "# Workload benchmark ($(date -u +%Y-%m-%dT%H:%M:%SZ), $(uname -r), $(nproc) cores, $ROUNDS alternating rounds)"
  echo
  echo "shrike = \`shrike watch\` with the default rules and the flight recorder on; bpftrace = counting the default"
  echo "rules' syscalls with one tracepoint each. Loss is against the median without a sensor."
  echo
  echo "| workload | configuration | median | spread (min–max) | loss vs none |"
  echo "|---|---|---|---|---|"
  for workload in $WORKLOADS; do
    read -r base _ _ <<<"$(stat_of <<<"${RESULTS[$workload,none]:-}")"
    for config in $CONFIGS; do
      read -r med lo hi <<<"$(stat_of <<<"${RESULTS[$workload,$config]}")"
      if [ "$workload" = compile ] || [ "$workload" = syscall ]; then
        unit=$([ "$workload" = compile ] && echo s || echo " ns"); loss=$(awk -v m="$med" -v b="$base" 'BEGIN { printf "%+.1f %%", (m - b) / b * 100 }')
      else
        unit="/s"; loss=$(awk -v m="$med" -v b="$base" 'BEGIN { printf "%.1f %%", (b - m) / b * 100 }')
      fi
      echo "| $workload | $config | $med$unit | $lo–$hi | $loss |"
    done
  done
  echo
  echo "syscall: nanoseconds per getppid() (a syscall no rule wants; best of 5 × 2,000,000 calls), the tax every"
  echo "syscall of the machine pays; for it the loss column is the slowdown."
  echo "redis: redis-benchmark -c 50 -n $REQUESTS -t set,get (mean of SET and GET requests/s); nginx: wrk -t2 -c50"
  echo "-d${WRK_SECONDS}s of a 5.5 KB file (requests/s); compile: make -j2 of 8 BPF objects (clang) and the C load"
  echo "generators 16× (seconds; for compile the loss column is the slowdown)."
} | tee "$OUT/workloads.md"

#!/usr/bin/env python3
"""Alert latency of `shrike watch`: from the syscall (the alert's event time) to the alert line read from its stdout,
under background load. Prints one JSON object: {"alerts": N, "p50_ms": …, "p99_ms": …, "max_ms": …}.

    rules_latency.py SHRIKE OPENCLOSE RATE PROBES RULES...
"""
import datetime, json, os, subprocess, sys, threading, time

shrike, generator, rate, probes = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rules = sys.argv[5:]

def event_ns(text):
    # 2026-11-29T10:00:00.123456789Z
    seconds = datetime.datetime.strptime(text[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    fraction = text[20:-1] if len(text) > 20 else "0"
    return int(seconds.timestamp()) * 1_000_000_000 + int(fraction.ljust(9, "0")[:9])

args = [shrike, "watch", "--json", "--dedup-window", "0", "--no-record"]
for r in rules:
    args += ["--rules", r]
watch = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
ready = watch.stderr.readline().decode()
if "watching" not in ready:
    sys.exit("shrike watch did not start: " + ready + watch.stderr.read().decode())

latencies = []
def read():
    for line in watch.stdout:
        received = time.time_ns()
        try:
            alert = json.loads(line)
        except ValueError:
            continue
        if alert.get("rule") == "Latency probe":
            latencies.append((received - event_ns(alert["time"])) / 1e6)
reader = threading.Thread(target=read, daemon=True)
reader.start()

# Background load: two generators sharing the target rate, running longer than the probes.
seconds = probes * 0.02 + 3
half = rate // 2
load = [subprocess.Popen([generator, str(int(half * seconds)), str(half)]) for _ in range(2)] if rate else []
time.sleep(1)
for i in range(probes):
    with open("/tmp/shrike-latency-probe-%d" % (i % 10), "w"):
        pass
    time.sleep(0.02)
for p in load:
    p.wait()
time.sleep(0.5)
watch.send_signal(2)
watch.wait(timeout=30)
reader.join(timeout=5)
for i in range(10):
    try:
        os.unlink("/tmp/shrike-latency-probe-%d" % i)
    except FileNotFoundError:
        pass
latencies.sort()
def pct(p):
    return round(latencies[min(len(latencies) - 1, int(len(latencies) * p))], 3) if latencies else None
print(json.dumps({"alerts": len(latencies), "probes": probes, "p50_ms": pct(0.50), "p99_ms": pct(0.99),
                  "max_ms": round(latencies[-1], 3) if latencies else None}))

#!/usr/bin/env python3
"""The console's figures against a running `shrike server` whose store already holds the alerts (bench-store filled
it): fills INCIDENTS incidents plus one of 100,000 events, then measures, in real headless chromium where a browser is
what the goal names:
  - time to first byte of the feed page (HTTP, signed in) and time to the rendered feed in the browser (navigation
    timing: loadEventEnd), p50/p95 over repeated loads, alternating the unfiltered feed and a rule filter;
  - the 100,000-event incident page rendered in the browser;
  - the live feed at 1,000 alerts/s for LIVE_SECONDS: every alert reaches the page, and the lag of the last one;
  - server RSS with 50 live-feed subscribers (event streams, as 50 browsers hold them) during that ingest.
Prints one JSON object. Run with .venv-selenium's python by bench/server_bench.sh.

Arguments: URL VIEWER_TOKEN AGENT_TOKEN SERVER_PID [INCIDENTS] [LIVE_SECONDS]
"""
import http.client
import json
import os
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "ShrikeServerTests",
                                "Support"))
from console_driver import Browser  # noqa: E402

url, viewer, agent, server_pid = sys.argv[1:5]
incidents = int(sys.argv[5]) if len(sys.argv) > 5 else 10000
live_seconds = int(sys.argv[6]) if len(sys.argv) > 6 else 10
parsed = urllib.parse.urlparse(url)
seq = [10_000_000]


def rfc3339(ns):
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ns // 1_000_000_000)) + ".%09dZ" % (ns % 1_000_000_000)


def ingest(records):
    batch = {"agent": {"hostname": "bench-node", "version": "0.9.0"}, "records": []}
    for kind, body in records:
        seq[0] += 1
        batch["records"].append({"seq": seq[0], "kind": kind, "body": body})
    request = urllib.request.Request(url + "/api/v1/ingest", data=json.dumps(batch).encode(), method="POST",
                                     headers={"Authorization": "Bearer " + agent, "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as answer:
        if answer.status != 200:
            raise SystemExit("ingest answered %d" % answer.status)


def incident_id(n):
    return "inc-20261207-%06d-%06x" % (n % 240000, n)


def incident(n, opened, events, entries):
    rule = "Bench rule %d" % (n % 40)
    start = opened - 10_000_000_000
    return {
        "schemaVersion": 1,
        "incident": {"id": incident_id(n), "scope": {"kind": "process-tree", "container": "host", "rootPID": 100,
                                                       "rootCommand": "bash"},
                     "scopeDescription": "process tree of 100 (bash)", "openedAt": rfc3339(opened),
                     "closedAt": rfc3339(opened + 1_000_000_000), "start": rfc3339(start),
                     "end": rfc3339(opened + 2_000_000_000), "firstRule": rule, "priority": "Warning",
                     "alertCount": 1, "eventCount": events, "droppedEvents": 0, "hostname": "bench-node",
                     "closedEarly": False},
        "processes": [{"pid": 100 + p, "ppid": 100, "name": "worker", "exe": "/usr/bin/worker",
                       "commandLine": "worker --task %d" % p, "uid": 0, "alerted": p == 0, "children": [],
                       "eventCount": events // max(1, min(entries, 200))} for p in range(min(entries, 200))],
        "roots": [100],
        "files": {"created": [{"time": rfc3339(start + i * 1_000_000), "path": "/tmp/bench/%d" % i, "pid": 100,
                               "process": "worker", "syscall": "openat", "failed": False} for i in range(min(entries, 500))],
                  "modified": [], "deleted": [], "renamed": [], "permissionsChanged": [], "sensitiveReads": []},
        "network": {"connections": [], "listeners": [], "peers": []},
        "alerts": [{"time": rfc3339(opened), "rule": rule, "priority": "Warning", "pid": 100, "process": "worker",
                    "tags": ["bench"], "count": 1}],
        "entries": [{"time": rfc3339(start + i * (12_000_000_000 // max(entries, 1))), "lane": "file",
                     "kind": "created", "pid": 100 + i % 200, "process": "worker", "depth": 1,
                     "summary": "/tmp/bench/%d" % i, "syscall": "openat", "failed": False} for i in range(entries)],
        "entriesOmitted": max(0, events - entries),
    }


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def rss_kib(pid):
    with open("/proc/%s/status" % pid) as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


now = time.time_ns()
# 10,000 small incidents (batches of 500), then one of 100,000 events whose timeline holds the 20,000 entries an
# agent keeps at most (TimelineBuilder.entryLimit).
for first in range(0, incidents, 500):
    ingest([("incident", incident(n, now - (incidents - n) * 1_000_000_000, 28, 3))
            for n in range(first, min(incidents, first + 500))])
big = incidents + 1
ingest([("incident", incident(big, now, 100_000, 20_000))])

# A session cookie for the HTTP measurements.
connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
connection.request("POST", "/login", body=urllib.parse.urlencode({"token": viewer}),
                   headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": url})
answer = connection.getresponse()
answer.read()
cookie = answer.getheader("Set-Cookie", "").split(";")[0]
if not cookie:
    raise SystemExit("signing in gave no cookie (status %d)" % answer.status)
connection.close()

pages = ["/?span=all", "/?span=all&rule=" + urllib.parse.quote("Rule 7")]
ttfb = []
for i in range(40):
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)
    started = time.perf_counter()
    connection.request("GET", pages[i % 2], headers={"Cookie": cookie})
    answer = connection.getresponse()
    answer.read(1)
    ttfb.append((time.perf_counter() - started) * 1000)
    answer.read()
    connection.close()

browser = Browser("/tmp")
driver = browser.driver
try:
    browser.sign_in(url, viewer)
    rendered, browser_ttfb = [], []
    for i in range(30):
        driver.get(url + pages[i % 2])
        timing = driver.execute_script("var n = performance.getEntriesByType('navigation')[0];"
                                       "return [n.responseStart - n.requestStart, n.loadEventEnd - n.startTime];")
        browser_ttfb.append(timing[0])
        rendered.append(timing[1])
    incident_ms = []
    for _ in range(5):
        driver.get(url + "/incidents/" + incident_id(big))
        incident_ms.append(driver.execute_script(
            "var n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime;"))
    incident_rows = len(driver.find_elements("css selector", "table.entries tr"))

    # Live: the feed page counts every row the stream adds (the table keeps 500; the count is of all).
    driver.get(url + "/?span=all")
    browser.wait(lambda: driver.execute_script("return document.getElementById('live') !== null"), 5, "no live feed")
    driver.execute_script("""
        window.__added = 0; window.__last = '';
        new MutationObserver(function (records) {
          records.forEach(function (r) { r.addedNodes.forEach(function (n) {
            if (n.nodeName === 'TR') { window.__added++; window.__last = n.getAttribute('data-id'); } }); });
        }).observe(document.querySelector('#alerts tbody'), { childList: true });""")
    time.sleep(1)

    # 50 more subscribers, each reading its stream to the end, as 50 open browsers would.
    received = [0] * 50
    stop = threading.Event()

    def subscriber(index):
        stream = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=live_seconds + 30)
        stream.request("GET", "/console/events/stream?span=all", headers={"Cookie": cookie})
        reply = stream.getresponse()
        while not stop.is_set():
            line = reply.fp.readline()
            if not line:
                break
            if line.startswith(b"event: alert"):
                received[index] += 1
        stream.close()

    threads = [threading.Thread(target=subscriber, args=(i,), daemon=True) for i in range(50)]
    for thread in threads:
        thread.start()
    time.sleep(2)
    rss_before = rss_kib(server_pid)
    rss_peak = rss_before
    sent = 0
    started = time.monotonic()
    for tick in range(live_seconds * 10):
        body = []
        for _ in range(100):
            sent += 1
            body.append(("alert", {"time": rfc3339(time.time_ns()), "rule": "Live rule", "priority": "Warning",
                                   "source": "syscall", "hostname": "bench-node", "tags": ["bench"],
                                   "output": "live %d" % sent, "output_fields": {"proc.cmdline": "sh -c id"}}))
        ingest(body)
        rss_peak = max(rss_peak, rss_kib(server_pid))
        pause = started + (tick + 1) / 10 - time.monotonic()
        if pause > 0:
            time.sleep(pause)
    sent_seconds = time.monotonic() - started
    last_id = "bench-node/%d" % seq[0]
    finished = time.monotonic()
    deadline = finished + 30
    while time.monotonic() < deadline and driver.execute_script("return window.__last") != last_id:
        time.sleep(0.02)
    lag = time.monotonic() - finished
    page_rows = driver.execute_script("return window.__added")
    time.sleep(1)
    stop.set()
    print(json.dumps({
        "feedTTFBp50": statistics.median(ttfb), "feedTTFBp95": percentile(ttfb, 0.95),
        "browserTTFBp95": percentile(browser_ttfb, 0.95),
        "feedRenderedP50": statistics.median(rendered), "feedRenderedP95": percentile(rendered, 0.95),
        "incidentRenderedP50": statistics.median(incident_ms), "incidentRenderedMax": max(incident_ms),
        "incidentRows": incident_rows,
        "liveSent": sent, "liveRate": sent / sent_seconds, "livePageRows": page_rows, "liveLastLagSeconds": lag,
        "subscribersMinReceived": min(received), "rssBeforeMiB": rss_before / 1024, "rssPeakMiB": rss_peak / 1024,
    }))
finally:
    driver.quit()

#!/usr/bin/env python3
"""Benchmark the distribution feeds at their real size (issue 13), next to the Alpine figures of vulndb.py.

    osfeeds.py --shrike BIN --out DIR [--runs N] [--timeout S]

Reads the vendors' own data from ../shared/data/os (skips, saying so, where it is absent):
1. Import: `shrike db import` of each feed into a fresh database (median wall time, database size): the whole Ubuntu
   CVE Tracker (.tar.gz), the whole AlmaLinux OSV export (.tar.gz), Microsoft's OVAL for Azure Linux 3.0 and
   CBL-Mariner 1.0, Wolfi's advisories (.tar.gz), and the Alpine secdb the repository bundles for comparison.
2. Scan of an Ubuntu-sized package set: a generated root file system whose dpkg status holds one package for every
   source package the tracker names for bionic (at version 0.1-1, so every open or fixed CVE matches), scanned against
   the tracker database; lookups per second = packages / (scan − sbom on the same directory).
Prints a markdown section (also written to OUT/osfeeds-results.md). Exit 1 when a run failed.
"""
import argparse, os, re, statistics, sys, tarfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from measure import RunFailed, fmt_mib, fmt_seconds, run_once  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(REPO), "shared", "data", "os")
FEEDS = [
    ("Ubuntu CVE Tracker (2020-06-18, whole tree)", os.path.join(SHARED, "ubuntu-cve-tracker-20200618.tar.gz")),
    ("AlmaLinux OSV (2026-08-21, whole export)", os.path.join(SHARED, "almalinux-osv-20260821.tar.gz")),
    ("Azure Linux 3.0 OVAL", os.path.join(SHARED, "azurelinux-oval/azurelinux-3.0-oval.xml")),
    ("CBL-Mariner 1.0 OVAL", os.path.join(SHARED, "azurelinux-oval/cbl-mariner-1.0-oval.xml")),
    ("Wolfi advisories (2026-01-07)", os.path.join(SHARED, "wolfi-advisories-20260107.tar.gz")),
    ("Alpine secdb v3.8–v3.10 (bundled)", os.path.join(REPO, "Tests/ShrikeVulnDBTests/Fixtures/alpine-secdb")),
]


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def bionic_sources(tracker):
    names = set()
    with tarfile.open(tracker) as tar:
        for member in tar:
            if not member.isfile() or "/CVE-" not in "/" + member.name:
                continue
            for line in tar.extractfile(member).read().decode("utf-8", "replace").splitlines():
                m = re.match(r"^bionic_([^:\s]+):\s*(\S+)", line)
                if m and m.group(2) not in ("DNE", "not-affected"):
                    names.add(m.group(1))
    return sorted(names)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shrike", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--timeout", type=int, default=900)
    args = ap.parse_args()
    work = os.path.join(args.out, "osfeeds")
    os.makedirs(work, exist_ok=True)
    env = dict(os.environ, NO_COLOR="1")
    failures = []
    out = ["## Distribution feeds at their real size (import, database size, Ubuntu-sized scan)", "",
           "| feed | import s (median) | database size | result |", "|---|---:|---:|---|"]
    if not os.path.isdir(SHARED):
        out += [f"| (skipped: {SHARED} is absent) | | | |"]
    tracker_db = None
    for label, path in FEEDS:
        if not os.path.exists(path):
            out.append(f"| {label} | skipped: {path} absent | | |")
            continue
        db = os.path.join(work, re.sub(r"[^a-z0-9]+", "-", label.lower()) + ".sqlite")
        walls = []
        for i in range(args.runs):
            if os.path.exists(db):
                os.remove(db)
            try:
                wall, _ = run_once([args.shrike, "db", "import", "--db", db, path], db + ".out", db + ".stderr", env,
                                   args.timeout)
            except RunFailed as e:
                failures.append(f"{label}: {e}")
                break
            walls.append(wall)
            log(f"bench: import {label} run {i + 1}/{args.runs}: {wall:.2f} s")
        lines = open(db + ".out").read().strip().splitlines() if os.path.exists(db + ".out") else []
        size = os.path.getsize(db) if os.path.exists(db) else 0
        out.append(f"| {label} | {fmt_seconds(statistics.median(walls)) if walls else '—'} | {size / 1048576:.1f} MiB | "
                   f"{lines[-1] if lines else ''} |")
        if path.endswith("ubuntu-cve-tracker-20200618.tar.gz") and walls:
            tracker_db = db
    out.append("")
    if tracker_db:
        names = bionic_sources(FEEDS[0][1])
        root = os.path.join(work, "bionic-root")
        os.makedirs(os.path.join(root, "var/lib/dpkg"), exist_ok=True)
        os.makedirs(os.path.join(root, "etc"), exist_ok=True)
        with open(os.path.join(root, "etc/os-release"), "w") as f:
            f.write('NAME="Ubuntu"\nVERSION_ID="18.04"\nID=ubuntu\nVERSION_CODENAME=bionic\n')
        with open(os.path.join(root, "var/lib/dpkg/status"), "w") as f:
            for name in names:
                f.write(f"Package: {name}\nStatus: install ok installed\nArchitecture: amd64\nVersion: 0.1-1\n\n")
        sbom, scan = [], []
        for i in range(args.runs):
            for cmd, into in ((["sbom", f"dir:{root}", "-o", "json"], sbom),
                              (["scan", f"dir:{root}", "--db", tracker_db, "-o", "json"], scan)):
                try:
                    wall, kib = run_once([args.shrike] + cmd, os.path.join(work, cmd[0] + ".out"),
                                         os.path.join(work, cmd[0] + ".stderr"), env, args.timeout)
                    into.append((wall, kib))
                except RunFailed as e:
                    failures.append(f"bionic {cmd[0]}: {e}")
        if sbom and scan:
            s = statistics.median(w for w, _ in sbom)
            t = statistics.median(w for w, _ in scan)
            import json
            matches = len(json.load(open(os.path.join(work, "scan.out")))["matches"])
            out += ["| Ubuntu 18.04 package set | packages | `sbom` s | `scan` s | lookups per second | matches | scan peak RSS |",
                    "|---|---:|---:|---:|---:|---:|---:|",
                    f"| one package per bionic source package in the tracker, all below every fix | {len(names):,} | "
                    f"{fmt_seconds(s)} | {fmt_seconds(t)} | {len(names) / max(t - s, 1e-6):,.0f} | {matches:,} | "
                    f"{fmt_mib(max(k for _, k in scan))} |", ""]
    if failures:
        out += ["### Failures", ""] + [f"- {f}" for f in failures]
    text = "\n".join(out) + "\n"
    with open(os.path.join(args.out, "osfeeds-results.md"), "w") as f:
        f.write(text)
    sys.stdout.write(text)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

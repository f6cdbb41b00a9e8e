#!/usr/bin/env python3
"""Time `shrike sbom` and `syft` on the same docker-archives, compare their OS package sets, write a markdown table.

Each tool runs --runs times per input, alternating shrike and syft so drift (thermal, page cache) hits both alike.
Wall time is measured around the process with a monotonic clock (finer than /usr/bin/time's 10 ms %e); peak RSS is
GNU time's %M (KiB) for the process. The table shows the median wall time and the largest peak RSS of the runs.

Packages are compared as sets of (name, version): shrike's `packages[]` and syft's `artifacts[]`, both restricted to
the OS package types (apk, deb, rpm) so language packages (which the tools catalog differently) don't count.
"""
import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time

OS_TYPES = {"apk", "deb", "rpm"}
TIME = "/usr/bin/time"


class RunFailed(Exception):
    pass


def run_once(cmd, stdout_path, stderr_path, env, timeout):
    """Run cmd under GNU time; returns (wall seconds, peak RSS KiB). Kills the whole process group on timeout."""
    time_path = stderr_path + ".time"
    full = [TIME, "-f", "%e %M", "-o", time_path] + cmd
    with open(stdout_path, "wb") as out, open(stderr_path, "wb") as err:
        start = time.monotonic()
        proc = subprocess.Popen(full, stdout=out, stderr=err, env=env, start_new_session=True)
        try:
            rc = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise RunFailed(f"timed out after {timeout} s: {' '.join(cmd)}")
        wall = time.monotonic() - start
    if rc != 0:
        with open(stderr_path, "rb") as f:
            tail = f.read().decode(errors="replace").strip().splitlines()[-5:]
        raise RunFailed(f"exit {rc}: {' '.join(cmd)}\n    " + "\n    ".join(tail or ["(no stderr)"]))
    with open(time_path) as f:
        # GNU time appends its line after any "Command exited/terminated" notes; the last line is ours.
        _elapsed, rss_kib = f.read().strip().splitlines()[-1].split()
    os.remove(time_path)
    return wall, int(rss_kib)


def package_set(path, key):
    """(name, version) pairs of OS-type packages from a shrike (`packages`) or syft (`artifacts`) JSON document."""
    try:
        with open(path) as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        raise RunFailed(f"cannot read JSON from {path}: {e}")
    items = doc.get(key)
    if not isinstance(items, list):
        raise RunFailed(f"{path} has no `{key}` list; is this the right output format?")
    return {(p.get("name", ""), p.get("version", "")) for p in items
            if isinstance(p, dict) and p.get("type", "") in OS_TYPES}


def warm_cache(path):
    with open(path, "rb") as f:
        while f.read(1 << 22):
            pass


def fmt_seconds(s):
    return "—" if s is None else (f"{s:.3f}" if s < 10 else f"{s:.1f}")


def fmt_mib(kib):
    return "—" if kib is None else f"{kib / 1024:.0f}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shrike", required=True)
    ap.add_argument("--syft", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--timeout", type=int, default=900, help="seconds allowed for one tool run")
    ap.add_argument("--out", required=True, help="directory for tool outputs and results.md")
    ap.add_argument("--wrap", default="", help="command prefix for both tools, e.g. 'unshare -n' (no network)")
    ap.add_argument("--header", default="", help="markdown text put above the table")
    ap.add_argument("inputs", nargs="+", help="NAME=PATH of a docker-archive")
    args = ap.parse_args()
    if args.runs < 1:
        sys.exit("bench: --runs must be at least 1")

    wrap = args.wrap.split()
    env = dict(os.environ)
    env.update(SYFT_CHECK_FOR_APP_UPDATE="false", SYFT_CACHE_DIR=os.path.join(args.out, "syft-cache"))
    rows, diffs, failures = [], [], []

    for spec in args.inputs:
        name, _, path = spec.partition("=")
        warm_cache(path)
        tools = {
            "shrike": (wrap + [args.shrike, "sbom", f"docker-archive:{path}", "-o", "json"], "packages"),
            "syft": (wrap + [args.syft, f"docker-archive:{path}", "-o", "syft-json"], "artifacts"),
        }
        walls = {t: [] for t in tools}
        rss = {t: [] for t in tools}
        broken = {}
        for i in range(args.runs):
            for tool, (cmd, _) in tools.items():
                if tool in broken:
                    continue
                base = os.path.join(args.out, f"{name}.{tool}")
                try:
                    wall, kib = run_once(cmd, base + ".json", base + ".stderr", env, args.timeout)
                except RunFailed as e:
                    broken[tool] = str(e)
                    failures.append(f"{name}: {tool} {e}")
                    print(f"bench: {name}: {tool} failed: {e}", file=sys.stderr, flush=True)
                    continue
                walls[tool].append(wall)
                rss[tool].append(kib)
                print(f"bench: {name}: {tool} run {i + 1}/{args.runs}: {wall:.3f} s, {kib / 1024:.0f} MiB",
                      file=sys.stderr, flush=True)

        med = {t: statistics.median(walls[t]) if walls[t] else None for t in tools}
        peak = {t: max(rss[t]) if rss[t] else None for t in tools}
        ratio = f"{med['syft'] / med['shrike']:.1f}×" if med["shrike"] and med["syft"] else "—"
        sets = {}
        for tool, (_, key) in tools.items():
            if tool not in broken:
                try:
                    sets[tool] = package_set(os.path.join(args.out, f"{name}.{tool}.json"), key)
                except RunFailed as e:
                    failures.append(f"{name}: {tool} {e}")
        if len(sets) == 2:
            only_shrike = sorted(sets["shrike"] - sets["syft"])
            only_syft = sorted(sets["syft"] - sets["shrike"])
            if only_shrike or only_syft:
                same = f"no (shrike {len(sets['shrike'])}, syft {len(sets['syft'])})"
                lines = [f"- only shrike: {n} {v}" for n, v in only_shrike]
                lines += [f"- only syft: {n} {v}" for n, v in only_syft]
                diffs.append((name, lines))
            else:
                same = f"yes ({len(sets['shrike'])})"
        else:
            same = "— (a tool failed)"
        rows.append([name, fmt_seconds(med["shrike"]), fmt_seconds(med["syft"]), ratio,
                     fmt_mib(peak["shrike"]), fmt_mib(peak["syft"]), same])

    out = []
    if args.header:
        out += [args.header.rstrip(), ""]
    head = ["input", "shrike s", "syft s", "ratio (syft/shrike)", "shrike peak RSS MiB", "syft peak RSS MiB",
            "same packages?"]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "|".join(["---"] + ["---:"] * 5 + ["---"]) + "|")
    out += ["| " + " | ".join(r) + " |" for r in rows]
    out.append("")
    out.append(f"Median wall time of {args.runs} run(s); peak RSS is the largest of the runs. "
               "Packages compared: (name, version) of apk/deb/rpm packages.")
    for name, lines in diffs:
        out += ["", f"### {name}: package differences ({len(lines)})", ""]
        out += lines[:500] + ([f"- … {len(lines) - 500} more"] if len(lines) > 500 else [])
    if failures:
        out += ["", "### Failures", ""] + [f"- {f}" for f in failures]
    text = "\n".join(out) + "\n"
    with open(os.path.join(args.out, "results.md"), "w") as f:
        f.write(text)
    sys.stdout.write(text)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

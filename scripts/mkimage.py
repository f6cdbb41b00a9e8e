#!/usr/bin/env python3
"""Turn root-filesystem tarballs into a docker-archive (the classic `docker save` layout), one layer per tarball.

Used by `make demo` so the demo runs on a real Alpine minirootfs without a container engine. Standard library only;
the archive writer is bench/dockerarchive.py's.
"""
import argparse, gzip, os, shutil, sys, tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench"))
from dockerarchive import write_docker_archive  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rootfs", required=True, action="append", help="layer tarball (.tar or .tar.gz), base first; repeatable")
    ap.add_argument("--tag", default="image:latest")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    newest = max(os.path.getmtime(p) for p in args.rootfs)
    if os.path.exists(args.out) and os.path.getmtime(args.out) >= newest:
        return
    with tempfile.TemporaryDirectory() as tmp:
        layers = []
        for i, path in enumerate(args.rootfs):
            layer = os.path.join(tmp, f"layer{i}.tar")
            with open(path, "rb") as f:
                opener = gzip.open if f.read(2) == b"\x1f\x8b" else open
            with opener(path, "rb") as src, open(layer, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            layers.append(layer)
        write_docker_archive(args.out, layers, args.tag, history=[f"ADD {os.path.basename(p)} /" for p in args.rootfs])


if __name__ == "__main__":
    main()

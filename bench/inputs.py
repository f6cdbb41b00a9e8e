#!/usr/bin/env python3
"""Generate the benchmark inputs (docker-archives) into an output directory, skipping any that already exist.

    alpine     the Alpine 3.20.3 minirootfs as a one-layer image
    debian     a `debootstrap --variant=minbase bookworm` rootfs as a one-layer image (the rootfs tarball is cached)
    generated  five layers: the Alpine rootfs, then four layers of 12,500 generated entries each (directories aside):
               small files, symlinks, hard links, a few Python/npm manifests, overwrites, and in layer 5 whiteouts
               of 1,000 files, one whole directory, and an opaque directory

Everything except the Debian rootfs (which follows the live bookworm archive) is byte-for-byte reproducible.
Prints one line per input: name, path, and the seconds spent generating it ("cached" when it was already there).
"""
import argparse
import gzip
import os
import random
import shutil
import subprocess
import sys
import tarfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dockerarchive import write_docker_archive  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ALPINE_NAME = "alpine-minirootfs-3.20.3-x86_64.tar.gz"
ALPINE_CANDIDATES = [
    os.path.join(REPO, "Tests/ShrikeCatalogTests/Fixtures/rootfs", ALPINE_NAME),
    os.path.join("/work/shared/data/rootfs", ALPINE_NAME),  # fallback until the fixture lands in the repo
]
DEBIAN_MIRROR = "http://deb.debian.org/debian"
DEBOOTSTRAP_TIMEOUT = 1800
LAYER_ENTRIES = 12_500
GEN_SEED = 20241129


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def alpine_source():
    for n, path in enumerate(ALPINE_CANDIDATES):
        if os.path.isfile(path):
            if n:
                log(f"bench: the repo's Alpine fixture is missing; using {path}")
            return path
    sys.exit("bench: Alpine minirootfs not found; looked in:\n  " + "\n  ".join(ALPINE_CANDIDATES))


def alpine_layer(out):
    """The minirootfs, decompressed: the layer tar for both the alpine and the generated image."""
    path = os.path.join(out, "alpine-3.20.3-rootfs.tar")
    if not os.path.exists(path):
        with gzip.open(alpine_source(), "rb") as src, open(path + ".tmp", "wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 20)
        os.replace(path + ".tmp", path)
    return path


def make_alpine(out, dest):
    write_docker_archive(dest, [alpine_layer(out)], "alpine:3.20.3",
                         history=[f"ADD {ALPINE_NAME} /"])


def debian_rootfs_tar(out):
    """Run debootstrap once and keep the rootfs as a tarball; later runs reuse the tarball."""
    tar_path = os.path.join(out, "debian-bookworm-minbase-rootfs.tar")
    if os.path.exists(tar_path):
        return tar_path
    if shutil.which("debootstrap") is None:
        sys.exit("bench: debootstrap is missing; install it with `apt-get install debootstrap`")
    root = os.path.join(out, "debian-bookworm-rootfs.tmp")
    if os.path.exists(root):
        shutil.rmtree(root)
    log(f"bench: debootstrap --variant=minbase bookworm (from {DEBIAN_MIRROR}; takes a minute or so)")
    try:
        subprocess.run(["debootstrap", "--variant=minbase", "bookworm", root, DEBIAN_MIRROR],
                       check=True, stdout=subprocess.DEVNULL, timeout=DEBOOTSTRAP_TIMEOUT)
    except subprocess.TimeoutExpired:
        sys.exit(f"bench: debootstrap did not finish in {DEBOOTSTRAP_TIMEOUT} s; is {DEBIAN_MIRROR} reachable?")
    except subprocess.CalledProcessError as e:
        sys.exit(f"bench: debootstrap failed (exit {e.returncode}); see {root}/debootstrap/debootstrap.log")
    # Like a real image: numeric owners, no device nodes or pseudo file systems, stable order.
    # GNU tar exits 1 for "file changed as we read it" and similar warnings; only 2 is fatal.
    cmd = ["tar", "--numeric-owner", "--sort=name", "--exclude=./dev/*", "--exclude=./proc/*",
           "--exclude=./sys/*", "--exclude=./run/*", "-C", root, "-cf", tar_path + ".tmp", "."]
    rc = subprocess.run(cmd).returncode
    if rc not in (0, 1):
        sys.exit(f"bench: packing the Debian rootfs failed (tar exit {rc}); command: {' '.join(cmd)}")
    os.replace(tar_path + ".tmp", tar_path)
    shutil.rmtree(root, ignore_errors=True)
    return tar_path


def make_debian(out, dest):
    write_docker_archive(dest, [debian_rootfs_tar(out)], "debian:bookworm-minbase",
                         history=["debootstrap --variant=minbase bookworm /"], cmd=("bash",))


class LayerWriter:
    """Adds entries to one layer tar with fixed metadata, creating parent directories as a real layer would."""

    def __init__(self, path):
        self.tar = tarfile.open(path, "w", format=tarfile.PAX_FORMAT)
        self.dirs = set()
        self.count = 0  # non-directory entries

    def _info(self, name, kind, mode):
        info = tarfile.TarInfo(name)
        info.type = kind
        info.mode = mode
        info.mtime = 1_700_000_000
        return info

    def dir(self, name):
        parts = name.strip("/").split("/")
        for i in range(1, len(parts) + 1):
            d = "/".join(parts[:i])
            if d not in self.dirs:
                self.dirs.add(d)
                self.tar.addfile(self._info(d + "/", tarfile.DIRTYPE, 0o755))

    def file(self, name, data, mode=0o644):
        self.dir(os.path.dirname(name))
        info = self._info(name, tarfile.REGTYPE, mode)
        info.size = len(data)
        self.tar.addfile(info, _BytesReader(data))
        self.count += 1

    def symlink(self, name, target):
        self.dir(os.path.dirname(name))
        info = self._info(name, tarfile.SYMTYPE, 0o777)
        info.linkname = target
        self.tar.addfile(info)
        self.count += 1

    def hardlink(self, name, target):
        self.dir(os.path.dirname(name))
        info = self._info(name, tarfile.LNKTYPE, 0o644)
        info.linkname = target
        self.tar.addfile(info)
        self.count += 1

    def whiteout(self, path):
        """Delete `path` (file or directory) from lower layers."""
        parent, base = os.path.split(path)
        self.file(os.path.join(parent, ".wh." + base), b"")

    def opaque(self, directory):
        """Hide everything lower layers put in `directory`."""
        self.file(os.path.join(directory, ".wh..wh..opq"), b"")

    def close(self):
        self.tar.close()


class _BytesReader:
    """A minimal file object over bytes (tarfile only calls read)."""

    def __init__(self, data):
        self.data, self.pos = data, 0

    def read(self, n=-1):
        end = len(self.data) if n is None or n < 0 else self.pos + n
        chunk = self.data[self.pos:end]
        self.pos += len(chunk)
        return chunk


EXTENSIONS = [".txt", ".conf", ".py", ".js", ".html", ".css", ".json", ".md", ".so", ".dat"]


def _size(rng):
    r = rng.random()
    if r < 0.10:
        return 0
    if r < 0.85:
        return rng.randint(16, 4096)
    if r < 0.99:
        return rng.randint(4096, 32768)
    return rng.randint(32768, 131072)


def _python_dist(layer, n):
    """A site-packages .dist-info, as pip leaves it (a language package both tools may catalog)."""
    name, version = f"benchpkg{n:03d}", f"1.{n % 10}.{n}"
    base = f"usr/lib/python3.12/site-packages/{name}-{version}.dist-info"
    layer.file(f"{base}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
                                   f"License: MIT\nSummary: generated for the Shrike benchmark\n".encode())
    layer.file(f"{base}/RECORD", f"{name}/__init__.py,,\n".encode())
    layer.file(f"usr/lib/python3.12/site-packages/{name}/__init__.py", b"")
    return 3


def _npm_package(layer, n):
    name, version = f"bench-mod-{n:03d}", f"2.{n % 7}.{n}"
    layer.file(f"app/node_modules/{name}/package.json",
               f'{{"name": "{name}", "version": "{version}", "license": "ISC"}}\n'.encode())
    layer.file(f"app/node_modules/{name}/index.js", b"module.exports = {};\n")
    return 2


def generated_layer(out, index, rng, lower):
    """Write generated layer `index` (2..5) with LAYER_ENTRIES non-directory entries; returns its path.

    `lower` lists the regular files earlier generated layers wrote (whiteout and overwrite targets); this layer's
    regular files are appended to it.
    """
    path = os.path.join(out, f"generated-layer{index}.tar")
    layer = LayerWriter(path + ".tmp")
    root = f"usr/share/bench/l{index}"
    budget = LAYER_ENTRIES
    mine = []

    if index == 3:  # overwrite 500 files of layer 2 with new content
        for target in rng.sample(lower, 500):
            layer.file(target, rng.randbytes(_size(rng)))
        budget -= 500
    if index == 4:  # an application: Python and npm packages
        for n in range(40):
            budget -= _python_dist(layer, n)
        for n in range(40):
            budget -= _npm_package(layer, n)
    if index == 5:  # deletions: 1,000 single files, one whole directory, one opaque directory
        layer2 = [p for p in lower if p.startswith("usr/share/bench/l2/")]
        for target in rng.sample(layer2, 1000):
            layer.whiteout(target)
        layer.whiteout("usr/share/bench/l4/d007")
        layer.dir("usr/share/bench/l3/d011")
        layer.opaque("usr/share/bench/l3/d011")
        layer.file("usr/share/bench/l3/d011/replacement.txt", b"the opaque directory now holds only this\n")
        budget -= 1003

    n_dirs = 125
    for i in range(budget):
        d = f"{root}/d{i % n_dirs:03d}"
        if i % 10 == 9:  # some deeper nesting
            d += f"/sub{i % 3}/leaf"
        r = rng.random()
        name = f"{d}/f{i:05d}"
        if r < 0.05 and mine:
            layer.symlink(name + ".lnk", "/" + rng.choice(mine))
        elif r < 0.06 and mine:
            layer.hardlink(name + ".hl", rng.choice(mine))
        else:
            name += rng.choice(EXTENSIONS)
            mode = 0o755 if rng.random() < 0.05 else 0o644
            layer.file(name, rng.randbytes(_size(rng)), mode)
            mine.append(name)
    layer.close()
    if layer.count != LAYER_ENTRIES:
        sys.exit(f"bench: internal error: layer {index} has {layer.count} entries, not {LAYER_ENTRIES}")
    lower.extend(mine)
    os.replace(path + ".tmp", path)
    return path


def make_generated(out, dest):
    rng = random.Random(GEN_SEED)
    layers, lower = [alpine_layer(out)], []
    for index in range(2, 6):
        layers.append(generated_layer(out, index, rng, lower))
    history = [f"ADD {ALPINE_NAME} /"] + [f"RUN generate layer {i} ({LAYER_ENTRIES} entries)" for i in range(2, 6)]
    write_docker_archive(dest, layers, "bench/generated:50k", history=history)
    for p in layers[1:]:
        os.remove(p)


INPUTS = {
    "alpine": ("alpine-3.20.3.docker.tar", make_alpine),
    "debian": ("debian-bookworm-minbase.docker.tar", make_debian),
    "generated": ("generated-50k-5layers.docker.tar", make_generated),
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("names", nargs="*", default=list(INPUTS), help="inputs to make (default: all)")
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for name in args.names:
        if name not in INPUTS:
            sys.exit(f"bench: unknown input {name!r}; known: {', '.join(INPUTS)}")
        filename, make = INPUTS[name]
        dest = os.path.join(args.out, filename)
        if os.path.exists(dest):
            took = "cached"
        else:
            log(f"bench: generating {name} -> {dest}")
            start = time.monotonic()
            make(args.out, dest)
            took = f"{time.monotonic() - start:.1f}"
            log(f"bench: generated {name} in {took} s")
        print(f"{name}\t{dest}\t{took}", flush=True)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Turn a root-filesystem tarball into a single-layer docker-archive (the classic `docker save` layout).

Used by `make demo` so the demo runs on a real Alpine minirootfs without a container engine. Standard library only.
"""
import argparse, gzip, hashlib, io, json, os, tarfile


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rootfs", required=True, help="rootfs tarball (.tar or .tar.gz)")
    ap.add_argument("--tag", default="image:latest")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    if os.path.exists(args.out) and os.path.getmtime(args.out) >= os.path.getmtime(args.rootfs):
        return
    with open(args.rootfs, "rb") as f:
        data = f.read()
    layer = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    diff_id = "sha256:" + hashlib.sha256(layer).hexdigest()
    config = json.dumps({
        "architecture": "amd64", "os": "linux",
        "config": {"Cmd": ["/bin/sh"]},
        "rootfs": {"type": "layers", "diff_ids": [diff_id]},
        "history": [{"created_by": f"ADD {os.path.basename(args.rootfs)} /"}],
    }, separators=(",", ":")).encode()
    config_hex = hashlib.sha256(config).hexdigest()
    layer_dir = hashlib.sha256((diff_id + "layer").encode()).hexdigest()
    manifest = json.dumps([{"Config": f"{config_hex}.json", "RepoTags": [args.tag],
                            "Layers": [f"{layer_dir}/layer.tar"]}]).encode()
    tmp = args.out + ".tmp"
    with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:
        for name, blob in ((f"{layer_dir}/layer.tar", layer), (f"{config_hex}.json", config), ("manifest.json", manifest)):
            info = tarfile.TarInfo(name)
            info.size = len(blob)
            info.mtime = 0
            tar.addfile(info, io.BytesIO(blob))
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()

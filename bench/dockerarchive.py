"""Write a docker-archive in the classic `docker save` layout from uncompressed layer tarballs. Standard library only.

Layout written (what `docker save` produced before Docker 25, and what `podman save --format docker-archive` writes):

    manifest.json              [{"Config": "<config-hex>.json", "RepoTags": [tag], "Layers": ["<id>/layer.tar", ...]}]
    <config-hex>.json          image config; rootfs.diff_ids are the sha256 of each uncompressed layer.tar
    <id>/layer.tar             one directory per layer (also holding the legacy VERSION and json files)
    repositories               legacy {"name": {"tag": "<top layer id>"}}

Everything is deterministic (fixed mtimes, sorted keys), so the same layers always give the same archive bytes.
Layers are streamed from disk; nothing the size of a layer is held in memory.
"""
import hashlib
import io
import json
import os
import tarfile

_CHUNK = 1 << 20


def sha256_file(path):
    """Hex sha256 of a file, read in chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _add_bytes(tar, name, blob):
    info = tarfile.TarInfo(name)
    info.size = len(blob)
    info.mtime = 0
    info.mode = 0o644
    tar.addfile(info, io.BytesIO(blob))


def _add_dir(tar, name):
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE
    info.mtime = 0
    info.mode = 0o755
    tar.addfile(info)


def write_docker_archive(out, layers, tag, history=None, cmd=("/bin/sh",)):
    """Write `out` as a docker-archive holding one image made of `layers` (paths to uncompressed tars, base first).

    `history` is an optional list of `created_by` strings, one per layer. The archive is written to `out.tmp` and
    renamed into place, so a half-written file never looks finished.
    """
    diff_ids = ["sha256:" + sha256_file(p) for p in layers]
    history = history or [f"layer {i + 1}" for i in range(len(layers))]
    config = json.dumps({
        "architecture": "amd64",
        "os": "linux",
        "created": "2024-01-01T00:00:00Z",
        "config": {"Cmd": list(cmd), "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"]},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": [{"created": "2024-01-01T00:00:00Z", "created_by": h} for h in history],
    }, sort_keys=True, separators=(",", ":")).encode()
    config_hex = hashlib.sha256(config).hexdigest()

    # Legacy v1 layer ids: a chain, so equal layers under different parents get different ids (as Docker did).
    ids, parent = [], ""
    for diff_id in diff_ids:
        parent = hashlib.sha256((parent + " " + diff_id).encode()).hexdigest()
        ids.append(parent)

    repo, _, version = tag.rpartition(":")
    manifest = json.dumps([{"Config": f"{config_hex}.json", "RepoTags": [tag],
                            "Layers": [f"{i}/layer.tar" for i in ids]}], separators=(",", ":")).encode()
    repositories = json.dumps({repo or tag: {version or "latest": ids[-1]}}, separators=(",", ":")).encode()

    tmp = out + ".tmp"
    with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:
        for n, (layer_id, path) in enumerate(zip(ids, layers)):
            _add_dir(tar, layer_id + "/")
            _add_bytes(tar, f"{layer_id}/VERSION", b"1.0")
            legacy = {"id": layer_id, "created": "2024-01-01T00:00:00Z", "os": "linux"}
            if n:
                legacy["parent"] = ids[n - 1]
            _add_bytes(tar, f"{layer_id}/json", json.dumps(legacy, sort_keys=True).encode())
            info = tarfile.TarInfo(f"{layer_id}/layer.tar")
            info.size = os.path.getsize(path)
            info.mtime = 0
            info.mode = 0o644
            with open(path, "rb") as f:
                tar.addfile(info, f)
        _add_bytes(tar, f"{config_hex}.json", config)
        _add_bytes(tar, "manifest.json", manifest)
        _add_bytes(tar, "repositories", repositories)
    os.replace(tmp, out)
    return {"config": config_hex, "diff_ids": diff_ids}

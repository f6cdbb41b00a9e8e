#!/usr/bin/env python3
"""Writes the seed corpora in Fuzz/Corpus/<target>/ from the test fixtures and ../shared/data/os (see PROVENANCE.md).

Run from the repository root: python3 Fuzz/Corpus/make_seeds.py. Deterministic: the same inputs give the same bytes
(gzip and tar headers carry no time stamps), so re-running it changes nothing unless a fixture changed.
"""
import gzip
import io
import os
import re
import shutil
import sys
import tarfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(ROOT, "Tests/ShrikeVulnDBTests/Fixtures")
SHARED = os.path.join(os.path.dirname(ROOT), "shared/data/os")
CORPUS = os.path.join(ROOT, "Fuzz/Corpus")


def fixture(path):
    with open(os.path.join(FIXTURES, path), "rb") as f:
        return f.read()


def from_tar(archive, member):
    with tarfile.open(os.path.join(SHARED, archive)) as tar:
        f = tar.extractfile(member)
        if f is None:
            sys.exit(f"{archive} has no file {member}")
        return f.read()


def tracker_file(name):
    """A tracker file from an unpacked tracker (/tmp/osdata/ubuntu) if there is one, else from the snapshot."""
    unpacked = os.path.join("/tmp/osdata/ubuntu/active", name)
    if os.path.exists(unpacked):
        with open(unpacked, "rb") as f:
            return f.read()
    with tarfile.open(os.path.join(SHARED, "ubuntu-cve-tracker-20200618.tar.gz")) as tar:
        for member in tar:
            if member.name.endswith("/active/" + name):
                return tar.extractfile(member).read()
    sys.exit(f"no tracker file {name}")


def gz(data):
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb", mtime=0, filename="") as f:
        f.write(data)
    return out.getvalue()


def targz(entries):
    """entries: (name, bytes) for files, (name, None) for directories, (name, ("symlink", target)) for links."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, content in entries:
            info = tarfile.TarInfo(name)
            info.mtime = 0
            if content is None:
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
            elif isinstance(content, tuple):
                info.type, info.linkname = tarfile.SYMTYPE, content[1]
                tar.addfile(info)
            else:
                info.size, info.mode = len(content), 0o644
                tar.addfile(info, io.BytesIO(content))
    return gz(raw.getvalue())


def oval_subset(xml, pick=(0,)):
    """The definitions at the indices `pick` of an OVAL document, with the tests, objects and states they reference."""
    text = xml.decode()
    head = text[: text.index("<definitions>") + len("<definitions>")]
    every = re.findall(r"<definition\b.*?</definition>", text, re.S)
    # Long prose descriptions only make the seed bigger: cut to their first 200 characters.
    definitions = [re.sub(r"(<description>)(.{200}).*?(</description>)", r"\1\2\3", every[i], flags=re.S) for i in pick]
    ids, pending = [], [ref for d in definitions for ref in re.findall(r'test_ref="([^"]+)"', d)]
    while pending:
        ref = pending.pop(0)
        if ref in ids:
            continue
        ids.append(ref)
        element = element_with_id(text, ref)
        pending += re.findall(r'(?:object_ref|state_ref)="([^"]+)"', element)
        pending += re.findall(r'<[\w-]+:(?:object|state) (?:object|state)_ref="([^"]+)"', element)
    sections = []
    for section, kind in (("tests", "_test"), ("objects", "_object"), ("states", "_state")):
        items = [element_with_id(text, i) for i in ids if element_with_id(text, i).split()[0].endswith(kind)]
        sections.append(f"<{section}>\n" + "\n".join(items) + f"\n</{section}>")
    return (head + "\n" + "\n".join(definitions) + "\n</definitions>\n" + "\n".join(sections)
            + "\n</oval_definitions>\n").encode()


def element_with_id(text, ident):
    match = re.search(r'<([\w:-]+)\b[^>]*\bid="' + re.escape(ident) + r'"[^>]*?(?:/>|>.*?</\1>)', text, re.S)
    if not match:
        sys.exit(f"no element with id {ident}")
    return match.group(0)


def updateinfo_subset(xml, count=1):
    text = xml.decode()
    updates = re.findall(r"<update\b.*?</update>", text, re.S)[:count]
    return (text[: text.index("<updates>") + len("<updates>")] + "\n" + "\n".join(updates) + "\n</updates>\n").encode()


def secdb_yaml_subset(yaml, packages=3):
    """The header and the first `packages` entries of an Alpine secdb YAML file."""
    lines = yaml.decode().splitlines(keepends=True)
    starts = [i for i, line in enumerate(lines) if line.startswith("  - pkg:")]
    return "".join(lines[: starts[packages]]).encode()


UBUNTU_OSV = b"""{"id": "USN-6500-1", "summary": "openssl vulnerabilities", "modified": "2023-11-20T00:00:00Z",
 "upstream": ["CVE-2023-5678"], "related": ["CVE-2023-5678"],
 "severity": [{"type": "Ubuntu", "score": "medium"}],
 "affected": [{"package": {"ecosystem": "Ubuntu:22.04:LTS", "name": "openssl"},
               "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "3.0.2-0ubuntu1.12"}]}],
               "ecosystem_specific": {"binaries": [{"binary_name": "libssl3", "binary_version": "3.0.2-0ubuntu1.12"}]}},
              {"package": {"ecosystem": "Ubuntu:Pro:18.04:LTS", "name": "openssl"},
               "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.1.1-1ubuntu2.1~18.04.23+esm2"}]}]}]}
"""


def seeds():
    alma = "almalinux-osv-20260821.tar.gz"
    wolfi = "wolfi-advisories-20260107.tar.gz"
    mariner = open(os.path.join(SHARED, "azurelinux-oval/cbl-mariner-1.0-oval.xml"), "rb").read()
    azure = open(os.path.join(SHARED, "azurelinux-oval/azurelinux-3.0-oval.xml"), "rb").read()
    tracker = {name: tracker_file(name) for name in
               ("CVE-2012-4425", "CVE-2019-6109", "CVE-2011-1947", "CVE-2012-0880")}
    return {
        "fuzz-osv": {
            "go-GO-2020-0001.json": fixture("osv-go/GO-2020-0001.json"),
            "rust-RUSTSEC-2023-0090.json": fixture("osv-rust/RUSTSEC-2023-0090.json"),
            "rust-RUSTSEC-2026-0223.json": fixture("osv-rust/RUSTSEC-2026-0223.json"),
            "alma-ALSA-2023-0103.json": from_tar(alma, "./advisories/almalinux8/ALSA-2023:0103.json"),
            "alma-ALSA-2025-10195.json": from_tar(alma, "./advisories/almalinux10/ALSA-2025:10195.json"),
            "ubuntu-USN-6500-1.json": UBUNTU_OSV,
            "alpine-feed-v3.99-main.json": fixture("alpine-feed/v3.99-main.json"),
            "wolfi-secdb.json": fixture("wolfi-secdb/security.json"),
            "chainguard-secdb.json": fixture("chainguard-secdb/security.json"),
            "debian-tracker.json": fixture("debian-tracker/debian.json"),
            "broken-GO-BROKEN-2.json": fixture("osv-broken/GO-BROKEN-2.json"),
        },
        "fuzz-advisory-yaml": {
            "pypi-PYSEC-2019-179.yaml": fixture("osv-pypi/vulns/flask/PYSEC-2019-179.yaml"),
            "pypi-PYSEC-WITHDRAWN-1.yaml": fixture("osv-broken/PYSEC-WITHDRAWN-1.yaml"),
            "alpine-secdb-v3.9-main.yaml": secdb_yaml_subset(fixture("alpine-secdb/v3.9/main.yaml")),
            "wolfi-convco.advisories.yaml": from_tar(wolfi, "./convco.advisories.yaml"),
            "wolfi-bluez.advisories.yaml": from_tar(wolfi, "./bluez.advisories.yaml"),
        },
        "fuzz-xml": {
            "oval-cbl-mariner-1.0.xml": oval_subset(mariner),
            "oval-azurelinux-3.0.xml": oval_subset(azure),
            "oval-oracle-elsa.xml": oval_subset(fixture("oval/oracle-elsa.xml")),
            "oval-redhat-module.xml": oval_subset(fixture("oval/redhat-shapes.xml"), pick=(1,)),
            "oval-redhat-unpatched.xml": oval_subset(fixture("oval/redhat-shapes.xml"), pick=(2,)),
            "oval-suse.xml": oval_subset(fixture("oval/suse-oval.xml")),
            "updateinfo-al1.xml": fixture("amazon-updateinfo/al1-updateinfo.xml"),
            "updateinfo-al2023.xml": updateinfo_subset(fixture("amazon-updateinfo/al2023-updateinfo.xml"), 1),
        },
        "fuzz-xml-gz": {
            "updateinfo-al2.xml.gz": fixture("amazon-updateinfo/al2-updateinfo.xml.gz"),
            "updateinfo-al1.xml.gz": gz(fixture("amazon-updateinfo/al1-updateinfo.xml")),
            "oval-cbl-mariner-1.0.xml.gz": gz(oval_subset(mariner)),
        },
        "fuzz-ubuntu-tracker": dict(tracker),
        "fuzz-advisory-archive": {
            "ubuntu-tracker.tar.gz": targz([
                ("ubuntu-cve-tracker/", None), ("ubuntu-cve-tracker/active/", None),
                ("ubuntu-cve-tracker/active/CVE-2019-6109", tracker["CVE-2019-6109"]),
                ("ubuntu-cve-tracker/retired/CVE-2011-1947", tracker["CVE-2011-1947"]),
                ("ubuntu-cve-tracker/README", b"Ubuntu CVE Tracker\n"),
            ]),
            "osv-tree.tar.gz": targz([
                ("./", None), ("./go/GO-2020-0001.json", fixture("osv-go/GO-2020-0001.json")),
                ("./pypi/PYSEC-2019-179.yaml", fixture("osv-pypi/vulns/flask/PYSEC-2019-179.yaml")),
            ]),
            "wolfi-advisories.tar.gz": targz([
                ("./convco.advisories.yaml", from_tar(wolfi, "./convco.advisories.yaml")),
                ("./updateinfo.xml.gz", fixture("amazon-updateinfo/al2-updateinfo.xml.gz")),
            ]),
            # Entries AdvisoryArchive must refuse: a climb out, an absolute name, a symbolic link.
            "hostile-names.tar.gz": targz([
                ("../escape.json", fixture("osv-go/GO-2020-0001.json")),
                ("/abs/GO-2020-0001.json", fixture("osv-go/GO-2020-0001.json")),
                ("link.json", ("symlink", "/etc/passwd")),
                ("ok/GO-2020-0001.json", fixture("osv-go/GO-2020-0001.json")),
            ]),
        },
    }


def main():
    for target, files in seeds().items():
        directory = os.path.join(CORPUS, target)
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory)
        for name, data in files.items():
            with open(os.path.join(directory, name), "wb") as f:
                f.write(data)
        print(f"{target}: {len(files)} files, {sum(map(len, files.values()))} bytes")


if __name__ == "__main__":
    main()

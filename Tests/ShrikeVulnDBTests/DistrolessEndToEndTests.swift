import Foundation
import ShrikeCatalog
import ShrikeCore
import ShrikeTestSupport
import Testing
@testable import ShrikeVulnDB

/// A distroless image (gcr.io/distroless/base-debian12) has no `/var/lib/dpkg/status`: each package is a stanza file in
/// `/var/lib/dpkg/status.d/`. It must be matched like Debian: against the Debian tracker, by source package and
/// source version. The expected answers come from an independent reference: the same files read by python-apt's
/// `apt_pkg.TagFile`, the tracker JSON by Python, versions ordered by `apt_pkg.version_compare`.
@Suite("Distroless images match the Debian tracker")
struct DistrolessEndToEndTests {
    static let python = "/usr/bin/python3"
    static var haveAptPkg: Bool { (try? ExternalTool.run([python, "-c", "import apt_pkg"]).status) == 0 }

    /// The root file system, laid out as distroless lays it out. The os-release is distroless's own (its
    /// `common/variables.bzl` OS_RELEASE for Debian 12: `PRETTY_NAME="Distroless"`, no `VERSION_CODENAME`). The
    /// stanzas are in the shape distroless writes (no `Status:` line); the package set is base-debian12's (libc6,
    /// libssl3, base-files, tzdata) plus chromium binaries, the one other source the tracker fixture covers in
    /// bookworm. `chromium-sandbox` carries a version of its own, as binaries sometimes do (cpp `4:12.2.0-3` is built
    /// from gcc-defaults `1.203`): its epoch would put it past the fix, its source version is below it.
    static let root: [String: String] = [
        "/etc/os-release": """
            PRETTY_NAME="Distroless"
            NAME="Debian GNU/Linux"
            ID="debian"
            VERSION_ID="12"
            VERSION="Debian GNU/Linux 12 (bookworm)"
            HOME_URL="https://github.com/GoogleContainerTools/distroless"
            SUPPORT_URL="https://github.com/GoogleContainerTools/distroless/blob/master/README.md"
            BUG_REPORT_URL="https://github.com/GoogleContainerTools/distroless/issues/new"

            """,
        "/var/lib/dpkg/status.d/base-files": """
            Package: base-files
            Version: 12.4+deb12u5
            Architecture: amd64
            Maintainer: Santiago Vila <sanvila@debian.org>
            Essential: yes
            Priority: required
            Section: admin
            Description: Debian base system miscellaneous files

            """,
        "/var/lib/dpkg/status.d/libc6": """
            Package: libc6
            Source: glibc
            Version: 2.36-9+deb12u4
            Architecture: amd64
            Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
            Multi-Arch: same
            Section: libs
            Priority: optional
            Description: GNU C Library: Shared libraries

            """,
        "/var/lib/dpkg/status.d/libssl3": """
            Package: libssl3
            Source: openssl
            Version: 3.0.11-1~deb12u2
            Architecture: amd64
            Maintainer: Debian OpenSSL Team <pkg-openssl-devel@alioth-lists.debian.net>
            Depends: libc6 (>= 2.34)
            Section: libs
            Priority: optional
            Multi-Arch: same
            Description: Secure Sockets Layer toolkit - shared libraries

            """,
        "/var/lib/dpkg/status.d/libssl3.md5sums": """
            4f7f8fbcd2aa5bd4b5fc8a4ab5d1d1a6  usr/lib/x86_64-linux-gnu/libcrypto.so.3
            0d3c2e1fb8a52c7a8e4d3c6bd1e76f22  usr/lib/x86_64-linux-gnu/libssl.so.3

            """,
        "/var/lib/dpkg/status.d/tzdata": """
            Package: tzdata
            Version: 2024a-0+deb12u1
            Architecture: all
            Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>
            Section: localization
            Priority: required
            Description: time zone and daylight-saving time data

            """,
        "/var/lib/dpkg/status.d/chromium": """
            Package: chromium
            Version: 97.0.4692.99-1
            Architecture: amd64
            Maintainer: Debian Chromium Team <chromium@packages.debian.org>
            Section: web
            Priority: optional
            Description: web browser

            """,
        "/var/lib/dpkg/status.d/chromium-sandbox": """
            Package: chromium-sandbox
            Source: chromium (97.0.4692.99-1)
            Version: 1:97.0.4692.99-1
            Architecture: amd64
            Maintainer: Debian Chromium Team <chromium@packages.debian.org>
            Section: web
            Priority: optional
            Description: web browser - setuid security sandbox for chromium

            """,
        "/var/lib/dpkg/status.d/chromium-driver": """
            Package: chromium-driver
            Source: chromium (98.0.4758.80-1)
            Version: 98.0.4758.80-1
            Architecture: amd64
            Maintainer: Debian Chromium Team <chromium@packages.debian.org>
            Section: web
            Priority: optional
            Description: web browser - WebDriver support

            """,
    ]

    /// The reference: every status.d stanza (not the `.md5sums`) read with `apt_pkg.TagFile`, its source and source
    /// version from `Source: name (version)` (else `Package`/`Version`), the release from os-release's VERSION_ID, and
    /// the tracker's verdict for that source in that release. Prints `CVE package version status fixed`.
    static let reference = #"""
        import json, os, re, sys, apt_pkg
        apt_pkg.init()
        root, tracker = sys.argv[1], json.load(open(sys.argv[2]))
        release = dict(line.split('=', 1) for line in open(root + '/etc/os-release').read().split('\n') if '=' in line)
        codename = {'11': 'bullseye', '12': 'bookworm', '13': 'trixie'}[release['VERSION_ID'].strip('"')]
        directory = root + '/var/lib/dpkg/status.d'
        for name in sorted(os.listdir(directory)):
            if '.' in name:
                continue
            with open(os.path.join(directory, name)) as handle:
                for stanza in apt_pkg.TagFile(handle):
                    source, version = stanza.get('Source', stanza['Package']), stanza['Version']
                    match = re.fullmatch(r'(\S+)\s*\((\S+)\)', source)
                    if match:
                        source, version = match.groups()
                    for cve, entry in sorted(tracker.get(source, {}).items()):
                        verdict = entry.get('releases', {}).get(codename)
                        if not verdict or 'status' not in verdict:
                            continue
                        fixed, urgency = verdict.get('fixed_version'), verdict.get('urgency', '').rstrip('*')
                        if verdict['status'] == 'resolved':
                            if fixed and fixed != '0' and apt_pkg.version_compare(version, fixed) < 0:
                                print(cve, stanza['Package'], stanza['Version'], 'fixed', fixed)
                        elif urgency in ('unimportant', 'end-of-life'):
                            print(cve, stanza['Package'], stanza['Version'], 'wont-fix', '-')
                        else:
                            print(cve, stanza['Package'], stanza['Version'], 'not-fixed', '-')
        """#

    static func describe(_ match: Match) -> String {
        "\(match.vulnerability.id) \(match.package.name) \(match.package.version) \(match.vulnerability.status.rawValue) \(match.vulnerability.fixedVersion ?? "-")"
    }

    @Test("a distroless Debian 12 root × the Debian tracker: matched by source package and source version, as the reference says",
          .enabled(if: haveAptPkg, "needs python3-apt (apt-get install python3-apt)"))
    func distrolessMatchesTracker() throws {
        let fs = try InMemoryFileSystem(textFiles: Self.root)
        let sbom = try Catalog.osPackages.run(on: fs, source: .init(type: "dir", path: "/distroless"))
        #expect(sbom.distro?.id == "debian")
        #expect(sbom.distro?.versionID == "12")
        #expect(sbom.packages.map(\.name) == ["base-files", "chromium", "chromium-driver", "chromium-sandbox", "libc6", "libssl3", "tzdata"])
        #expect(sbom.packages.allSatisfy { $0.type == .deb })

        let store = try SQLiteAdvisoryStore.inMemory()
        let report = try store.importAdvisories([AdvisoryPathImporter(path: VulnDBFixtures.path("debian-tracker/debian.json"))])
        #expect(report.sources.map(\.name) == ["debian-tracker"])
        let result = try Matcher(store: store).match(sbom)
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        #expect(result.unchecked.isEmpty, "debian:12 holds data: every package was checked")
        #expect(result.matches.allSatisfy { $0.vulnerability.namespace == "debian:12" })
        let got = Set(result.matches.map(Self.describe))

        let dir = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (path, text) in Self.root {
            let file = dir + path
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: file, atomically: true, encoding: .utf8)
        }
        let run = try ExternalTool.run([Self.python, "-c", Self.reference, dir, VulnDBFixtures.path("debian-tracker/debian.json")])
        #expect(run.status == 0, "\(run.stderr)")
        let expected = Set(run.stdout.split(separator: "\n").map(String.init))
        #expect(got == expected, "only Shrike \(got.subtracting(expected).sorted()), only reference \(expected.subtracting(got).sorted())")
        #expect(expected == [
            "CVE-2022-0456 chromium 97.0.4692.99-1 fixed 98.0.4758.80-1",
            "CVE-2022-0456 chromium-sandbox 1:97.0.4692.99-1 fixed 98.0.4758.80-1",
            "CVE-2023-0464 libssl3 3.0.11-1~deb12u2 not-fixed -",
            "CVE-2010-5298 libssl3 3.0.11-1~deb12u2 wont-fix -",
        ], "\(expected.sorted())")
        print("distroless e2e: \(got.count) findings (reference \(expected.count)) for \(sbom.packages.count) status.d packages")
    }

    @Test("distroless findings name the source they were matched by: libssl3 under openssl, the sandbox by its source version")
    func sourceOfEachFinding() throws {
        let fs = try InMemoryFileSystem(textFiles: Self.root)
        let sbom = try Catalog.osPackages.run(on: fs, source: .init(type: "dir", path: "/distroless"))
        let ssl = try #require(sbom.packages.first { $0.name == "libssl3" })
        #expect(AdvisoryNamespace.lookupName(for: ssl, in: "debian:12") == "openssl")
        let sandbox = try #require(sbom.packages.first { $0.name == "chromium-sandbox" })
        #expect(AdvisoryNamespace.comparedVersion(for: sandbox) == "97.0.4692.99-1")
        let store = try SQLiteAdvisoryStore.inMemory()
        _ = try store.importAdvisories([AdvisoryPathImporter(path: VulnDBFixtures.path("debian-tracker/debian.json"))])
        let result = try Matcher(store: store).match(sbom)
        let unimportant = try #require(result.matches.first { $0.vulnerability.id == "CVE-2010-5298" })
        #expect(unimportant.vulnerability.status == .wontFix)
        #expect(unimportant.vulnerability.severity == .negligible)
        // At the fixed source version: nothing to report.
        #expect(!result.matches.contains { $0.package.name == "chromium-driver" })
    }
}

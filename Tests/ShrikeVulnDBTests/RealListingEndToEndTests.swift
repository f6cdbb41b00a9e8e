import Foundation
import ShrikeCatalog
import ShrikeCore
import ShrikeTestSupport
import Testing
@testable import ShrikeVulnDB

/// A source rpm's file name split as rpm names it: `ncurses-6.0-8.20170212.amzn2.1.5.src.rpm` is name `ncurses`,
/// version `6.0`, release `8.20170212.amzn2.1.5`. Written here, apart from the cataloger's own splitter, so the
/// listings below are read without Shrike's code.
struct SourceRPMFileName: Equatable, Sendable, CustomTestStringConvertible {
    var name: String
    var version: String
    var release: String

    /// Nil unless `fileName` ends in `.src.rpm` or `.nosrc.rpm` and holds `name-version-release` (rpm forbids `-` in
    /// version and release, so the last two dashes split it; the name may hold dashes).
    init?(_ fileName: String) {
        guard let suffix = [".src.rpm", ".nosrc.rpm"].first(where: { fileName.hasSuffix($0) }) else { return nil }
        let parts = fileName.dropLast(suffix.count).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return nil }
        name = parts.dropLast(2).joined(separator: "-")
        version = String(parts[parts.count - 2])
        release = String(parts[parts.count - 1])
        guard !name.isEmpty, !version.isEmpty, !release.isEmpty else { return nil }
    }

    init(name: String, version: String, release: String) {
        self.name = name
        self.version = version
        self.release = release
    }

    var testDescription: String { "\(name) \(version) \(release)" }
}

/// A line of an `rpm -qa` listing in the query format of `../shared/data/os/rpm-listings/command.sh`: fields separated
/// by `¶` (epoch, name, version, release, arch, source rpm, size, licence, vendor, summary, sigmd5, and in the Fedora
/// listing the MODULARITYLABEL), `(none)` where rpm has no value.
struct RpmListingRow: Sendable {
    var epoch: Int?
    var name: String
    var version: String
    var release: String
    var arch: String?
    var source: SourceRPMFileName?
    /// The last column of the Fedora listing; nil when `(none)` or absent.
    var modularityLabel: String?

    /// `[epoch:]version-release`, as rpm prints it and Shrike's rpm packages carry it.
    var evr: String { (epoch.map { "\($0):" } ?? "") + "\(version)-\(release)" }

    static func read(_ path: String) throws -> [RpmListingRow] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            let fields = line.split(separator: "¶", omittingEmptySubsequences: false).map(String.init)
            try #require(fields.count >= 11, "a listing line has \(fields.count) fields: \(line)")
            let label = fields.count > 11 && fields[11] != "(none)" && !fields[11].isEmpty ? fields[11] : nil
            return RpmListingRow(epoch: Int(fields[0]), name: fields[1], version: fields[2], release: fields[3],
                                 arch: fields[4].isEmpty ? nil : fields[4], source: SourceRPMFileName(fields[5]),
                                 modularityLabel: label)
        }
    }

    /// The package a cataloger would report for this row on `distro`.
    func package(distro: Distro, listing: String) -> Package {
        var qualifiers = ["distro": distro.purlQualifier]
        if let arch { qualifiers["arch"] = arch }
        if let epoch { qualifiers["epoch"] = String(epoch) }
        let versionRelease = "\(version)-\(release)"
        let sourceVersionRelease = source.map { "\($0.version)-\($0.release)" }
        return Package(name: name, version: evr, type: .rpm,
                       purl: PackageURL(type: "rpm", namespace: distro.id, name: name, version: versionRelease, qualifiers: qualifiers),
                       sourceName: source?.name,
                       sourceVersion: sourceVersionRelease == versionRelease ? nil : sourceVersionRelease,
                       locations: [listing], architecture: arch, epoch: epoch, release: release,
                       modularityLabel: modularityLabel)
    }

    /// The listing's packages as the rpm cataloger reports them: the `gpg-pubkey` pseudo-packages (imported signing
    /// keys) left out.
    static func packages(_ relative: String, distro: Distro) throws -> [Package] {
        try read(SharedData.path(relative)).filter { $0.name != "gpg-pubkey" }.map { $0.package(distro: distro, listing: relative) }
    }
}

/// Real `rpm -qa` listings of Amazon Linux 2, Oracle Linux 9 and Fedora 38 (go-rpmdb's test data) against real vendor
/// data. Expected answers come from an independent reference: the updateinfo read with Python's ElementTree and
/// versions ordered by rpm's own `rpm.vercmp`, batched through one `rpm --eval` of a Lua script.
@Suite("Real rpm listings end to end")
struct RealListingEndToEndTests {
    static let amazon2 = "os/rpm-listings/amazonlinux2-plain.csv"
    static let oracle9 = "os/rpm-listings/oraclelinux9-plain.csv"
    static let fedora38 = "os/rpm-listings/fedora38-modules.csv"
    static let python = "/usr/bin/python3"
    static var haveRPM: Bool { ExternalTool.find("rpm") != nil }

    // MARK: - Reading the listings

    @Test("a source rpm file name splits into name, version and release at its last two dashes", arguments: [
        ("ncurses-6.0-8.20170212.amzn2.1.5.src.rpm", SourceRPMFileName(name: "ncurses", version: "6.0", release: "8.20170212.amzn2.1.5")),
        ("python-iniparse-0.4-9.amzn2.src.rpm", SourceRPMFileName(name: "python-iniparse", version: "0.4", release: "9.amzn2")),
        ("yum-utils-1.1.31-46.amzn2.0.1.src.rpm", SourceRPMFileName(name: "yum-utils", version: "1.1.31", release: "46.amzn2.0.1")),
        ("nodejs-16.18.1-1.module_f38+15765+c19fa502.src.rpm",
         SourceRPMFileName(name: "nodejs", version: "16.18.1", release: "1.module_f38+15765+c19fa502")),
        ("kernel-5.14.0-1.nosrc.rpm", SourceRPMFileName(name: "kernel", version: "5.14.0", release: "1")),
        ("(none)", nil),
        ("ncurses-6.0.src.rpm", nil),
        ("ncurses-6.0-8.x86_64.rpm", nil),
        ("-6.0-8.src.rpm", nil),
        ("ncurses-6.0-.src.rpm", nil),
    ] as [(String, SourceRPMFileName?)])
    func sourceRPMName(file: String, expected: SourceRPMFileName?) {
        #expect(SourceRPMFileName(file) == expected)
    }

    @Test("the Amazon Linux 2 listing reads as rpm printed it: epochs, source names, the signing key left out",
          .enabled(if: SharedData.has(amazon2), "needs ../shared/data/os/rpm-listings"))
    func readsListing() throws {
        let rows = try RpmListingRow.read(SharedData.path(Self.amazon2))
        #expect(rows.count == 105)
        #expect(rows.allSatisfy { $0.name == "gpg-pubkey" || $0.source != nil }, "every real package names its source rpm")
        let packages = try RpmListingRow.packages(Self.amazon2, distro: Distro(id: "amzn", versionID: "2"))
        #expect(packages.count == 104)
        let ssl = try #require(packages.first { $0.name == "openssl-libs" })
        #expect(ssl.version == "1:1.0.2k-24.amzn2.0.7")
        #expect(ssl.sourceName == "openssl")
        #expect(ssl.sourceVersion == nil)
        #expect(ssl.purl.description == "pkg:rpm/amzn/openssl-libs@1.0.2k-24.amzn2.0.7?arch=x86_64&distro=amzn-2&epoch=1")
        #expect(packages.first { $0.name == "info" }?.sourceName == "texinfo")
    }

    // MARK: - Amazon Linux 2

    /// The reference: the listing's installed set (gpg-pubkey left out), every AL2 update's binary packages (not
    /// `src`) from the updateinfo (gunzipped when `.gz`), each CVE reference (the ALAS id when there is none) of a
    /// security update or of any update with a CVE. The pairs go to rpm as one Lua script. Prints
    /// `ID package installed fixed` for every installed package below a fixed version, and the pair count on stderr.
    static let amazonReference = #"""
        import gzip, os, re, subprocess, sys, tempfile, xml.etree.ElementTree as ET
        listing, updateinfo = sys.argv[1], sys.argv[2]
        installed = {}
        for line in open(listing, encoding='utf-8'):
            f = line.rstrip('\n').split('\u00b6')
            if len(f) < 4 or f[1] == 'gpg-pubkey':
                continue
            installed.setdefault(f[1], set()).add((f[0] + ':' if f[0] else '') + f[2] + '-' + f[3])
        opener = gzip.open if updateinfo.endswith('.gz') else open
        with opener(updateinfo, 'rb') as handle:
            root = ET.parse(handle).getroot()
        # Amazon Linux 2 core (ALAS2-) and its extras (ALAS2DOCKER-, ALAS2KERNEL-5.10-); not ALAS2022-/ALAS2023-.
        al2 = re.compile(r'^ALAS2([A-Z][A-Z0-9.-]*)?-\d{4}-\d+$')
        pairs = []
        for update in root.iter('update'):
            uid = (update.findtext('id') or '').strip()
            if not al2.match(uid):
                continue
            cves = [r.get('id') for r in update.iter('reference') if r.get('type') == 'cve']
            if update.get('type') != 'security' and not cves:
                continue
            for p in update.iter('package'):
                if p.get('arch') == 'src' or p.get('name') not in installed:
                    continue
                epoch = p.get('epoch') or '0'
                fixed = ('' if epoch == '0' else epoch + ':') + p.get('version') + '-' + p.get('release')
                for version in installed[p.get('name')]:
                    for vid in cves or [uid]:
                        pairs.append((vid, p.get('name'), version, fixed))
        results = []
        if pairs:
            with tempfile.NamedTemporaryFile('w', suffix='.lua', delete=False) as lua:
                lua.write('local pairs_ = {\n')
                for _, _, version, fixed in pairs:
                    lua.write('{"%s", "%s"},\n' % (version, fixed))
                lua.write('}\nfor _, p in ipairs(pairs_) do io.write(rpm.vercmp(p[1], p[2]), "\\n") end\n')
            try:
                out = subprocess.run(['rpm', '--eval', '%%{lua: dofile("%s")}' % lua.name],
                                     check=True, capture_output=True, text=True).stdout.split()
            finally:
                os.unlink(lua.name)
            assert len(out) == len(pairs), (len(out), len(pairs))
            results = [pair for pair, cmp in zip(pairs, out) if int(cmp) < 0]
        for vid, name, version, fixed in sorted(set(results)):
            print(vid, name, version, fixed)
        print('pairs', len(pairs), file=sys.stderr)
        """#

    /// Runs the reference; the set of `ID package installed fixed` lines and how many pairs it compared.
    static func amazonExpected(updateinfo: String) throws -> (lines: Set<String>, pairs: Int) {
        let run = try ExternalTool.run([python, "-c", amazonReference, SharedData.path(amazon2), updateinfo])
        #expect(run.status == 0, "\(run.stderr)")
        let pairs = run.stderr.split(separator: "\n").first { $0.hasPrefix("pairs ") }.flatMap { Int($0.dropFirst(6)) } ?? -1
        return (Set(run.stdout.split(separator: "\n").map(String.init)), pairs)
    }

    /// `al2-updateinfo.xml.gz` is Amazon's file byte for byte but holds only qemu-kvm and java-1.8.0-openjdk, neither
    /// installed in the listing: its answer is (correctly) nothing. `al2-listing-updateinfo.xml` holds six real ALAS2
    /// updates of installed packages (Fixtures/PROVENANCE.md): curl/libcurl 8.0.1-1.amzn2.0.1 is below ALAS2-2023-2230
    /// (4 CVEs) and -2287 (2 CVEs) and exactly at -2070; openssl-libs 1:1.0.2k-24.amzn2.0.7 exactly at -2073 (epoch 1);
    /// vim-minimal/vim-data 2:9.0.1592 past -2022-1771 (epoch 2); ncurses …amzn2.1.5 past -2022-1893's …amzn2.1.4.
    @Test("Amazon Linux 2: the real listing × real ALAS2 updates gives exactly the reference's fixed findings",
          .enabled(if: SharedData.has(amazon2) && haveRPM, "needs ../shared/data/os/rpm-listings and rpm"),
          arguments: [("amazon-updateinfo/al2-updateinfo.xml.gz", 0, 0), ("amazon-updateinfo/al2-listing-updateinfo.xml", 12, 44)])
    func amazonLinux2(updateinfo: String, expectedCount: Int, expectedPairs: Int) throws {
        let distro = Distro(id: "amzn", versionID: "2")
        let packages = try RpmListingRow.packages(Self.amazon2, distro: distro)
        let store = try SQLiteAdvisoryStore.inMemory()
        let start = Date()
        let report = try store.importAdvisories([AdvisoryPathImporter(path: VulnDBFixtures.path(updateinfo))])
        let seconds = Date().timeIntervalSince(start)
        #expect(report.sources.map(\.name) == ["alas:2"])
        #expect(report.sources.allSatisfy { $0.failed == 0 }, "\(report.sources)")
        let sbom = SBOM(source: .init(type: "dir", path: Self.amazon2), distro: distro, packages: packages)
        let result = try Matcher(store: store).match(sbom)
        #expect(result.warnings.isEmpty, "\(result.warnings.prefix(3))")
        #expect(result.unchecked.isEmpty, "amazon:2 holds data, so every package was checked")
        #expect(result.matches.allSatisfy { $0.vulnerability.namespace == "amazon:2" && $0.vulnerability.status == .fixed })
        #expect(result.matches.allSatisfy { $0.vulnerability.aliases.first?.hasPrefix("ALAS2-") == true }, "the ALAS id comes first")
        let got = Set(result.matches.map {
            "\($0.vulnerability.id) \($0.package.name) \($0.package.version) \($0.vulnerability.fixedVersion ?? "-")"
        })
        let expected = try Self.amazonExpected(updateinfo: VulnDBFixtures.path(updateinfo))
        #expect(got == expected.lines, "only Shrike \(got.subtracting(expected.lines).sorted()), only reference \(expected.lines.subtracting(got).sorted())")
        #expect(expected.lines.count == expectedCount, "\(expected.lines.sorted())")
        #expect(expected.pairs == expectedPairs, "installed × fixed pairs the reference compared")
        let records = report.sources.map(\.records).reduce(0, +)
        print("amazon 2 e2e (\(updateinfo)): \(got.count) fixed findings, reference \(expected.lines.count) of \(expected.pairs) compared pairs; \(packages.count) packages; imported \(records) records in \(String(format: "%.3f", seconds)) s")
    }

    @Test("Amazon Linux 2: builds exactly at a fix are not findings; findings carry the ALAS id, fix and severity",
          .enabled(if: SharedData.has(amazon2), "needs ../shared/data/os/rpm-listings"))
    func amazonLinux2Details() throws {
        let distro = Distro(id: "amzn", versionID: "2")
        let store = try SQLiteAdvisoryStore.inMemory()
        _ = try store.importAdvisories([AdvisoryPathImporter(path: VulnDBFixtures.path("amazon-updateinfo/al2-listing-updateinfo.xml"))])
        let sbom = SBOM(source: .init(type: "dir", path: Self.amazon2), distro: distro,
                        packages: try RpmListingRow.packages(Self.amazon2, distro: distro))
        let result = try Matcher(store: store).match(sbom)
        #expect(Set(result.matches.map(\.package.name)) == ["curl", "libcurl"])
        let socks = try #require(result.matches.first { $0.vulnerability.id == "CVE-2023-38545" && $0.package.name == "libcurl" })
        #expect(socks.vulnerability.fixedVersion == "8.3.0-1.amzn2.0.4")
        #expect(socks.vulnerability.aliases.first == "ALAS2-2023-2287")
        #expect(socks.vulnerability.severity == .high, "important")
        // Fixed exactly at the installed build: ALAS2-2023-2070 for curl, -2073 for openssl-libs (epoch 1).
        #expect(!result.matches.contains { $0.vulnerability.id == "CVE-2023-27533" || $0.vulnerability.id == "CVE-2023-0464" })
    }

    // MARK: - Oracle Linux 9

    /// The reference: how many definitions of the fixture name Oracle Linux 9 as their platform, of how many.
    static let oraclePlatforms = #"""
        import sys, xml.etree.ElementTree as ET
        ns = '{http://oval.mitre.org/XMLSchema/oval-definitions-5}'
        platforms = [p.text.strip() for p in ET.parse(sys.argv[1]).getroot().iter(ns + 'platform')]
        print(sum(1 for p in platforms if p == 'Oracle Linux 9'), len(platforms))
        """#

    /// The Oracle ELSA OVAL fixture covers Oracle Linux 5, 7 and 8 only (no Oracle Linux 9 definition), so there is
    /// nothing to match the OL9 listing against: the answer must be "not checked", never a silent "nothing found".
    @Test("Oracle Linux 9: the real listing × the ELSA OVAL fixture (no OL9 definition) is reported unchecked, not clean",
          .enabled(if: SharedData.has(oracle9), "needs ../shared/data/os/rpm-listings"))
    func oracleLinux9() throws {
        let run = try ExternalTool.run([Self.python, "-c", Self.oraclePlatforms, VulnDBFixtures.path("oval/oracle-elsa.xml")])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0 3", "OL9 definitions, all definitions")

        let distro = Distro(id: "ol", versionID: "9.2")
        let packages = try RpmListingRow.packages(Self.oracle9, distro: distro)
        #expect(packages.count == 181)
        let store = try SQLiteAdvisoryStore.inMemory()
        _ = try store.importAdvisories([AdvisoryPathImporter(path: VulnDBFixtures.path("oval/oracle-elsa.xml"))])
        #expect(try store.namespaces().keys.filter { $0.hasPrefix("oracle:") }.sorted() == ["oracle:5", "oracle:7"])
        let sbom = SBOM(source: .init(type: "dir", path: Self.oracle9), distro: distro, packages: packages)
        let result = try Matcher(store: store).match(sbom)
        #expect(result.matches.isEmpty)
        #expect(result.unchecked == [UncheckedPackages(distribution: "oracle:9", namespaces: ["oracle:9"], packageType: .rpm,
                                                       count: packages.count, reason: .noAdvisoryData)],
                "\(result.unchecked)")
        print("oracle 9 e2e: \(result.matches.count) matches, \(result.uncheckedCount) of \(packages.count) packages reported unchecked (the fixture has no OL9 definition)")
    }

    // MARK: - Fedora 38 module streams

    @Test("Fedora 38: a release is modular exactly when rpm's MODULARITYLABEL is set, for every row of the real listing",
          .enabled(if: SharedData.has(fedora38), "needs ../shared/data/os/rpm-listings"))
    func fedoraModularity() throws {
        let rows = try RpmListingRow.read(SharedData.path(Self.fedora38))
        #expect(rows.count == 155)
        let disagreeing = rows.filter { RpmModularity.isModular("\($0.version)-\($0.release)") != ($0.modularityLabel != nil) }
        #expect(disagreeing.isEmpty, "release and MODULARITYLABEL disagree: \(disagreeing.map { "\($0.name) \($0.evr) \($0.modularityLabel ?? "(none)")" })")
        let modular = rows.filter { $0.modularityLabel != nil }
        // The nodejs:16 stream: libuv, nodejs, nodejs-libs, -docs, -full-i18n and npm (whose own version is 8.19.2).
        #expect(modular.map(\.name).sorted() == ["libuv", "nodejs", "nodejs-docs", "nodejs-full-i18n", "nodejs-libs", "npm"])
        #expect(modular.allSatisfy { $0.modularityLabel?.hasPrefix("nodejs:16:") == true && $0.release.contains(".module_f38+") })
        print("fedora 38: \(modular.count) modular rows of \(rows.count), \(disagreeing.count) disagreeing with MODULARITYLABEL")
    }

    @Test("Fedora 38: for every real package only a fix built the same way (in a module stream or not) applies",
          .enabled(if: SharedData.has(fedora38), "needs ../shared/data/os/rpm-listings"))
    func fedoraApplicableRanges() throws {
        let distro = Distro(id: "fedora", versionID: "38")
        for row in try RpmListingRow.read(SharedData.path(Self.fedora38)) where row.name != "gpg-pubkey" {
            // A later build of the same upstream version, once in a stream and once not.
            let upstream = (row.epoch.map { "\($0):" } ?? "") + row.version
            let inStream = AffectedRange(kind: .ecosystem, events: [.introduced("0"), .fixed(upstream + "-99.module_f38+99999+0123abcd")])
            let plain = AffectedRange(kind: .ecosystem, events: [.introduced("0"), .fixed(upstream + "-99.fc38")])
            let kept = RpmModularity.applicableRanges([inStream, plain], installed: row.package(distro: distro, listing: Self.fedora38))
            #expect(kept == [row.modularityLabel != nil ? inStream : plain], "\(row.name) \(row.evr)")
        }
    }
}

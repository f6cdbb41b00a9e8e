import Foundation
import ShrikeCatalog
import ShrikeCore
import ShrikeTestSupport
import Testing
@testable import ShrikeVulnDB

/// Amazon Linux's yum updateinfo (ALAS). Expected values were read from the fixtures by eye (Fixtures/PROVENANCE.md
/// says where each update comes from); the end-to-end answers come from rpm's own `rpm.vercmp`.
@Suite("Amazon Linux updateinfo import")
struct AmazonUpdateInfoImportTests {
    // MARK: - Real updates

    @Test("AL2023: one record per CVE of each update, binary packages fixed at version-release, ALAS id and severity kept")
    func al2023() throws {
        let sink = try VulnDBFixtures.collect("amazon-updateinfo/al2023-updateinfo.xml")
        #expect(sink.records.keys.map(\.name) == ["alas:2023"])
        #expect(sink.records.keys.first?.kind == "amazon-updateinfo")
        // 2 (rsyslog) + 6 (curl) + 2 (krb5) + 3 (openssl) CVE references.
        #expect(sink.allRecords.count == 13)
        #expect(sink.allFailures.isEmpty, "\(sink.allFailures)")
        let krb5 = sink.affected("CVE-2023-36054", package: "krb5-libs")
        #expect(krb5 == [AffectedPackage(
            vulnerabilityID: "CVE-2023-36054", namespace: "amazon:2023", packageName: "krb5-libs", ecosystem: .redHat,
            ranges: [AffectedRange(kind: .ecosystem, events: [.introduced("0"), .fixed("1.21-3.amzn2023.0.3")])],
            severity: .medium, advisories: ["ALAS2023-2023-321"])])
        // Every binary package of the update, each once although two architectures list it.
        #expect(sink.record("CVE-2023-39975")?.affected.map(\.packageName)
            == ["libkadm5", "krb5-server", "krb5-server-ldap", "krb5-libs", "krb5-devel", "krb5-pkinit", "krb5-workstation"])
        #expect(sink.record("CVE-2022-24903")?.affected.map(\.packageName) == ["rsyslog", "rsyslog-doc", "rsyslog-openssl", "rsyslog-debuginfo"])
        // A non-zero epoch is part of the fixed version.
        #expect(sink.affected("CVE-2024-4741", package: "openssl-libs").first?.ranges.first?.fixedVersion == "1:3.0.8-1.amzn2023.0.14")
        #expect(sink.affected("CVE-2022-24903", package: "rsyslog").first?.severity == .high, "Important")
    }

    @Test("AL2023: the vulnerability carries its paragraph of the description, the dates and Amazon's pages")
    func al2023Details() throws {
        let sink = try VulnDBFixtures.collect("amazon-updateinfo/al2023-updateinfo.xml")
        let record = try #require(sink.record("CVE-2023-39975"))
        #expect(record.vulnerability.summary?.hasPrefix("kdc/do_tgs_req.c in MIT Kerberos 5") == true)
        #expect(record.vulnerability.summary?.contains("CVE-2023-36054") == false, "only its own paragraph")
        #expect(record.vulnerability.severity == .medium)
        #expect(record.vulnerability.source == "alas")
        #expect(record.vulnerability.urls == ["https://alas.aws.amazon.com/AL2023/ALAS-2023-321.html",
                                              "https://alas.aws.amazon.com/cve/html/CVE-2023-39975.html"])
        #expect(record.vulnerability.published == Date(timeIntervalSince1970: 1_693_518_180), "2023-08-31 21:43:00 UTC")
        #expect(record.vulnerability.modified == Date(timeIntervalSince1970: 1_694_121_480), "2023-09-07 21:18:00 UTC")
    }

    @Test("AL2: the real updateinfo.xml.gz imports gunzipped in memory, epochs kept")
    func al2Gzip() throws {
        let sink = try VulnDBFixtures.collect("amazon-updateinfo/al2-updateinfo.xml.gz")
        #expect(sink.records.keys.map(\.name) == ["alas:2"])
        // ALAS2-2018-942 fixes 1 CVE in 5 packages, ALAS2-2018-949 15 CVEs in 17 packages.
        #expect(sink.allRecords.count == 16)
        #expect(sink.allRecords.flatMap(\.affected).count == 5 + 15 * 17)
        #expect(sink.affected("CVE-2017-5715", package: "qemu-kvm").first?.ranges.first?.fixedVersion == "10:1.5.3-141.amzn2.5.3")
        #expect(sink.affected("CVE-2018-2677", package: "java-1.8.0-openjdk-javadoc").first?.ranges.first?.fixedVersion
            == "1:1.8.0.161-0.b14.amzn2")
        #expect(sink.affected("CVE-2017-5715", package: "qemu-kvm").first?.namespace == "amazon:2")
        #expect(sink.affected("CVE-2017-5715", package: "qemu-kvm").first?.advisories == ["ALAS2-2018-942"])
        #expect(sink.record("CVE-2017-5715")?.vulnerability.severity == .high, "important")
    }

    @Test("Amazon Linux 1: ALAS- ids are amazon:2018.03; a redhat reference is not a vulnerability")
    func al1() throws {
        let sink = try VulnDBFixtures.collect("amazon-updateinfo/al1-updateinfo.xml")
        #expect(sink.records.keys.map(\.name) == ["alas:2018.03"])
        #expect(sink.allRecords.map(\.vulnerability.id) == ["CVE-2011-3192"])
        #expect(sink.affected("CVE-2011-3192", package: "mod_ssl").first?.ranges.first?.fixedVersion == "1:2.2.21-1.18.amzn1")
        #expect(sink.affected("CVE-2011-3192", package: "httpd").first?.namespace == "amazon:2018.03")
        #expect(sink.record("CVE-2011-3192")?.vulnerability.urls.first == "https://alas.aws.amazon.com/ALAS-2011-1.html")
    }

    // MARK: - Releases and edge cases

    @Test("the release comes from the ALAS id", arguments: [(String, String?, String?)]([
        ("ALAS2023-2023-321", "amazon:2023", "alas:2023"),
        ("ALAS2022-2021-001", "amazon:2022", "alas:2022"),
        ("ALAS2-2019-1141", "amazon:2", "alas:2"),
        ("ALAS-2011-1", "amazon:2018.03", "alas:2018.03"),
        ("ALAS2GOLANG1.19-2023-001", "amazon:2", "alas:2/golang1.19"),
        ("ALAS2KERNEL-5.10-2022-001", "amazon:2", "alas:2/kernel-5.10"),
        ("RHSA-2023:1234", nil, nil),
        ("FEDORA-2023-0123456789", nil, nil),
        ("ALAS2023-2023", nil, nil),
        ("ALAS2023-23-001", nil, nil),
    ]))
    func releases(id: String, namespace: String?, source: String?) {
        let release = UpdateInfoParser.release(ofAdvisory: id)
        #expect(release?.namespace == namespace)
        #expect(release?.source == source)
    }

    static func update(_ id: String, type: String = "security", cves: [String] = [], packages: String = "") -> String {
        let references = cves.map { #"<reference href="x" id="\#($0)" title="" type="cve"/>"# }.joined()
        return #"<update type="\#(type)" status="final"><id>\#(id)</id><title>t</title><severity>low</severity>"#
            + #"<references>\#(references)</references><pkglist><collection>\#(packages)</collection></pkglist></update>"#
    }

    static let curl = #"<package name="curl" epoch="0" version="8.3.0" release="1.amzn2.0.13" arch="x86_64"/>"#
        + #"<package name="curl" epoch="0" version="8.3.0" release="1.amzn2.0.13" arch="src"/>"#

    static func parse(_ updates: String...) throws -> UpdateInfoParser.Result {
        try UpdateInfoParser.parse(Data(("<?xml version=\"1.0\"?><updates>" + updates.joined() + "</updates>").utf8),
                                   file: "updateinfo.xml", location: "/repo/updateinfo.xml")
    }

    @Test("an updateinfo past libxml2's 10 MB one-chunk limit is read (Amazon Linux 2's real one is larger)")
    func largeDocument() throws {
        let updates = (0..<40_000).map { index in
            Self.update("ALAS2-2024-\(index)", cves: ["CVE-2024-\(10_000 + index)"], packages: Self.curl)
        }
        let data = Data(("<?xml version=\"1.0\"?><updates>" + updates.joined() + "</updates>").utf8)
        #expect(data.count > 12_000_000)
        let result = try UpdateInfoParser.parse(data, file: "updateinfo.xml", location: "/repo/updateinfo.xml")
        #expect(result.records.count == 40_000)
        #expect(result.failures.isEmpty)
    }

    @Test("an update with no CVE reference keeps the ALAS id as the vulnerability (and its src build adds no package)")
    func noCVE() throws {
        let result = try Self.parse(Self.update("ALAS2-2024-2600", packages: Self.curl))
        #expect(result.records.map(\.record.vulnerability.id) == ["ALAS2-2024-2600"])
        let affected = try #require(result.records.first?.record.affected)
        #expect(affected.map(\.packageName) == ["curl"])
        #expect(affected.first?.advisories == ["ALAS2-2024-2600"])
        #expect(affected.first?.severity == .low)
        #expect(result.records.first?.record.vulnerability.urls == ["https://alas.aws.amazon.com/AL2/ALAS-2024-2600.html"])
    }

    @Test("an id from no Amazon release is a counted failure; the file's other updates are still read")
    func foreignID() throws {
        let result = try Self.parse(Self.update("FEDORA-2023-0123456789", cves: ["CVE-2023-1111"], packages: Self.curl),
                                    Self.update("ALAS2023-2024-001", cves: ["CVE-2024-6387"], packages: Self.curl))
        #expect(result.records.map(\.record.vulnerability.id) == ["CVE-2024-6387"])
        #expect(result.failures.count == 1)
        #expect(result.failures.first?.failure.file == "updateinfo.xml#FEDORA-2023-0123456789")
        #expect(result.failures.first?.failure.reason.contains("not an Amazon Linux advisory id") == true)
        #expect(result.failures.first?.source.name == "updateinfo:/repo/updateinfo.xml")
    }

    @Test("bug-fix updates without CVEs are skipped, counted; with a CVE they are read")
    func bugfix() throws {
        let result = try Self.parse(Self.update("ALAS2023-2024-002", type: "bugfix", packages: Self.curl),
                                    Self.update("ALAS2023-2024-003", type: "bugfix", cves: ["CVE-2024-0001"], packages: Self.curl))
        #expect(result.skipped.map(\.failure.file) == ["updateinfo.xml#ALAS2023-2024-002"])
        #expect(result.records.map(\.record.vulnerability.id) == ["CVE-2024-0001"])
        #expect(result.failures.isEmpty)
    }

    @Test("a package without a release or with a bad epoch, an update with no binary package, is a failure; the rest is kept")
    func brokenPackages() throws {
        let result = try Self.parse(
            Self.update("ALAS2023-2024-004", cves: ["CVE-2024-0002"],
                        packages: #"<package name="zlib" version="1.2.13" arch="x86_64"/>"# + Self.curl),
            Self.update("ALAS2023-2024-005", cves: ["CVE-2024-0003"]),
            Self.update("ALAS2023-2024-006", cves: ["CVE-2024-0004"],
                        packages: #"<package name="bash" epoch="x" version="5" release="1" arch="x86_64"/>"#),
            Self.update("ALAS2023-2024-007", cves: ["CVE-2024-0005"],
                        packages: #"<package name="bash" epoch="0" version="5" release="1" arch="src"/>"#))
        #expect(result.records.map(\.record.vulnerability.id) == ["CVE-2024-0002"])
        #expect(result.records.first?.record.affected.map(\.packageName) == ["curl"])
        #expect(Set(result.failures.map(\.failure.file)) == ["updateinfo.xml#ALAS2023-2024-004/package[0]",
                                                           "updateinfo.xml#ALAS2023-2024-005",
                                                           "updateinfo.xml#ALAS2023-2024-006/bash",
                                                           "updateinfo.xml#ALAS2023-2024-007"])
        #expect(result.failures.allSatisfy { $0.source.name == "alas:2023" })
    }

    @Test("a truncated or foreign XML document is unreadable as a whole", arguments: [
        #"<?xml version="1.0"?><updates><update type="security"><id>ALAS2023-2024-001</id><pkglist"#,
        #"<?xml version="1.0"?><repomd><data type="updateinfo"/></repomd>"#,
        "{\"not\": \"xml\"}",
    ])
    func unreadable(text: String) throws {
        let error = #expect(throws: ShrikeError.self) {
            try UpdateInfoParser.parse(Data(text.utf8), file: "updateinfo.xml", location: "/x")
        }
        #expect(error?.code == .malformed)
    }

    @Test("through the path importer: a broken file is one counted failure (an abort when strict), a corrupt .gz too")
    func brokenFiles() throws {
        let dir = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data("<?xml version=\"1.0\"?><updates><update".utf8).write(to: URL(fileURLWithPath: dir + "/truncated.xml"))
        try Data("<repomd/>".utf8).write(to: URL(fileURLWithPath: dir + "/repomd.xml"))
        try Data([0x1F, 0x8B, 0x08, 0x00, 0x01, 0x02]).write(to: URL(fileURLWithPath: dir + "/corrupt.xml.gz"))
        let sink = CollectingAdvisorySink()
        try AdvisoryPathImporter(path: dir).importAdvisories(into: sink)
        #expect(sink.allRecords.isEmpty)
        let failures = Dictionary(uniqueKeysWithValues: sink.allFailures.map { ($0.file, $0.reason) })
        #expect(failures.keys.sorted() == ["corrupt.xml.gz", "repomd.xml", "truncated.xml"])
        #expect(failures["corrupt.xml.gz"]?.hasPrefix("cannot gunzip") == true)
        #expect(failures["repomd.xml"]?.contains("<repomd>") == true)
        #expect(failures["truncated.xml"]?.contains("truncated") == true, "\(failures)")

        let strict = AdvisoryPathImporter(path: dir + "/truncated.xml", origin: "https://example.invalid/updateinfo.xml", strict: true)
        let error = #expect(throws: ShrikeError.self) { try strict.importAdvisories(into: CollectingAdvisorySink()) }
        #expect(error?.code == .malformed)
    }

    @Test("the root element is found past the prolog", arguments: [(String, String?)]([
        (#"<?xml version="1.0" ?><updates/>"#, "updates"),
        ("\u{FEFF}<?xml version=\"1.0\"?>\n<!-- generated -->\n<updates>", "updates"),
        (#"<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><oval-def:oval_definitions xmlns:oval-def="x">"#, "oval_definitions"),
        ("  <updates\n>", "updates"),
        ("{\"updates\": []}", nil),
        ("<?xml version=\"1.0\"", nil),
        ("", nil),
    ]))
    func rootElement(text: String, root: String?) {
        #expect(XMLRootElement.name(of: Data(text.utf8)) == root)
    }

    // MARK: - End to end

    static let rpmdb = "os/rpmdb/amazonlinux-2023/rpmdb.sqlite"
    static let listing = "os/rpmdb/amazonlinux-2023/packages.csv"
    static var canCompare: Bool { SharedData.has(rpmdb) && SharedData.has(listing) && ExternalTool.find("rpm") != nil }

    /// The reference: reads the installed set from `rpm -qa`'s listing (not from the database Shrike reads), the
    /// fixture's updates with ElementTree, and orders versions with rpm's own `rpm.vercmp` in one batch. Prints
    /// `CVE package installed fixed` for every installed binary package below an update's version.
    static let referenceScript = #"""
        import subprocess, sys, xml.etree.ElementTree as ET
        listing, updateinfo = sys.argv[1], sys.argv[2]
        installed = {}
        for line in open(listing, encoding='utf-8'):
            f = line.rstrip('\n').split('\u00b6')
            if len(f) < 4 or f[1] == 'gpg-pubkey':
                continue
            evr = f[2] + '-' + f[3]
            installed.setdefault(f[1], set()).add((f[0] + ':' + evr) if f[0] else evr)
        pairs = []
        for update in ET.parse(updateinfo).getroot().iter('update'):
            cves = [r.get('id') for r in update.iter('reference') if r.get('type') == 'cve']
            for p in update.iter('package'):
                if p.get('arch') == 'src' or p.get('name') not in installed:
                    continue
                epoch = p.get('epoch') or '0'
                fixed = ('' if epoch == '0' else epoch + ':') + p.get('version') + '-' + p.get('release')
                for version in installed[p.get('name')]:
                    for cve in cves:
                        pairs.append((cve, p.get('name'), version, fixed))
        lua = ','.join('{"%s","%s"}' % (v, f) for _, _, v, f in pairs)
        # rpm's lua print() writes into the macro's expansion without a newline: collect, then print once.
        script = '%%{lua: local t = {}; for _, p in ipairs({%s}) do t[#t + 1] = tostring(rpm.vercmp(p[1], p[2])) end; print(table.concat(t, " "))}' % lua
        out = subprocess.run(['rpm', '--eval', script],
                             check=True, capture_output=True, text=True).stdout.split()
        assert len(out) == len(pairs), (len(out), len(pairs))
        for (cve, name, version, fixed), cmp in sorted(set(zip(pairs, out))):
            if int(cmp) < 0:
                print(cve, name, version, fixed)
        """#

    @Test("end to end: the real Amazon Linux 2023 rpmdb × real ALAS2023 updates gives exactly what rpm.vercmp says",
          .enabled(if: canCompare, "needs ../shared/data/os/rpmdb/amazonlinux-2023 and rpm (apt-get install rpm)"))
    func endToEnd() throws {
        let database = SharedData.path(Self.rpmdb)
        let distro = Distro(id: "amzn", versionID: "2023")
        let packages = try RpmDatabase.records(file: database).map {
            RpmCataloger.package(from: $0, location: "/var/lib/rpm/rpmdb.sqlite", distro: distro)
        }
        #expect(packages.count == 103)
        let store = try SQLiteAdvisoryStore.inMemory()
        let report = try store.importAdvisories([AdvisoryPathImporter(path: VulnDBFixtures.path("amazon-updateinfo/al2023-updateinfo.xml"))])
        #expect(report.sources.map(\.name) == ["alas:2023"])
        let sbom = SBOM(source: .init(type: "dir", path: database), distro: distro, packages: packages)
        let result = try Matcher(store: store).match(sbom)
        #expect(result.warnings.isEmpty, "\(result.warnings.prefix(3))")
        #expect(result.matches.allSatisfy { $0.vulnerability.namespace == "amazon:2023" && $0.vulnerability.status == .fixed })
        let got = Set(result.matches.map {
            "\($0.vulnerability.id) \($0.package.name) \($0.package.version) \($0.vulnerability.fixedVersion ?? "-")"
        })

        let run = try ExternalTool.run(["python3", "-c", Self.referenceScript, SharedData.path(Self.listing),
                                        VulnDBFixtures.path("amazon-updateinfo/al2023-updateinfo.xml")])
        #expect(run.status == 0, "\(run.stderr)")
        let expected = Set(run.stdout.split(separator: "\n").map(String.init))
        #expect(got == expected, "only Shrike \(got.subtracting(expected).sorted()), only reference \(expected.subtracting(got).sorted())")
        // krb5-libs 1.20.1 is below ALAS2023-2023-321's 1.21 (2 CVEs); openssl-libs 1:3.0.8-…0.4 below
        // ALAS2023-2024-677's …0.14 (3 CVEs); curl-minimal 8.0.1-1.amzn2023.0.1 is past ALAS2023-2023-193's 8.0.1-1.amzn2023.
        #expect(expected.count == 5, "\(expected.sorted())")
        #expect(!got.contains { $0.contains("curl") })
        print("amazon 2023 e2e: \(got.count) fixed findings (reference \(expected.count)) for \(packages.count) packages")
    }
}

import Foundation
import ShrikeCatalog
import ShrikeCore
import ShrikeTestSupport
@testable import ShrikeVulnDB
import Testing

/// OVAL 5 definitions of Azure Linux / CBL-Mariner (the real files in ../shared/data/os/azurelinux-oval), Oracle ELSA,
/// Red Hat OVAL v2 and SUSE (small samples in Fixtures/oval, see Fixtures/PROVENANCE.md).
@Suite("OVAL import")
struct OVALImportTests {
    static func fixture(_ name: String) -> String { VulnDBFixtures.path("oval/\(name)") }

    static func parse(_ name: String) throws -> OVALParser.Result {
        let path = fixture(name)
        return try OVALParser.parse(try Data(contentsOf: URL(fileURLWithPath: path)), file: name, location: path)
    }

    static func affected(_ result: OVALParser.Result, _ id: String, _ namespace: String, _ package: String) -> [AffectedPackage] {
        result.records.filter { $0.record.vulnerability.id == id }.flatMap(\.record.affected)
            .filter { $0.namespace == namespace && $0.packageName == package }
    }

    // MARK: - Vendor samples

    struct Expected: Sendable, CustomStringConvertible {
        var file: String
        var id: String
        var namespace: String
        var package: String
        var status: AffectedStatus
        /// The fixed version, or nil when the record has no fix.
        var fixed: String?
        var advisories: [String]
        var severity: Severity?
        var description: String { "\(id) \(package) in \(namespace)" }
    }

    @Test("records, namespaces, binary names, advisories and severities of Oracle, Red Hat and SUSE OVAL", arguments: [
        // Oracle: "Oracle Linux 5 is installed" (oraclelinux-release ^5); signature tests ignored; MODERATE.
        Expected(file: "oracle-elsa.xml", id: "CVE-2007-0493", namespace: "oracle:5", package: "bind-libs", status: .affected,
                 fixed: "30:9.3.3-8.el5", advisories: ["ELSA-2007-0057"], severity: .medium),
        Expected(file: "oracle-elsa.xml", id: "CVE-2007-0494", namespace: "oracle:5", package: "bind", status: .affected,
                 fixed: "30:9.3.3-8.el5", advisories: ["ELSA-2007-0057"], severity: .medium),
        // aarch64 was respun at 57.0.4, x86_64 at 57.0.1: the higher fix is kept (and a note says so).
        Expected(file: "oracle-elsa.xml", id: "CVE-2022-24903", namespace: "oracle:7", package: "rsyslog", status: .affected,
                 fixed: "8.24.0-57.0.4.el7_9.3", advisories: ["ELSA-2022-4803"], severity: .high),
        // Red Hat: the release comes from the /etc/redhat-release owner test (^7[^\d]), not the ".NET Core" platform.
        Expected(file: "redhat-rhel7-dotnet.xml", id: "CVE-2020-0603", namespace: "redhat:7", package: "rh-dotnet31-dotnet",
                 status: .affected, fixed: "3.1.101-4.el7", advisories: ["RHSA-2020:0134"], severity: .critical),
        Expected(file: "redhat-rhel7-dotnet.xml", id: "CVE-2020-1161", namespace: "redhat:7", package: "rh-dotnet31-dotnet-host",
                 status: .affected, fixed: "3.1.4-2.el7", advisories: ["RHSA-2020:2249"], severity: .high),
        // "X is installed" AND "X is not installed": Red Hat's unaffected components.
        Expected(file: "redhat-rhel7-dotnet.xml", id: "CVE-2020-0605", namespace: "redhat:7", package: "rh-dotnet31",
                 status: .notAffected, fixed: nil, advisories: [], severity: .medium),
        Expected(file: "redhat-shapes.xml", id: "CVE-2022-2309", namespace: "redhat:9", package: "python3-lxml",
                 status: .affected, fixed: "4.6.5-3.el9", advisories: ["RHSA-2022:8226"], severity: .medium),
        // An unpatched CVE: "ldns is installed" with no version, any version affected.
        Expected(file: "redhat-shapes.xml", id: "CVE-2014-3209", namespace: "redhat:6", package: "ldns",
                 status: .notFixed, fixed: nil, advisories: [], severity: .low),
        // SUSE: sles-ltss-release 15 → sles:15; sles-release 15.1 (SP1-BCL) wins over sles-ltss-release 15.1.
        Expected(file: "suse-oval.xml", id: "CVE-2021-29154", namespace: "sles:15", package: "kernel-default", status: .affected,
                 fixed: "4.12.14-150.72.1", advisories: ["SUSE-SU-2021:1210-1", "SUSE-SU-2021:1211-1", "openSUSE-SU-2021:0579-1"],
                 severity: .high),
        Expected(file: "suse-oval.xml", id: "CVE-2021-29154", namespace: "sles:15.1", package: "kernel-default", status: .affected,
                 fixed: "4.12.14-197.89.2", advisories: ["SUSE-SU-2021:1210-1", "SUSE-SU-2021:1211-1", "openSUSE-SU-2021:0579-1"],
                 severity: .high),
        Expected(file: "suse-oval.xml", id: "CVE-2010-1323", namespace: "sles:15", package: "krb5-server", status: .affected,
                 fixed: "1.15.2-4.25", advisories: [], severity: .medium),
        Expected(file: "suse-oval.xml", id: "CVE-2026-34073", namespace: "sles:15", package: "python3-cryptography",
                 status: .notAffected, fixed: nil, advisories: [], severity: .medium),
        Expected(file: "suse-oval.xml", id: "CVE-2023-38545", namespace: "sles:15.5", package: "libcurl4", status: .affected,
                 fixed: "8.0.1-150400.5.32.1", advisories: ["SUSE-SU-2023:4043-1"], severity: .critical),
        Expected(file: "suse-oval.xml", id: "CVE-2023-38545", namespace: "opensuse-leap:15.5", package: "curl", status: .affected,
                 fixed: "8.0.1-150400.5.32.1", advisories: ["SUSE-SU-2023:4043-1"], severity: .critical),
    ])
    func vendorRecords(_ expected: Expected) throws {
        let result = try Self.parse(expected.file)
        #expect(result.failures.isEmpty, "\(result.failures.map(\.failure))")
        let found = Self.affected(result, expected.id, expected.namespace, expected.package)
        try #require(found.count == 1, "\(found)")
        let record = try #require(found.first)
        #expect(record.status == expected.status)
        #expect(record.ranges.first?.fixedVersion == expected.fixed)
        #expect(record.advisories == expected.advisories)
        #expect(record.severity == expected.severity)
        #expect(record.ecosystem == .redHat)
        let source = try #require(result.records.first { $0.record.vulnerability.id == expected.id && $0.record.affected.contains(record) }?.source)
        #expect(source.name == "oval:\(expected.namespace)" && source.kind == "oval")
    }

    @Test("what a record cannot say is skipped with a reason: Ksplice builds, module streams, per-architecture fixes")
    func skippedWithReasons() throws {
        let oracle = try Self.parse("oracle-elsa.xml")
        #expect(Set(oracle.records.map(\.source.name)) == ["oval:oracle:5", "oval:oracle:7"])
        #expect(!oracle.records.contains { $0.record.affected.contains { $0.packageName.hasPrefix("openssl") } })
        let notes = oracle.skipped.map(\.failure)
        #expect(notes.contains { $0.file == "oracle-elsa.xml#oval:com.oracle.elsa:def:20219151" && $0.reason.contains("Ksplice") && $0.reason.contains("openssl-libs") })
        #expect(notes.contains { $0.file == "oracle-elsa.xml#oval:com.oracle.elsa:def:20224803" && $0.reason.contains("per architecture") && $0.reason.contains("x86_64: fixed in 8.24.0-57.0.1.el7_9.3") })
        #expect(oracle.skipped.first { $0.failure.reason.contains("Ksplice") }?.source.name == "oval:oracle:8")

        let redHat = try Self.parse("redhat-shapes.xml")
        #expect(!redHat.records.contains { $0.record.affected.contains { $0.packageName.hasPrefix("postgresql") } })
        #expect(redHat.skipped.map(\.failure) == [ImportFailure(
            file: "redhat-shapes.xml#oval:com.redhat.rhsa:def:20237785",
            reason: "RHSA-2023:7785: 2 package test(s) apply only with module stream postgresql:15 enabled; Shrike does not read module streams from OVAL, so they are not imported")])
        #expect(redHat.failures.isEmpty)
    }

    @Test("Red Hat: CVSS vectors, advisory and CVE URLs, dates and the title as summary")
    func redHatMetadata() throws {
        let result = try Self.parse("redhat-rhel7-dotnet.xml")
        let vulnerability = try #require(result.records.first { $0.record.vulnerability.id == "CVE-2020-0602" }?.record.vulnerability)
        #expect(vulnerability.cvssVectors == ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"])
        #expect(vulnerability.urls == ["https://access.redhat.com/errata/RHSA-2020:0134", "https://access.redhat.com/security/cve/CVE-2020-0602"])
        #expect(vulnerability.summary?.hasPrefix("RHSA-2020:0134: .NET Core") == true)
        #expect(vulnerability.severity == .critical && vulnerability.source == "oval")
        #expect(vulnerability.published == ISO8601DateFormatter().date(from: "2020-01-16T00:00:00Z"))
    }

    @Test("through the store and matcher: SUSE and Oracle binary names in their own releases")
    func matchesVendorSamples() throws {
        let store = try SQLiteAdvisoryStore.inMemory()
        _ = try store.importAdvisories(["suse-oval.xml", "oracle-elsa.xml"].map { AdvisoryPathImporter(path: Self.fixture($0)) })
        func ids(_ name: String, _ version: String, _ distro: Distro) throws -> [String] {
            let package = Package(name: name, version: version, type: .rpm,
                                  purl: PackageURL(type: "rpm", name: name, version: version), sourceName: "unrelated-source")
            return try Matcher(store: store).match(package, distro: distro).matches.map {
                "\($0.vulnerability.id) \($0.vulnerability.status) \($0.vulnerability.fixedVersion ?? "-")"
            }
        }
        let sles155 = Distro(id: "sles", versionID: "15.5")
        #expect(try ids("libcurl4", "8.0.1-150400.5.26.1", sles155) == ["CVE-2023-38545 fixed 8.0.1-150400.5.32.1"])
        #expect(try ids("libcurl4", "8.0.1-150400.5.32.1", sles155).isEmpty)
        #expect(try ids("libcurl4", "8.0.1-150400.5.26.1", Distro(id: "opensuse-leap", versionID: "15.5")).isEmpty)
        #expect(try ids("rsyslog", "8.24.0-57.el7", Distro(id: "ol", versionID: "7.9")) == ["CVE-2022-24903 fixed 8.24.0-57.0.4.el7_9.3"])
        #expect(try ids("python3-cryptography", "3.3.2-1", Distro(id: "sles", versionID: "15")).isEmpty)
    }

    // MARK: - Bad input

    /// An Azure Linux-shaped document: each entry is (definition id, test ref, test xml?, object xml?, state xml?).
    static func azureDocument(_ definitions: [(id: String, test: String)], tests: String, objects: String, states: String) -> Data {
        let body = definitions.map { definition in
            """
            <definition class="vulnerability" id="oval:com.microsoft.azurelinux:def:\(definition.id)" version="1">
              <metadata><title>CVE-2024-\(definition.id) affecting package zlib</title>
                <affected family="unix"><platform>Azure Linux</platform></affected>
                <reference ref_id="CVE-2024-\(definition.id)" ref_url="https://nvd.nist.gov/vuln/detail/CVE-2024-\(definition.id)" source="CVE"/>
                <patchable>true</patchable><advisory_id>\(definition.id)-1</advisory_id><severity>Important</severity>
              </metadata>
              <criteria operator="AND"><criterion comment="zlib" test_ref="\(definition.test)"/></criteria>
            </definition>
            """
        }.joined(separator: "\n")
        return Data("""
            <oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5" xmlns:linux-def="http://oval.mitre.org/XMLSchema/oval-definitions-5#linux">
            <definitions>\(body)</definitions>
            <tests>\(tests)</tests><objects>\(objects)</objects><states>\(states)</states>
            </oval_definitions>
            """.utf8)
    }

    static let goodTest = #"<linux-def:rpminfo_test check="at least one" id="tst:1"><linux-def:object object_ref="obj:1"/><linux-def:state state_ref="ste:1"/></linux-def:rpminfo_test>"#
    static let goodObject = #"<linux-def:rpminfo_object id="obj:1"><linux-def:name>zlib</linux-def:name></linux-def:rpminfo_object>"#
    static let goodState = #"<linux-def:rpminfo_state id="ste:1"><linux-def:evr datatype="evr_string" operation="less than">0:1.3.1-2.azl3</linux-def:evr></linux-def:rpminfo_state>"#

    @Test("a definition that references what the file does not define, or an operation Shrike does not evaluate, is one counted failure naming it",
          arguments: [
            ("tst:missing", "", "references test tst:missing"),
            ("tst:2", #"<linux-def:rpminfo_test id="tst:2"><linux-def:object object_ref="obj:missing"/><linux-def:state state_ref="ste:1"/></linux-def:rpminfo_test>"#,
             "object obj:missing"),
            ("tst:2", #"<linux-def:rpminfo_test id="tst:2"><linux-def:object object_ref="obj:1"/><linux-def:state state_ref="ste:missing"/></linux-def:rpminfo_test>"#,
             "state ste:missing"),
            ("tst:2", #"<linux-def:rpminfo_test id="tst:2"><linux-def:object object_ref="obj:1"/><linux-def:state state_ref="ste:2"/></linux-def:rpminfo_test>"#,
             "operation 'greater than'"),
          ])
    func brokenDefinition(testRef: String, extraTest: String, reason: String) throws {
        let badState = #"<linux-def:rpminfo_state id="ste:2"><linux-def:evr datatype="evr_string" operation="greater than">0:1.0-1.azl3</linux-def:evr></linux-def:rpminfo_state>"#
        let data = Self.azureDocument([("1000", "tst:1"), ("2000", testRef)], tests: Self.goodTest + extraTest,
                                      objects: Self.goodObject, states: Self.goodState + badState)
        let result = try OVALParser.parse(data, file: "azurelinux-3.0-oval.xml", location: "/x")
        #expect(result.records.map(\.record.vulnerability.id) == ["CVE-2024-1000"])
        #expect(result.records.first?.record.affected.first?.ranges.first?.fixedVersion == "1.3.1-2.azl3")
        #expect(result.records.first?.record.affected.first?.severity == .high)
        #expect(result.failures.count == 1)
        let failure = try #require(result.failures.first)
        #expect(failure.failure.file == "azurelinux-3.0-oval.xml#oval:com.microsoft.azurelinux:def:2000")
        #expect(failure.failure.reason.contains("oval:com.microsoft.azurelinux:def:2000") && failure.failure.reason.contains(reason), "\(failure.failure.reason)")
        #expect(failure.source.name == "oval:azurelinux:3.0")
    }

    @Test("a document that is not well-formed OVAL is unreadable as a whole", arguments: [
        ("truncated", ShrikeError.Code.malformed),
        ("{\"not\": \"xml\"}", .malformed),
        (#"<?xml version="1.0"?><updates><update/></updates>"#, .unsupportedFormat),
        (#"<oval_definitions xmlns="http://oval.mitre.org/XMLSchema/oval-definitions-5"><definitions><definition id="oval:com.ubuntu.jammy:def:1" class="patch"/></definitions></oval_definitions>"#, .unsupportedFormat),
    ])
    func unreadable(text: String, code: ShrikeError.Code) throws {
        var data = Data(text.utf8)
        if text == "truncated" {
            let whole = Self.azureDocument([("1000", "tst:1")], tests: Self.goodTest, objects: Self.goodObject, states: Self.goodState)
            data = whole.prefix(whole.count - 40)
        }
        let error = #expect(throws: ShrikeError.self) { try OVALParser.parse(data, file: "f.xml", location: "/x") }
        #expect(error?.code == code, "\(String(describing: error))")
    }

    @Test("a document past libxml2's 10 MB one-chunk limit is read (Red Hat's are hundreds of MB)")
    func largeDocument() throws {
        let count = 30_000
        var tests = "", objects = "", states = ""
        for index in 0..<count {
            tests += #"<linux-def:rpminfo_test check="at least one" id="tst:\#(index)"><linux-def:object object_ref="obj:\#(index)"/><linux-def:state state_ref="ste:\#(index)"/></linux-def:rpminfo_test>"#
            objects += #"<linux-def:rpminfo_object id="obj:\#(index)"><linux-def:name>package-\#(index % 700)</linux-def:name></linux-def:rpminfo_object>"#
            states += #"<linux-def:rpminfo_state id="ste:\#(index)"><linux-def:evr datatype="evr_string" operation="less than">0:1.\#(index)-1.azl3</linux-def:evr></linux-def:rpminfo_state>"#
        }
        let data = Self.azureDocument((0..<count).map { (String(10_000 + $0), "tst:\($0)") }, tests: tests, objects: objects, states: states)
        #expect(data.count > 12_000_000)
        let result = try OVALParser.parse(data, file: "azurelinux-3.0-oval.xml", location: "/x")
        #expect(result.records.count == count && result.failures.isEmpty)
    }

    @Test("a truncated file aborts the import: the store keeps what it had")
    func truncatedImportLeavesStore() throws {
        let dir = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let whole = try Data(contentsOf: URL(fileURLWithPath: Self.fixture("suse-oval.xml")))
        let truncated = dir + "/suse-oval.xml"
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: truncated))
        let store = try SQLiteAdvisoryStore.inMemory()
        let first = try store.importAdvisories([AdvisoryPathImporter(path: Self.fixture("suse-oval.xml"))])
        #expect(first.totalRecords == 6 && first.totalFailed == 0)
        let before = try store.rowCounts()
        let error = #expect(throws: ShrikeError.self) {
            try store.importAdvisories([AdvisoryPathImporter(path: truncated)])
        }
        #expect(error?.code == .malformed)
        #expect(error?.message.contains("truncated") == true, "\(String(describing: error))")
        #expect(try store.rowCounts() == before)
        #expect(try store.status().sources.map(\.name).sorted() == first.sources.map(\.name).sorted())

        // In a directory the same file is one failure among the others.
        try Data(contentsOf: URL(fileURLWithPath: Self.fixture("oracle-elsa.xml"))).write(to: URL(fileURLWithPath: dir + "/oracle-elsa.xml"))
        let sink = CollectingAdvisorySink()
        try AdvisoryPathImporter(path: dir).importAdvisories(into: sink)
        #expect(sink.allFailures.map(\.file) == ["suse-oval.xml"])
        #expect(Set(sink.records.keys.map(\.name)) == ["oval:oracle:5", "oval:oracle:7"])
    }

    // MARK: - Azure Linux and CBL-Mariner, real data end to end

    static let azureFiles = [
        (file: "os/azurelinux-oval/azurelinux-3.0-oval.xml", distro: Distro(id: "azurelinux", versionID: "3.0"), namespace: "azurelinux:3.0"),
        (file: "os/azurelinux-oval/cbl-mariner-1.0-oval.xml", distro: Distro(id: "mariner", versionID: "1.0"), namespace: "mariner:1.0"),
    ]
    static var haveAzureData: Bool { azureFiles.allSatisfy { SharedData.has($0.file) } }
    static var canCompare: Bool { haveAzureData && ExternalTool.find("rpm") != nil && ExternalTool.find("python3") != nil }

    @Test("Azure Linux: namespace from the dist tag, patchable false is not fixed, Not Applicable is not affected",
          .enabled(if: haveAzureData, Comment(rawValue: SharedData.reason("os/azurelinux-oval"))))
    func azureSemantics() throws {
        let mariner = SharedData.path(Self.azureFiles[1].file)
        let result = try OVALParser.parse(try Data(contentsOf: URL(fileURLWithPath: mariner)), file: "cbl-mariner-1.0-oval.xml", location: mariner)
        #expect(Set(result.records.map(\.source.name)) == ["oval:mariner:1.0"])
        #expect(result.failures.isEmpty && result.skipped.isEmpty)
        // "No patch is available currently": installed with version 6.04-9 or earlier.
        let syslinux = Self.affected(result, "CVE-2022-3857", "mariner:1.0", "syslinux")
        #expect(syslinux.map(\.status) == [.notFixed])
        #expect(syslinux.first?.ranges == [AffectedRange(kind: .ecosystem, events: [.introduced("0"), .lastAffected("6.04-9.cm1")])])
        #expect(syslinux.first?.vendorStatus == "not patchable" && syslinux.first?.advisories == ["13816"])
        // Fixed in 0.36.0-3 by one definition and "no patch up to 0.40.0-3" by an older one: the fix below, unfixed above.
        let pixman = Self.affected(result, "CVE-2022-44638", "mariner:1.0", "pixman")
        #expect(pixman.map(\.status) == [.affected, .notFixed])
        #expect(pixman.last?.ranges.first?.events == [.introduced("0.36.0-3.cm1"), .lastAffected("0.40.0-3.cm1")])

        let azure = SharedData.path(Self.azureFiles[0].file)
        let azl = try OVALParser.parse(try Data(contentsOf: URL(fileURLWithPath: azure)), file: "azurelinux-3.0-oval.xml", location: azure)
        // "This CVE either no longer is or was never applicable."
        let hypervisor = Self.affected(azl, "CVE-2023-45853", "azurelinux:3.0", "cloud-hypervisor")
        #expect(hypervisor.map(\.status) == [.notAffected] && hypervisor.first?.vendorStatus == "not applicable")
        let oath = Self.affected(azl, "CVE-2024-47191", "azurelinux:3.0", "oath-toolkit")
        #expect(oath.first?.ranges.first?.fixedVersion == "2.6.7-3.azl3" && oath.first?.vendorStatus == "patchable")
        #expect(oath.first?.advisories == ["50124-1"] && oath.first?.severity == .high)
    }

    /// The reference: reads the OVAL with ElementTree, samples 200 source names evenly, and for each of their state
    /// versions installs the version itself, one release below and one above. Orders versions with rpm's own
    /// `rpm.vercmp` (one batch through a Lua file). A (CVE, package) is fixed in the highest `less than` version of
    /// its `patchable true` definitions when the installed version is below it; otherwise it is not fixed when a
    /// `patchable false` definition (or a `less than or equal` one) still covers it; `Not Applicable` never matches.
    /// Prints `pkg name version`, `fixed CVE name version fix` and `notfixed CVE name version` lines.
    static let azureReference = #"""
    import os, subprocess, sys, tempfile
    import xml.etree.ElementTree as ET
    D = '{http://oval.mitre.org/XMLSchema/oval-definitions-5}'
    L = '{http://oval.mitre.org/XMLSchema/oval-definitions-5#linux}'
    root = ET.parse(sys.argv[1]).getroot()
    states = {s.get('id'): s.find(L + 'evr') for s in root.iter(L + 'rpminfo_state')}
    objects = {o.get('id'): o.find(L + 'name').text for o in root.iter(L + 'rpminfo_object')}
    tests = {t.get('id'): t for t in root.iter(L + 'rpminfo_test')}
    # rpm prints no 0 epoch; Microsoft writes a few versions as '0: 1.20.10-1.azl3' (rpm.vercmp skips the space).
    strip = lambda v: (v[2:] if v.startswith('0:') else v).strip()
    claims = {}
    for d in root.iter(D + 'definition'):
        m = d.find(D + 'metadata')
        patchable = m.findtext(D + 'patchable')
        if patchable == 'Not Applicable': continue
        cve = m.find(D + 'reference').get('ref_id')
        for c in d.iter(D + 'criterion'):
            t = tests[c.get('test_ref')]
            evr = states[t.find(L + 'state').get('state_ref')]
            name = objects[t.find(L + 'object').get('object_ref')]
            fixed = patchable == 'true' and evr.get('operation') == 'less than'
            claims.setdefault(name, []).append((cve, strip(evr.text), evr.get('operation') == 'less than or equal', fixed))
    names = sorted(claims)
    step = max(1, len(names) // 200)
    sample = names[::step][:200]
    def around(v):
        if '-' not in v: return [v + '~0', v, v + '.1']  # Microsoft writes a few versions without a release
        version, release = v.rsplit('-', 1)
        head, dot, tail = release.partition('.')
        if head.isdigit():
            above = version + '-' + str(int(head) + 1) + dot + tail
            below = version + '-' + str(int(head) - 1) + dot + tail if int(head) > 0 else version + '~0-' + release
        else:
            above, below = v + '.1', version + '~0-' + release
        return [below, v, above]
    installed = sorted({(n, x) for n in sample for (_, v, _, _) in claims[n] for x in around(v)})
    pairs = sorted({(x, v) for n, x in installed for (_, v, _, _) in claims[n]} |
                   {(a[1], b[1]) for n in sample for a in claims[n] for b in claims[n]})
    lua = tempfile.NamedTemporaryFile('w', suffix='.lua', delete=False)
    lua.write('local pairs = {\n' + ''.join('{"%s","%s"},\n' % p for p in pairs) + '}\n')
    lua.write('for _, p in ipairs(pairs) do io.write(rpm.vercmp(p[1], p[2]), "\\n") end\n')
    lua.close()
    out = subprocess.run(['rpm', '--eval', '%%{lua: dofile("%s")}' % lua.name], capture_output=True, text=True, check=True).stdout.split()
    os.unlink(lua.name)
    assert len(out) == len(pairs), (len(out), len(pairs))
    cmp = {p: int(o) for p, o in zip(pairs, out)}
    def highest(versions):
        # (version, inclusive); on a tie the inclusive bound is the wider one, else the first seen stays.
        best = None
        for v in versions:
            if best is None or cmp[(v[0], best[0])] > 0 or (cmp[(v[0], best[0])] == 0 and v[1] and not best[1]): best = v
        return best
    for n, x in installed: print('pkg', n, x)
    for n, x in installed:
        for cve in sorted({c for c, _, _, _ in claims[n]}):
            mine = [c for c in claims[n] if c[0] == cve]
            fixes = [(v, False) for _, v, _, f in mine if f]
            fix = highest(fixes)[0] if fixes else None
            if fix is not None and cmp[(x, fix)] < 0:
                print('fixed', cve, n, x, fix)
                continue
            unfixed = [(v, incl) for _, v, incl, f in mine if not f]
            if not unfixed: continue
            bound = highest(unfixed)
            covered = cmp[(x, bound[0])] < 0 or (bound[1] and cmp[(x, bound[0])] == 0)
            if covered and (fix is None or cmp[(x, fix)] >= 0): print('notfixed', cve, n, x)
    """#

    @Test("end to end: a package set built from the real Azure Linux 3.0 and CBL-Mariner 1.0 OVAL matches exactly what rpm.vercmp decides",
          .enabled(if: canCompare, "needs ../shared/data/os/azurelinux-oval, rpm and python3"),
          arguments: 0..<2)
    func azureEndToEnd(index: Int) throws {
        let (relative, distro, namespace) = Self.azureFiles[index]
        let file = SharedData.path(relative)
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-oval-\(UUID().uuidString).py").path
        try Self.azureReference.write(toFile: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: script) }
        let run = try ExternalTool.run(["python3", script, file])
        try #require(run.status == 0, "reference failed: \(run.stderr)")
        var packages: [Package] = []
        var expectedFixed = Set<String>()
        var expectedNotFixed = Set<String>()
        for line in run.stdout.split(separator: "\n") {
            let fields = line.split(separator: " ").map(String.init)
            switch fields.first {
            case "pkg":
                packages.append(Package(name: fields[1], version: fields[2], type: .rpm,
                                        purl: PackageURL(type: "rpm", namespace: distro.id, name: fields[1], version: fields[2]),
                                        sourceName: fields[1]))
            case "fixed": expectedFixed.insert(fields[1...4].joined(separator: " "))
            case "notfixed": expectedNotFixed.insert(fields[1...3].joined(separator: " "))
            default: Issue.record("unexpected reference line \(line)")
            }
        }
        #expect(packages.count > 500 && expectedFixed.count > 300, "\(packages.count) packages, \(expectedFixed.count) fixed")

        let store = try SQLiteAdvisoryStore.inMemory()
        let started = Date()
        let report = try store.importAdvisories([AdvisoryPathImporter(path: file)])
        let seconds = Date().timeIntervalSince(started)
        #expect(report.sources.map(\.name) == ["oval:\(namespace)"])
        #expect(report.totalFailed == 0)
        let sbom = SBOM(source: .init(type: "dir", path: file), distro: distro, packages: packages)
        let result = try Matcher(store: store).match(sbom)
        #expect(result.warnings.count == 0, "\(result.warnings.prefix(3))")
        #expect(result.matches.allSatisfy { $0.vulnerability.namespace == namespace })
        let fixed = Set(result.matches.filter { $0.vulnerability.status == .fixed }.map {
            "\($0.vulnerability.id) \($0.package.name) \($0.package.version) \($0.vulnerability.fixedVersion ?? "-")"
        })
        let notFixed = Set(result.matches.filter { $0.vulnerability.status == .notFixed }.map {
            "\($0.vulnerability.id) \($0.package.name) \($0.package.version)"
        })
        #expect(result.matches.allSatisfy { $0.vulnerability.status == .fixed || $0.vulnerability.status == .notFixed })
        // Compared through the differences, so that a failure prints a few lines and not ten thousand.
        let fixedOnlyShrike = fixed.subtracting(expectedFixed).sorted(), fixedOnlyReference = expectedFixed.subtracting(fixed).sorted()
        #expect(fixedOnlyShrike.isEmpty && fixedOnlyReference.isEmpty,
                "fixed: \(fixedOnlyShrike.count) only Shrike \(fixedOnlyShrike.prefix(5)), \(fixedOnlyReference.count) only reference \(fixedOnlyReference.prefix(5))")
        let openOnlyShrike = notFixed.subtracting(expectedNotFixed).sorted(), openOnlyReference = expectedNotFixed.subtracting(notFixed).sorted()
        #expect(openOnlyShrike.isEmpty && openOnlyReference.isEmpty,
                "not fixed: \(openOnlyShrike.count) only Shrike \(openOnlyShrike.prefix(5)), \(openOnlyReference.count) only reference \(openOnlyReference.prefix(5))")
        let source = try #require(report.sources.first)
        print("oval e2e \(namespace): imported \(source.records) records (\(source.affected) package records, \(source.failed) failed, \(source.skipped) skipped) in \(String(format: "%.2f", seconds)) s; \(packages.count) packages → \(fixed.count) fixed, \(notFixed.count) not fixed (reference \(expectedFixed.count)/\(expectedNotFixed.count))")
    }
}

import Foundation
import ShrikeCatalog
import ShrikeCore
import ShrikeTestSupport
import Testing
@testable import ShrikeVulnDB

/// Red Hat's CSAF VEX documents. The fixtures (Fixtures/PROVENANCE.md) are real documents cut down to a few products:
/// curl CVE-2023-38545 as the CSAF Generator 3.3.1 writes it (binary rpms with `upstream=`), libtiff CVE-2023-6228 and
/// redis CVE-2022-24834 as Red Hat's SDEngine writes them (binary rpms with an arch, a module stream), and libtiff
/// CVE-2023-6228 as CSAF Generator 2.0.1 writes it (`source-only/`). Expected values were read from the fixtures by
/// eye; the end-to-end verdicts come from rpm's own `rpm.vercmp`.
@Suite("Red Hat CSAF VEX import")
struct CSAFVEXImportTests {
    // MARK: - A document built in code

    struct Remediation: Sendable, CustomStringConvertible {
        var category: String
        var details: String?
        var url: String?
        var description: String { "\(category) \(details ?? "")" }
    }

    /// One RHEL 9 platform and one component, `status` naming their relationship, `remediation` on it.
    static func document(status: String = "fixed", remediation: Remediation? = nil,
                         purl: String = "pkg:rpm/redhat/openssl-libs@3.0.7-18.el9_2?arch=x86_64&epoch=1",
                         cpe: String = "cpe:/o:redhat:enterprise_linux:9::baseos",
                         relatesTo: String = "BaseOS-9.2.0.Z.MAIN", extraStatus: String = "",
                         category: String = "csaf_vex", trackingID: String = "CVE-2024-0001",
                         cve: String? = "CVE-2024-0001") throws -> AdvisoryDocument {
        let remediations = remediation.map { item in
            let details = item.details.map { #", "details": "\#($0)""# } ?? ""
            let url = item.url.map { #", "url": "\#($0)""# } ?? ""
            return #"[{"category": "\#(item.category)"\#(details)\#(url), "product_ids": ["BaseOS-9.2.0.Z.MAIN:component"]}]"#
        } ?? "[]"
        let json = #"""
        {"document": {"category": "\#(category)", "aggregate_severity": {"text": "Moderate"},
                      "tracking": {"id": "\#(trackingID)", "initial_release_date": "2024-01-02T00:00:00+00:00",
                                   "current_release_date": "2024-03-04T05:06:07+00:00"}},
         "product_tree": {"branches": [{"category": "vendor", "name": "Red Hat", "branches": [
             {"category": "product_name", "name": "Red Hat Enterprise Linux BaseOS (v. 9)",
              "product": {"name": "Red Hat Enterprise Linux BaseOS (v. 9)", "product_id": "BaseOS-9.2.0.Z.MAIN",
                          "product_identification_helper": {"cpe": "\#(cpe)"}}},
             {"category": "product_version", "name": "component",
              "product": {"name": "component", "product_id": "component",
                          "product_identification_helper": {"purl": "\#(purl)"}}}]}],
           "relationships": [{"category": "default_component_of",
                              "full_product_name": {"name": "component", "product_id": "BaseOS-9.2.0.Z.MAIN:component"},
                              "product_reference": "component", "relates_to_product_reference": "\#(relatesTo)"}]},
         "vulnerabilities": [{\#(cve.map { #""cve": "\#($0)", "# } ?? "")"title": "a flaw",
                              "notes": [{"category": "description", "text": "A flaw was found in a component.", "title": "Vulnerability description"}],
                              "product_status": {"\#(status)": ["BaseOS-9.2.0.Z.MAIN:component"]\#(extraStatus)},
                              "remediations": \#(remediations),
                              "threats": [{"category": "impact", "details": "Important", "product_ids": ["BaseOS-9.2.0.Z.MAIN:component"]}]}]}
        """#
        return try AdvisoryDocument.parse(Data(json.utf8), isYAML: false)
    }

    static func parse(_ document: AdvisoryDocument) throws -> CSAFVEXParser.Result {
        try CSAFVEXParser.parse(document, file: "cve-2024-0001.json")
    }

    // MARK: - Status × remediation

    @Test("each product status and remediation becomes Shrike's status, the vendor's word, a range and advisories",
          arguments: [(String, Remediation?, AffectedStatus, String, String?, [String])]([
        ("fixed", Remediation(category: "vendor_fix", details: "Apply advisory RHSA-2023:5763 as per vendors instructions.",
                              url: "https://access.redhat.com/errata/RHSA-2023:5763"),
         .affected, "fixed", "1:3.0.7-18.el9_2", ["RHSA-2023:5763"]),
        ("fixed", nil, .affected, "fixed", "1:3.0.7-18.el9_2", []),
        ("known_affected", Remediation(category: "no_fix_planned", details: "Will not fix"), .wontFix, "will not fix", nil, []),
        ("known_affected", Remediation(category: "no_fix_planned", details: "Out of support scope"),
         .wontFix, "out of support scope", nil, []),
        ("known_affected", Remediation(category: "none_available", details: "Affected"), .notFixed, "affected", nil, []),
        ("known_affected", Remediation(category: "none_available", details: "Fix deferred"), .notFixed, "fix deferred", nil, []),
        ("known_affected", Remediation(category: "workaround", details: "Do not use SOCKS5."), .notFixed, "affected", nil, []),
        ("known_affected", nil, .notFixed, "affected", nil, []),
        ("under_investigation", nil, .notFixed, "under investigation", nil, []),
        ("known_not_affected", nil, .notAffected, "not affected", nil, []),
    ]))
    func statuses(status: String, remediation: Remediation?, expected: AffectedStatus, word: String, fixed: String?,
                  advisories: [String]) throws {
        let result = try Self.parse(Self.document(status: status, remediation: remediation))
        #expect(result.failures.isEmpty, "\(result.failures)")
        let package = try #require(result.records.first?.affected.first)
        #expect(result.records.first?.affected.count == 1)
        #expect(package.namespace == "redhat:9" && package.packageName == "openssl-libs" && package.ecosystem == .redHat)
        #expect(package.status == expected)
        #expect(package.vendorStatus == word)
        #expect(package.ranges == (fixed.map { [AffectedRange(kind: .ecosystem, events: [.introduced("0"), .fixed($0)])] } ?? []))
        #expect(package.advisories == advisories)
        #expect(package.severity == .high, "the product's own impact, Important, over the aggregate Moderate")
    }

    @Test("the vulnerability: its CVE, the title as summary, the aggregate severity, Red Hat's dates")
    func vulnerabilityFields() throws {
        let record = try #require(try Self.parse(Self.document()).records.first)
        #expect(record.vulnerability.id == "CVE-2024-0001")
        #expect(record.vulnerability.summary == "a flaw", "the short title, not the description")
        #expect(record.vulnerability.severity == .medium)
        #expect(record.vulnerability.source == "redhat-csaf")
        #expect(record.vulnerability.published == Date(timeIntervalSince1970: 1_704_153_600), "2024-01-02T00:00:00+00:00")
        #expect(record.vulnerability.modified == Date(timeIntervalSince1970: 1_709_528_767), "2024-03-04T05:06:07+00:00")
    }

    @Test("an RHSA's CSAF (csaf_security_advisory) reads the same way: one record per CVE, the RHSA id when no vendor_fix names it")
    func securityAdvisory() throws {
        let advisory = try Self.parse(Self.document(category: "csaf_security_advisory", trackingID: "RHSA-2023:5763"))
        #expect(advisory.records.map(\.vulnerability.id) == ["CVE-2024-0001"])
        #expect(advisory.records.first?.affected.first?.advisories == ["RHSA-2023:5763"])
        // A VEX document is about its tracking id; an RHSA's vulnerability must name its CVE.
        let vex = try Self.parse(Self.document(cve: nil))
        #expect(vex.records.map(\.vulnerability.id) == ["CVE-2024-0001"])
        let unnamed = try Self.parse(Self.document(category: "csaf_security_advisory", trackingID: "RHSA-2023:5763", cve: nil))
        #expect(unnamed.records.isEmpty)
        #expect(unnamed.failures == [ImportFailure(file: "cve-2024-0001.json#vulnerabilities[0]", reason: "a vulnerability without 'cve'")])
        #expect(CSAFVEXParser.isCSAF(try Self.document(category: "csaf_base")) == false)
    }

    // MARK: - Platforms and components

    @Test("a platform CPE names a RHEL stream, or is not RHEL", arguments: [(String, String?, CSAFVEXParser.RHELStream.Tier?)]([
        ("cpe:/o:redhat:enterprise_linux:9::baseos", "redhat:9", .main),
        ("cpe:/a:redhat:enterprise_linux:9::appstream", "redhat:9", .main),
        ("cpe:/a:redhat:enterprise_linux:9", "redhat:9", .main),
        ("cpe:/o:redhat:enterprise_linux:10.0", "redhat:10", .main),
        ("cpe:/o:redhat:enterprise_linux:7::server", "redhat:7", .main),
        ("cpe:/a:redhat:enterprise_linux:8::crb", "redhat:8", .main),
        ("cpe:/a:redhat:rhel_e6s:8.10", "redhat:8", .main),
        ("cpe:2.3:o:redhat:enterprise_linux:9:*:*:*:*:*:*:*", "redhat:9", .main),
        ("cpe:/o:redhat:rhel_els:7", "redhat:7", .extendedLife),
        ("cpe:/a:redhat:rhel_eus:9.2::appstream", "redhat:9", .pinnedMinor),
        ("cpe:/o:redhat:rhel_eus:9.0::baseos", "redhat:9", .pinnedMinor),
        ("cpe:/a:redhat:rhel_aus:8.2", "redhat:8", .pinnedMinor),
        ("cpe:/a:redhat:rhel_e4s:8.4::appstream", "redhat:8", .pinnedMinor),
        ("cpe:/a:redhat:rhel_tus:8.6::appstream", "redhat:8", .pinnedMinor),
        ("cpe:/a:redhat:rhel_eus_long_life:8.4::appstream", "redhat:8", .pinnedMinor),
        ("cpe:/a:redhat:satellite:6", nil, nil),
        ("cpe:/a:redhat:rhel_satellite_client:6::el9", nil, nil),
        ("cpe:/a:redhat:rhel_software_collections:3", nil, nil),
        ("cpe:/a:redhat:rhel_dotnet:6.0::el7", nil, nil),
        ("cpe:/a:redhat:openshift:4.16", nil, nil),
        ("cpe:/o:redhat:enterprise_linux", nil, nil),
        ("cpe:/o:centos:enterprise_linux:9", nil, nil),
        ("enterprise_linux:9", nil, nil),
    ]))
    func platforms(cpe: String, namespace: String?, tier: CSAFVEXParser.RHELStream.Tier?) {
        let stream = CSAFVEXParser.stream(ofCPE: cpe)
        #expect(stream?.namespace == namespace)
        #expect(stream?.tier == tier)
    }

    typealias Rpm = CSAFVEXParser.RpmComponent

    @Test("a component purl names an rpm (binary or source, epoch, module stream) or is skipped",
          arguments: [(String?, CSAFVEXParser.ComponentReading)]([
        ("pkg:rpm/redhat/openssl@3.0.7-18.el9_2?arch=src&epoch=1",
         .rpm(Rpm(name: "openssl", evr: "1:3.0.7-18.el9_2", isSource: true))),
        ("pkg:rpm/redhat/libcurl@7.76.1-26.el9_3.2?epoch=0&upstream=curl",
         .rpm(Rpm(name: "libcurl", evr: "7.76.1-26.el9_3.2", isSource: false))),
        ("pkg:rpm/redhat/libtiff@4.4.0-12.el9?arch=x86_64", .rpm(Rpm(name: "libtiff", evr: "4.4.0-12.el9", isSource: false))),
        ("pkg:rpm/redhat/libtiff-devel", .rpm(Rpm(name: "libtiff-devel", evr: nil, isSource: false))),
        ("pkg:rpm/redhat/curl?arch=src", .rpm(Rpm(name: "curl", evr: nil, isSource: true))),
        ("pkg:rpm/redhat/redis@6.2.17-1.module%2Bel8.10.0%2B22680%2B748527fd?arch=x86_64&rpmmod=redis:6:8100020250113083959:489197e6",
         .rpm(Rpm(name: "redis", evr: "6.2.17-1.module+el8.10.0+22680+748527fd", isSource: false, moduleStream: "redis:6"))),
        ("pkg:rpm/redhat/python39@3.9-8100020240826142629.d47b87a4?epoch=0", .skipped(.moduleBuild, name: "python39")),
        ("pkg:rpmmod/redhat/ruby@2.5:8090020230627084142:b46abd14", .skipped(.moduleBuild, name: nil)),
        ("pkg:rpm/redhat/python2?arch=src&rpmmod=gimp:flatpak", .skipped(.flatpak, name: nil)),
        ("pkg:rpm/redhat/firefox-flatpak?arch=src&rpmmod=rhel10", .skipped(.flatpak, name: nil)),
        ("pkg:oci/redis-6-container?repository_url=registry.redhat.io/redis-6-container", .skipped(.notRPM, name: nil)),
        ("pkg:maven/org.apache.camel/camel-http", .skipped(.notRPM, name: nil)),
        (nil, .skipped(.noPurl, name: nil)),
        ("pkg:rpm/redhat/kernel@5.14.0", .invalid("'pkg:rpm/redhat/kernel@5.14.0': version '5.14.0' has no release (expected version-release)")),
        ("pkg:rpm/redhat/bash@5.1-6.el9?epoch=x", .invalid("'pkg:rpm/redhat/bash@5.1-6.el9?epoch=x': epoch 'x' is not a number")),
        ("rpm:bash", .invalid("'rpm:bash' is not a package URL")),
    ]))
    func components(purl: String?, expected: CSAFVEXParser.ComponentReading) {
        #expect(CSAFVEXParser.component(purl: purl) == expected)
    }

    /// The platform, rpm and version a full product id of a real fixture resolves to through its relationship.
    static func resolve(_ fixture: String, _ productID: String) throws -> (String?, CSAFVEXParser.ComponentReading?) {
        let data = try Data(contentsOf: URL(fileURLWithPath: VulnDBFixtures.path("redhat-csaf/\(fixture)")))
        let document = try AdvisoryDocument.parse(data, isYAML: false)
        let tree = try CSAFVEXParser.ProductTree(try #require(document["product_tree"]))
        #expect(tree.failures.isEmpty, "\(tree.failures)")
        guard let relationship = tree.relationships[productID] else { return (nil, nil) }
        return (tree.products[relationship.platform]?.cpe.flatMap(CSAFVEXParser.stream(ofCPE:))?.namespace,
                CSAFVEXParser.component(purl: tree.products[relationship.component]?.purl))
    }

    @Test("the product tree resolves real full product ids to a namespace, an rpm name and its version",
          arguments: [(String, String, String?, CSAFVEXParser.ComponentReading?)]([
        ("vex/cve-2023-38545.json", "rhel-9.3.0.z::baseos:curl/libcurl-0:7.76.1-26.el9_3.2", "redhat:9",
         .rpm(Rpm(name: "libcurl", evr: "7.76.1-26.el9_3.2", isSource: false))),
        ("vex/cve-2023-38545.json", "rhel-9.3.0.z::baseos:curl-0:7.76.1-26.el9_3.2.src", "redhat:9",
         .rpm(Rpm(name: "curl", evr: "7.76.1-26.el9_3.2", isSource: true))),
        ("vex/cve-2023-38545.json", "rhel-9.4.0:curl/libcurl", "redhat:9", .rpm(Rpm(name: "libcurl", evr: nil, isSource: false))),
        ("vex/cve-2023-38545.json", "rhel-7-els.els:curl.src", "redhat:7", .rpm(Rpm(name: "curl", evr: nil, isSource: true))),
        ("vex/cve-2023-38545.json", "rhn_satellite_6.11:puppet-agent.src", nil,
         .rpm(Rpm(name: "puppet-agent", evr: nil, isSource: true))),
        ("vex/cve-2023-6228.json", "AppStream-9.4.0.GA:libtiff-0:4.4.0-12.el9.x86_64", "redhat:9",
         .rpm(Rpm(name: "libtiff", evr: "4.4.0-12.el9", isSource: false))),
        ("vex/cve-2023-6228.json", "red_hat_enterprise_linux_7:libtiff-devel", "redhat:7",
         .rpm(Rpm(name: "libtiff-devel", evr: nil, isSource: false))),
        ("vex/cve-2022-24834.json", "AppStream-8.10.0.Z.MAIN.EUS:redis-0:6.2.17-1.module+el8.10.0+22680+748527fd.x86_64::redis:6",
         "redhat:8", .rpm(Rpm(name: "redis", evr: "6.2.17-1.module+el8.10.0+22680+748527fd", isSource: false, moduleStream: "redis:6"))),
        ("vex/cve-2022-24834.json", "red_hat_enterprise_linux_9:redis-6-container", "redhat:9", .skipped(.notRPM, name: nil)),
        ("vex/cve-2022-24834.json", "AppStream-9.5.0.Z.MAIN:no-such-rpm", nil, nil),
    ]))
    func productTree(fixture: String, productID: String, namespace: String?, component: CSAFVEXParser.ComponentReading?) throws {
        let (resolvedNamespace, resolvedComponent) = try Self.resolve(fixture, productID)
        #expect(resolvedNamespace == namespace)
        #expect(resolvedComponent == component)
    }

    // MARK: - Real documents

    static func collect(_ relative: String) throws -> CollectingAdvisorySink {
        try VulnDBFixtures.collect("redhat-csaf/\(relative)")
    }

    static func package(_ sink: CollectingAdvisorySink, _ id: String, _ namespace: String, _ name: String) -> AffectedPackage? {
        let found = sink.affected(id, package: name).filter { $0.namespace == namespace }
        #expect(found.count <= 1, "one record per namespace and name: \(found)")
        return found.first
    }

    static func fixed(_ version: String) -> [AffectedRange] {
        [AffectedRange(kind: .ecosystem, events: [.introduced("0"), .fixed(version)])]
    }

    @Test("curl CVE-2023-38545 (CSAF Generator 3): binary rpms named with upstream=, the main line's fix over EUS 9.0 and over the GA compose's 'Affected'")
    func curl() throws {
        let sink = try Self.collect("vex/cve-2023-38545.json")
        #expect(sink.allFailures.isEmpty, "\(sink.allFailures)")
        let record = try #require(sink.record("CVE-2023-38545"))
        #expect(record.affected.map { "\($0.namespace) \($0.packageName)" }
            == ["redhat:7 curl", "redhat:7 libcurl", "redhat:9 curl", "redhat:9 libcurl", "redhat:9 libcurl-devel"])
        for name in ["curl", "libcurl"] {
            let package = try #require(Self.package(sink, "CVE-2023-38545", "redhat:9", name))
            #expect(package.status == .affected && package.vendorStatus == "fixed")
            #expect(package.ranges == Self.fixed("7.76.1-26.el9_3.2"), "9.3.0.z's build, not 9.0 EUS's 7.76.1-14.el9_0.9")
            #expect(package.advisories == ["RHSA-2023:6745"])
            #expect(package.severity == .high)
        }
        #expect(Self.package(sink, "CVE-2023-38545", "redhat:9", "libcurl-devel")?.status == .notAffected)
        // RHEL 7 is only Extended Life-cycle Support now; its curl is named by the source rpm alone.
        #expect(Self.package(sink, "CVE-2023-38545", "redhat:7", "libcurl")?.status == .notAffected)
        #expect(Self.package(sink, "CVE-2023-38545", "redhat:7", "curl")?.vendorStatus == "not affected")
        #expect(sink.affected("CVE-2023-38545", package: "puppet-agent").isEmpty)
        #expect(sink.skipped.values.flatMap { $0 }.map(\.reason)
            == ["2 product statuses for products other than Red Hat Enterprise Linux skipped: Red Hat Satellite 6.11.0 (cpe:/a:redhat:satellite:6)"])
        #expect(record.vulnerability.urls.first == "https://access.redhat.com/security/cve/CVE-2023-38545")
        #expect(record.vulnerability.cvssVectors == ["CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H"])
        #expect(record.vulnerability.severity == .high)
    }

    @Test("libtiff CVE-2023-6228 (SDEngine): binary rpms with an arch, 'Out of support scope' on RHEL 6 and 7, 'Fix deferred' on RHEL 8")
    func libtiff() throws {
        let sink = try Self.collect("vex/cve-2023-6228.json")
        #expect(sink.allFailures.isEmpty && sink.skipped.isEmpty, "\(sink.allFailures) \(sink.skipped)")
        let rows = try #require(sink.record("CVE-2023-6228")).affected.map {
            "\($0.namespace) \($0.packageName) \($0.status.rawValue) \($0.vendorStatus ?? "-") \($0.ranges.first?.fixedVersion ?? "-") \($0.advisories)"
        }
        #expect(rows == [
            "redhat:6 libtiff wont-fix out of support scope - []",
            "redhat:7 libtiff wont-fix out of support scope - []",
            "redhat:7 libtiff-devel wont-fix out of support scope - []",
            "redhat:8 compat-libtiff3 not-fixed fix deferred - []",
            "redhat:8 libtiff affected fixed 4.0.9-32.el8_10 [\"RHSA-2024:5079\"]",
            "redhat:8 libtiff-devel affected fixed 4.0.9-32.el8_10 [\"RHSA-2024:5079\"]",
            "redhat:9 libtiff affected fixed 4.4.0-12.el9 [\"RHSA-2024:2289\"]",
            "redhat:9 libtiff-devel affected fixed 4.4.0-12.el9 [\"RHSA-2024:2289\"]",
            "redhat:9 libtiff-tools affected fixed 4.4.0-12.el9 [\"RHSA-2024:2289\"]",
        ])
        #expect(sink.record("CVE-2023-6228")?.affected.allSatisfy { $0.severity == .low } == true)
    }

    @Test("redis CVE-2022-24834: a module stream build keeps its release; containers and other products are skipped, counted")
    func redis() throws {
        let sink = try Self.collect("vex/cve-2022-24834.json")
        #expect(sink.allFailures.isEmpty, "\(sink.allFailures)")
        let modular = try #require(Self.package(sink, "CVE-2022-24834", "redhat:8", "redis"))
        #expect(modular.ranges == Self.fixed("6.2.17-1.module+el8.10.0+22680+748527fd"))
        #expect(modular.advisories == ["RHSA-2025:0595"] && modular.severity == .medium)
        #expect(Self.package(sink, "CVE-2022-24834", "redhat:8", "redis-devel")?.ranges == Self.fixed("6.2.17-1.module+el8.10.0+22680+748527fd"))
        #expect(Self.package(sink, "CVE-2022-24834", "redhat:9", "redis")?.ranges == Self.fixed("6.2.17-1.el9_5"))
        #expect(Self.package(sink, "CVE-2022-24834", "redhat:9", "redis-doc")?.advisories == ["RHSA-2025:0693"])
        #expect(sink.record("CVE-2022-24834")?.affected.count == 4)
        let skipped = Set(sink.skipped.values.flatMap { $0 }.map(\.reason))
        #expect(skipped == [
            "3 product statuses for products other than Red Hat Enterprise Linux skipped: Red Hat 3scale API Management Platform 2 (cpe:/a:redhat:red_hat_3scale_amp:2), Red Hat Software Collections (cpe:/a:redhat:rhel_software_collections:3), Red Hat Satellite 6 (cpe:/a:redhat:satellite:6)",
            "1 RHEL product statuses for components that are not rpms (containers, language packages) skipped",
        ])
    }

    @Test("libtiff CVE-2023-6228 (CSAF Generator 2): a binary entry beats the source rpm's; names only the source rpm carries keep the source name")
    func sourceOnly() throws {
        let sink = try Self.collect("source-only/cve-2023-6228.json")
        #expect(sink.allFailures.isEmpty, "\(sink.allFailures)")
        let rows = try #require(sink.record("CVE-2023-6228")).affected.map {
            "\($0.namespace) \($0.packageName) \($0.status.rawValue) \($0.vendorStatus ?? "-") \($0.ranges.first?.fixedVersion ?? "-")"
        }
        // RHEL 9: `rhel-9` ("9.9") lists libtiff.src affected, 9.4's libtiff-0:4.4.0-12.el9 is fixed; RHEL 8:
        // 8.9.0.z's libtiff.src "Will not fix", 8.10.0's "Affected", 8.10.z's build fixed.
        #expect(rows == [
            "redhat:6 libtiff wont-fix out of support scope -",
            "redhat:7 compat-libtiff3 wont-fix out of support scope -",
            "redhat:7 libtiff wont-fix out of support scope -",
            "redhat:8 compat-libtiff3 wont-fix will not fix -",
            "redhat:8 libtiff affected fixed 4.0.9-32.el8_10",
            "redhat:9 libtiff affected fixed 4.4.0-12.el9",
        ])
    }

    @Test("through the path importer: one source redhat-csaf located at the import path, before OSV would see the files")
    func pathImporter() throws {
        let directory = VulnDBFixtures.path("redhat-csaf/vex")
        let sink = CollectingAdvisorySink()
        try AdvisoryPathImporter(path: directory).importAdvisories(into: sink)
        let source = try #require(sink.records.keys.first)
        #expect(sink.records.keys.count == 1)
        #expect(source.name == "redhat-csaf" && source.kind == "redhat-csaf")
        #expect(source.location == URL(fileURLWithPath: directory).standardizedFileURL.path)
        #expect(sink.allRecords.map(\.vulnerability.id).sorted() == ["CVE-2022-24834", "CVE-2023-38545", "CVE-2023-6228"])
        #expect(sink.allFailures.isEmpty)
        #expect(sink.skipped[source]?.count == 3)
    }

    // MARK: - Several fixes of one name

    @Test("several fixes of one name: the highest per line, each later line starting where its versions set it apart",
          arguments: [([(String, String?)], [[AffectedRange.Event]])]([
        ([("7.76.1-23.el9_2.4", nil), ("7.76.1-26.el9_3.2", nil)], [[.introduced("0"), .fixed("7.76.1-26.el9_3.2")]]),
        ([("3.9.19-8.el9", nil), ("3.9.18-3.el9_4.5", nil)],
         [[.introduced("0"), .fixed("3.9.18-3.el9_4.5")], [.introduced("3.9.19"), .fixed("3.9.19-8.el9")]]),
        ([("128.3.0-1.el9_5", nil), ("115.12.0-1.el9_4", nil), ("115.12.0-1.el9_4.1", nil)],
         [[.introduced("0"), .fixed("115.12.0-1.el9_4.1")], [.introduced("128"), .fixed("128.3.0-1.el9_5")]]),
        // Each upstream version is a line of its own, as in vunnel: 115.11.0's fix does not cover a 115.12.0 build.
        ([("115.12.0-1.el9_4", nil), ("115.11.0-1.el9_3", nil)],
         [[.introduced("0"), .fixed("115.11.0-1.el9_3")], [.introduced("115.12"), .fixed("115.12.0-1.el9_4")]]),
        ([("1:20.11.1-1.module+el8.9.0+21380+12032667", "nodejs:20"), ("1:18.19.1-1.module+el8.9.0+21388+5c2f7a5c", "nodejs:18"),
          ("1:18.18.2-1.module+el8.9.0+20473+c4e3d824", "nodejs:18")],
         [[.introduced("0"), .fixed("1:18.19.1-1.module+el8.9.0+21388+5c2f7a5c")],
          [.introduced("1:20"), .fixed("1:20.11.1-1.module+el8.9.0+21380+12032667")]]),
    ]))
    func fixLines(fixes: [(String, String?)], expected: [[AffectedRange.Event]]) {
        let lines = CSAFVEXParser.fixLines(fixes.enumerated().map { index, fix in
            CSAFVEXParser.Fix(evr: fix.0, moduleStream: fix.1, productID: "product-\(index)")
        })
        #expect(CSAFVEXParser.ranges(lines).map(\.events) == expected)
    }

    // MARK: - Which statements make a record

    typealias Statement = CSAFVEXParser.Statement

    static func statement(_ tier: CSAFVEXParser.RHELStream.Tier, _ name: String, source: Bool = false,
                          _ state: Statement.State) -> Statement {
        Statement(stream: .init(major: "9", tier: tier), component: Rpm(name: name, evr: nil, isSource: source),
                  state: state, productID: "\(tier)-\(name)-\(source)")
    }

    @Test("one record per name: the main line over extended life over pinned minors, a binary rpm over its source rpm, a fix over open entries",
          arguments: [([Statement], [CSAFVEXParser.Opaque], String)]([
        ([statement(.pinnedMinor, "curl", .fixed("7.76.1-14.el9_0.9")), statement(.main, "curl", .fixed("7.76.1-26.el9_3.2"))], [],
         "affected fixed 7.76.1-26.el9_3.2"),
        ([statement(.pinnedMinor, "curl", .fixed("7.76.1-14.el9_0.9")), statement(.main, "curl", .notAffected)], [],
         "not-affected not affected -"),
        ([statement(.pinnedMinor, "curl", .fixed("7.76.1-14.el9_0.9")), statement(.extendedLife, "curl", .open(.wontFix, word: "will not fix"))], [],
         "wont-fix will not fix -"),
        ([statement(.pinnedMinor, "curl", .fixed("7.76.1-14.el9_0.9"))], [], "affected fixed 7.76.1-14.el9_0.9"),
        ([statement(.main, "curl", source: true, .open(.wontFix, word: "will not fix")), statement(.main, "curl", .fixed("7.76.1-26.el9_3.2"))], [],
         "affected fixed 7.76.1-26.el9_3.2"),
        ([statement(.main, "curl", source: true, .fixed("7.76.1-26.el9_3.2")), statement(.main, "curl", .notAffected)], [],
         "not-affected not affected -"),
        ([statement(.main, "curl", .open(.notFixed, word: "affected")), statement(.main, "curl", .fixed("7.76.1-26.el9_3.2"))], [],
         "affected fixed 7.76.1-26.el9_3.2"),
        ([statement(.main, "curl", .open(.wontFix, word: "will not fix")), statement(.main, "curl", .open(.notFixed, word: "fix deferred")),
          statement(.main, "curl", .notAffected)], [], "not-fixed fix deferred -"),
        // A module build of the main line says python39 is fixed in terms Shrike cannot compare: EUS must not answer.
        ([statement(.pinnedMinor, "python39", .notAffected)], [CSAFVEXParser.Opaque(stream: .init(major: "9", tier: .main), name: "python39")], ""),
        ([statement(.main, "python39", .fixed("3.9.19-8.el9"))], [CSAFVEXParser.Opaque(stream: .init(major: "9", tier: .main), name: "python39")],
         "affected fixed 3.9.19-8.el9"),
    ]))
    func merge(statements: [Statement], opaque: [CSAFVEXParser.Opaque], expected: String) {
        let packages = CSAFVEXParser.merge(statements, opaque: opaque, id: "CVE-2024-0001", remediations: [:], impacts: [:],
                                           fallback: nil, advisoryID: nil)
        #expect(packages.map { "\($0.status.rawValue) \($0.vendorStatus ?? "-") \($0.ranges.last?.fixedVersion ?? "-")" }
            == (expected.isEmpty ? [] : [expected]))
    }

    // MARK: - Bad input

    @Test("a relationship to a product the tree lacks is one counted failure; the document's other statuses are still read")
    func missingProduct() throws {
        let document = try Self.document(relatesTo: "no-such-platform",
                                         extraStatus: #", "known_not_affected": ["BaseOS-9.2.0.Z.MAIN:component"]"#)
        let result = try Self.parse(document)
        #expect(result.failures == [ImportFailure(file: "cve-2024-0001.json",
                                                  reason: "relationship 'BaseOS-9.2.0.Z.MAIN:component' refers to 'no-such-platform', which the product tree does not define")])
        #expect(result.records.isEmpty)
    }

    @Test("a status naming an id no relationship or product defines, a fixed entry without a version: counted failures")
    func unresolvedStatuses() throws {
        let unknown = try Self.parse(Self.document(extraStatus: #", "known_affected": ["AppStream-9.2.0.Z.MAIN:ghost"]"#))
        #expect(unknown.failures.map(\.reason) == ["known_affected lists 'AppStream-9.2.0.Z.MAIN:ghost', which no relationship or product of the tree defines"])
        #expect(unknown.failures.first?.file == "cve-2024-0001.json#CVE-2024-0001")
        #expect(unknown.records.first?.affected.first?.ranges == Self.fixed("1:3.0.7-18.el9_2"), "the rest of the vulnerability is kept")

        let unversioned = try Self.parse(Self.document(purl: "pkg:rpm/redhat/openssl-libs?arch=x86_64"))
        #expect(unversioned.failures.map(\.reason) == ["'BaseOS-9.2.0.Z.MAIN:component' is listed fixed but its component names no version"])
        #expect(unversioned.records.isEmpty)
    }

    @Test("a product_status key Red Hat does not publish fails that vulnerability, with the key named",
          arguments: ["first_fixed", "last_affected", "recommended", "knwon_affected"])
    func unknownStatus(key: String) throws {
        let result = try Self.parse(Self.document(extraStatus: #", "\#(key)": ["BaseOS-9.2.0.Z.MAIN:component"]"#))
        #expect(result.records.isEmpty)
        #expect(result.failures.count == 1)
        #expect(result.failures.first?.file == "cve-2024-0001.json#CVE-2024-0001")
        #expect(result.failures.first?.reason.contains("product_status '\(key)'") == true, "\(result.failures)")
    }

    @Test("a document that is not CSAF as a whole throws malformed", arguments: [
        #"{"document": {"category": "csaf_vex"}, "vulnerabilities": []}"#,
        #"{"document": {"category": "csaf_vex"}, "product_tree": {}, "vulnerabilities": {"cve": "CVE-1"}}"#,
        #"{"document": {"category": "csaf_vex"}, "product_tree": [], "vulnerabilities": []}"#,
        #"{"document": "csaf_vex", "product_tree": {}, "vulnerabilities": []}"#,
    ])
    func notCSAF(json: String) throws {
        let document = try AdvisoryDocument.parse(Data(json.utf8), isYAML: false)
        let error = #expect(throws: ShrikeError.self) { try CSAFVEXParser.parse(document, file: "x.json") }
        #expect(error?.code == .malformed)
    }

    @Test("a truncated VEX file is one counted failure in a directory, and aborts a strict (downloaded) import")
    func truncated() throws {
        let real = try Data(contentsOf: URL(fileURLWithPath: VulnDBFixtures.path("redhat-csaf/vex/cve-2023-38545.json")))
        let directory = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try real.prefix(real.count / 2).write(to: URL(fileURLWithPath: directory + "/cve-2023-38545.json"))
        try real.write(to: URL(fileURLWithPath: directory + "/cve-2023-38546.json"))
        let sink = CollectingAdvisorySink()
        try AdvisoryPathImporter(path: directory).importAdvisories(into: sink)
        #expect(sink.allFailures.map(\.file) == ["cve-2023-38545.json"])
        #expect(sink.allFailures.first?.reason.contains("not valid JSON") == true)
        #expect(sink.allRecords.map(\.vulnerability.id) == ["CVE-2023-38545"], "the whole copy is still read")

        let strict = AdvisoryPathImporter(path: directory + "/cve-2023-38545.json",
                                          origin: "https://security.access.redhat.com/data/csaf/v2/vex/2023/cve-2023-38545.json", strict: true)
        let error = #expect(throws: ShrikeError.self) { try strict.importAdvisories(into: CollectingAdvisorySink()) }
        #expect(error?.code == .malformed)
    }

    // MARK: - End to end

    enum Expected: Sendable, CustomStringConvertible {
        /// Fixed in this version when rpm says the installed one is older; no match otherwise.
        case fix(String)
        case open(MatchStatus, String)
        case none
        var description: String {
            switch self {
            case .fix(let version): "fix \(version)"
            case .open(let status, let word): "\(status.rawValue) (\(word))"
            case .none: "none"
            }
        }
    }

    /// Installed rpms below, at and above each fixed version of the fixtures, and the ones they leave open or unaffected.
    static let installed: [(String, String, String, Expected)] = [
        ("9.4", "curl", "7.76.1-14.el9_0.9", .fix("7.76.1-26.el9_3.2")),
        ("9.4", "curl", "7.76.1-26.el9_3.1", .fix("7.76.1-26.el9_3.2")),
        ("9.4", "curl", "7.76.1-26.el9_3.2", .fix("7.76.1-26.el9_3.2")),
        ("9.4", "curl", "7.76.1-29.el9", .fix("7.76.1-26.el9_3.2")),
        ("9.4", "libcurl", "7.76.1-23.el9_2.4", .fix("7.76.1-26.el9_3.2")),
        ("9.4", "libcurl", "7.76.1-31.el9_6.1", .fix("7.76.1-26.el9_3.2")),
        ("9.4", "libcurl-devel", "7.76.1-14.el9", .none),
        ("9.4", "libtiff", "4.4.0-10.el9", .fix("4.4.0-12.el9")),
        ("9.4", "libtiff", "4.4.0-12.el9", .fix("4.4.0-12.el9")),
        ("9.4", "libtiff", "4.4.0-13.el9_5.1", .fix("4.4.0-12.el9")),
        ("9.4", "libtiff-tools", "4.4.0-8.el9_2", .fix("4.4.0-12.el9")),
        ("9.4", "redis", "6.2.7-1.el9", .fix("6.2.17-1.el9_5")),
        ("9.4", "redis", "6.2.17-1.el9_5", .fix("6.2.17-1.el9_5")),
        ("9.4", "redis", "6.2.18-1.el9_6", .fix("6.2.17-1.el9_5")),
        ("9.4", "redis-doc", "6.2.12-1.el9", .fix("6.2.17-1.el9_5")),
        // RHEL 9's fix is not a module build; a modular redis is another build line (RpmModularity).
        ("9.4", "redis", "6.2.7-1.module+el9.2.0+18000+abcdef12", .none),
        ("8.10", "redis", "6.2.7-1.module+el8.6.0+14480+c0a3aa0f", .fix("6.2.17-1.module+el8.10.0+22680+748527fd")),
        ("8.10", "redis", "6.2.17-1.module+el8.10.0+22680+748527fd", .fix("6.2.17-1.module+el8.10.0+22680+748527fd")),
        ("8.10", "redis", "6.2.18-1.module+el8.10.0+23000+1a2b3c4d", .fix("6.2.17-1.module+el8.10.0+22680+748527fd")),
        ("8.10", "redis", "5.0.3-5.el8", .none),
        ("8.10", "libtiff", "4.0.9-31.el8", .fix("4.0.9-32.el8_10")),
        ("8.10", "libtiff-devel", "4.0.9-32.el8_10", .fix("4.0.9-32.el8_10")),
        ("8.10", "compat-libtiff3", "3.9.4-13.el8", .open(.notFixed, "fix deferred")),
        ("7.9", "libtiff", "4.0.3-35.el7", .open(.wontFix, "out of support scope")),
        ("7.9", "libcurl", "7.29.0-59.el7_9.2", .none),
        ("6.10", "libtiff", "3.9.4-21.el6_8", .open(.wontFix, "out of support scope")),
    ]

    /// rpm's own `rpm.vercmp` for each pair, in one `rpm --eval` call.
    static func rpmVercmp(_ pairs: [(String, String)]) throws -> [Int] {
        let calls = pairs.map { "io.write(rpm.vercmp([==[\($0.0)]==], [==[\($0.1)]==]), ' ')" }.joined(separator: " ")
        let run = try ExternalTool.run(["rpm", "--eval", "%{lua: \(calls)}"])
        try #require(run.status == 0, "rpm failed: \(run.stderr)")
        return run.stdout.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
    }

    @Test("end to end: installed rpms below, at and above the fixed builds get exactly the verdicts rpm.vercmp gives",
          .enabled(if: ExternalTool.find("rpm") != nil, "needs rpm (apt-get install rpm)"))
    func endToEnd() throws {
        let store = try SQLiteAdvisoryStore.inMemory()
        let report = try store.importAdvisories([AdvisoryPathImporter(path: VulnDBFixtures.path("redhat-csaf/vex"))])
        #expect(report.sources.map(\.name) == ["redhat-csaf"] && report.totalFailed == 0 && report.totalRecords == 3)
        let fixes = Self.installed.compactMap { row -> (String, String)? in
            if case .fix(let fix) = row.3 { return (row.2, fix) }
            return nil
        }
        let order = try Self.rpmVercmp(fixes)
        try #require(order.count == fixes.count, "rpm printed \(order.count) answers for \(fixes.count) pairs")
        var expected = Set<String>()
        var next = 0
        for (release, name, version, verdict) in Self.installed {
            switch verdict {
            case .fix(let fix):
                if order[next] < 0 { expected.insert("\(release) \(name) \(version) fixed \(fix)") }
                next += 1
            case .open(let status, let word): expected.insert("\(release) \(name) \(version) \(status.rawValue) \(word)")
            case .none: break
            }
        }
        var got = Set<String>()
        for release in Set(Self.installed.map(\.0)) {
            let packages = Self.installed.filter { $0.0 == release }.map { _, name, version, _ in
                Package(name: name, version: version, type: .rpm,
                        purl: PackageURL(type: "rpm", namespace: "redhat", name: name, version: version), sourceName: name)
            }
            let sbom = SBOM(source: .init(type: "dir", path: "/"), distro: Distro(id: "rhel", versionID: release), packages: packages)
            let result = try Matcher(store: store).match(sbom)
            #expect(result.warnings.isEmpty, "\(result.warnings.prefix(3))")
            for match in result.matches {
                let vulnerability = match.vulnerability
                #expect(vulnerability.namespace == "redhat:\(release.split(separator: ".")[0])")
                if vulnerability.status == .fixed {
                    #expect(vulnerability.aliases.first?.hasPrefix("RHSA-") == true, "the RHSA comes first: \(vulnerability.aliases)")
                    got.insert("\(release) \(match.package.name) \(match.package.version) fixed \(vulnerability.fixedVersion ?? "-")")
                } else {
                    got.insert("\(release) \(match.package.name) \(match.package.version) \(vulnerability.status.rawValue) \(vulnerability.vendorStatus ?? "-")")
                }
            }
        }
        #expect(got == expected, "only Shrike \(got.subtracting(expected).sorted()), only rpm \(expected.subtracting(got).sorted())")
        #expect(expected.count == 12, "\(expected.sorted())")
    }
}

import Foundation
import ShrikeCore
import Testing
@testable import ShrikeVulnDB

/// Expected values were read from the fixture files by eye (line numbers are in v3.9/main.yaml unless stated).
@Suite("Alpine secdb import")
struct AlpineSecDBImportTests {
    @Test("musl in v3.9: CVE-2019-14697 fixed in 1.1.20-r5")
    func musl() throws {
        let sink = try VulnDBFixtures.collect("alpine-secdb/v3.9/main.yaml")
        let musl = sink.affected("CVE-2019-14697", package: "musl")
        #expect(musl == [AffectedPackage(vulnerabilityID: "CVE-2019-14697", namespace: "alpine:3.9", packageName: "musl",
                                         ecosystem: .alpine,
                                         ranges: [AffectedRange(kind: .ecosystem, events: [.introduced("0"), .fixed("1.1.20-r5")])])])
        #expect(sink.affected("CVE-2016-8859", package: "musl").first?.ranges.first?.fixedVersion == "1.1.15-r4")
        #expect(sink.record("CVE-2019-14697")?.vulnerability.source == "alpine-secdb")
    }

    @Test("a fixed version 0 means never affected (v3.8 db, Oracle Berkeley DB whitelist)")
    func fixedZero() throws {
        let sink = try VulnDBFixtures.collect("alpine-secdb/v3.8/main.yaml")
        let db = sink.affected("CVE-2016-0682", package: "db")
        #expect(db.count == 1)
        #expect(db.first?.status == .notAffected)
        #expect(db.first?.ranges == [])
        #expect(db.first?.namespace == "alpine:3.8")
    }

    @Test("whole files: one source per release and repository, every entry read, none failed")
    func counts() throws {
        // Distinct ids counted independently with PyYAML (BaseLoader, so versions stay strings).
        for (file, source, records) in [("alpine-secdb/v3.8/main.yaml", "alpine-secdb:v3.8/main", 1089),
                                        ("alpine-secdb/v3.9/main.yaml", "alpine-secdb:v3.9/main", 1059),
                                        ("alpine-secdb/v3.10/main.yaml", "alpine-secdb:v3.10/main", 1110)] {
            let sink = try VulnDBFixtures.collect(file)
            #expect(sink.records.keys.map(\.name) == [source])
            #expect(sink.allRecords.count == records, "\(file)")
            #expect(sink.allFailures.isEmpty, "\(file): \(sink.allFailures)")
        }
    }

    @Test("hand-written id entries are read leniently")
    func messyIDs() throws {
        let sink = try VulnDBFixtures.collect("alpine-secdb/v3.9/main.yaml")
        // line 27: "CVE 2018-16859" under ansible 2.7.3-r0
        #expect(sink.affected("CVE-2018-16859", package: "ansible").first?.ranges.first?.fixedVersion == "2.7.3-r0")
        // "CVE-2019-5060 TALOS-2019-0844" under sdl2_image 2.0.5-r0: one vulnerability with an alias
        #expect(sink.record("CVE-2019-5060")?.vulnerability.aliases == ["TALOS-2019-0844"])
        #expect(sink.record("TALOS-2019-0844") == nil)
        // "CVE-????-?????  XSA-284" under xen 4.11.2-r0
        #expect(sink.affected("XSA-284", package: "xen").first?.ranges.first?.fixedVersion == "4.11.2-r0")
        // "CVE-2017-17434-1" and "-2" under rsync 3.1.2-r7 are one CVE
        #expect(sink.affected("CVE-2017-17434", package: "rsync").count == 1)
    }

    @Test("id extraction", arguments: [(String, [String])]([
        ("CVE-2019-14697", ["CVE-2019-14697"]),
        ("CVE-2019-5060 TALOS-2019-0844", ["CVE-2019-5060", "TALOS-2019-0844"]),
        ("CVE-2016-10134 ZBX-11023", ["CVE-2016-10134", "ZBX-11023"]),
        ("CVE-????-?????  XSA-284", ["XSA-284"]),
        ("CVE_2019-2426", ["CVE-2019-2426"]),
        ("CVE 2018-16859", ["CVE-2018-16859"]),
        ("CVE-2017-8073.patch", ["CVE-2017-8073"]),
        ("CVE-2018-10103 (SMB - partially fixed, but SMB printing disabled)", ["CVE-2018-10103"]),
        ("CVE-????-?????", []),
        ("GHSA-6vm3-jj99-7229", ["GHSA-6vm3-jj99-7229"]),
    ]))
    func ids(text: String, expected: [String]) {
        #expect(AlpineSecDBParser.vulnerabilityIDs(in: text) == expected)
    }

    @Test("the live JSON feed's shape, with broken entries counted and the rest kept")
    func jsonFeed() throws {
        let sink = try VulnDBFixtures.collect("alpine-feed/v3.99-main.json")
        #expect(sink.records.keys.map(\.name) == ["alpine-secdb:v3.99/main"])
        #expect(Set(sink.allRecords.map(\.vulnerability.id))
            == ["CVE-2025-26519", "CVE-2019-14697", "XSA-284", "CVE-2016-0682", "CVE-2019-5060"])
        #expect(sink.affected("CVE-2016-0682", package: "db").first?.status == .notAffected)
        #expect(sink.affected("CVE-2025-26519", package: "musl").first?.namespace == "alpine:3.99")
        let failures = sink.allFailures
        #expect(failures.count == 3, "\(failures)")
        #expect(failures.contains(where: { $0.file.hasSuffix("#xen/4.11.2-r0") && $0.reason.contains("CVE-????-?????") }))
        #expect(failures.contains(where: { $0.file.hasSuffix("#xen/4.12.0-r0") }))
        #expect(failures.contains(where: { $0.file.hasSuffix("#packages[3]") }))
    }
}

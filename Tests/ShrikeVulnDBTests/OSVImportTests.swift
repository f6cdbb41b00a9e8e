import Foundation
import ShrikeCore
import Testing
import ZIPFoundation
@testable import ShrikeVulnDB

/// Expected values were read from the fixture files (real pypa, golang/vulndb and RustSec records).
@Suite("OSV import: YAML, JSON, directories, zips, broken records")
struct OSVImportTests {
    @Test("pypa YAML: ranges, quoted and bare versions, aliases, dates")
    func pypiYAML() throws {
        let sink = try VulnDBFixtures.collect("osv-pypi")
        #expect(sink.allRecords.count == 44)
        #expect(sink.allFailures.isEmpty, "\(sink.allFailures)")
        let source = try #require(sink.records.keys.first)
        #expect(source.name == "osv:" + VulnDBFixtures.path("osv-pypi"))
        let lxml = try #require(sink.record("PYSEC-2014-9"))
        #expect(lxml.vulnerability.aliases == ["CVE-2014-3146"])
        #expect(lxml.vulnerability.severity == .unknown)
        // modified: "2021-07-05T00:01:22.415943Z"
        let modified = try #require(lxml.vulnerability.modified?.timeIntervalSince1970)
        #expect(abs(modified - 1_625_443_282.415943) < 0.001)
        let affected = try #require(lxml.affected.first)
        #expect(affected.namespace == "osv:PyPI")
        #expect(affected.packageName == "lxml")
        #expect(affected.ranges == [AffectedRange(kind: .ecosystem, events: [.introduced("0"), .fixed("3.3.5")])])
        // "0.9" and "1.0" are quoted in the file, 0.9.1 is bare: all stay the exact text.
        #expect(Array(affected.versions.prefix(5)) == ["0.9", "0.9.1", "0.9.2", "1.0", "1.0.1"])
        #expect(affected.versions.contains("3.3.0beta1"))
    }

    @Test("PyPI names are normalised per PEP 503")
    func pep503() throws {
        let sink = try VulnDBFixtures.collect("osv-pypi/vulns/jw.util/PYSEC-2020-341.yaml")
        #expect(sink.allRecords.first?.affected.first?.packageName == "jw-util")
        #expect(OSVParser.normalizedName("Foo__Bar.baz", ecosystem: .pypi) == "foo-bar-baz")
        #expect(OSVParser.normalizedName("github.com/Foo/Bar", ecosystem: .go) == "github.com/Foo/Bar")
    }

    @Test("severity from CVSS when the record gives no word; last_affected kept")
    func severityAndLastAffected() throws {
        let sink = try VulnDBFixtures.collect("osv-pypi")
        // werkzeug PYSEC-2023-221: CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H = 7.5
        #expect(sink.record("PYSEC-2023-221")?.vulnerability.severity == .high)
        // urllib3 PYSEC-2023-207: CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N = 6.1
        #expect(sink.record("PYSEC-2023-207")?.vulnerability.severity == .medium)
        #expect(sink.record("PYSEC-2022-42969")?.affected.first?.ranges.first?.events == [.introduced("0"), .lastAffected("1.11.0")])
    }

    @Test("Go JSON: SEMVER ranges, symbols, the 0001 placeholder date")
    func goJSON() throws {
        let sink = try VulnDBFixtures.collect("osv-go")
        #expect(sink.allRecords.count == 6)
        let gin = try #require(sink.record("GO-2020-0001"))
        #expect(gin.vulnerability.aliases == ["CVE-2020-36567", "GHSA-6vm3-jj99-7229"])
        #expect(gin.vulnerability.modified == nil)
        #expect(gin.vulnerability.published != nil)
        let affected = try #require(gin.affected.first)
        #expect(affected.namespace == "osv:Go")
        #expect(affected.packageName == "github.com/gin-gonic/gin")
        #expect(affected.ranges == [AffectedRange(kind: .semver, events: [.introduced("0"), .fixed("1.6.0")])])
        #expect(affected.symbols.contains("github.com/gin-gonic/gin.Default"))
        #expect(affected.symbols.count == 5)
        // GO-2026-4834 has two packages, the v2 module with two introduced/fixed pairs.
        let nats = try #require(sink.record("GO-2026-4834"))
        #expect(nats.affected.map(\.packageName) == ["github.com/nats-io/nats-server", "github.com/nats-io/nats-server/v2"])
        #expect(nats.affected[1].ranges.first?.events == [.introduced("0"), .fixed("2.11.15"), .introduced("2.12.0-RC.1"), .fixed("2.12.6")])
    }

    @Test("RustSec JSON: crates.io namespace, CVSS v3 scored, v4-only scored with v4, functions as symbols")
    func rustJSON() throws {
        let sink = try VulnDBFixtures.collect("osv-rust")
        #expect(sink.allRecords.count == 5)
        let wasmtime = try #require(sink.record("RUSTSEC-2023-0090"))
        #expect(wasmtime.affected.first?.namespace == "osv:crates.io")
        #expect(wasmtime.vulnerability.severity == .critical)  // CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H = 9.9
        let v4 = try #require(sink.record("RUSTSEC-2026-0223"))
        #expect(v4.vulnerability.cvssVectors == ["CVSS:4.0/AV:N/AC:H/AT:P/PR:H/UI:P/VC:N/VI:L/VA:L/SC:N/SI:N/SA:N"])
        #expect(v4.vulnerability.severity == .low)  // CVSS v4.0 base score 2.0
        #expect(sink.record("RUSTSEC-2020-0070")?.affected.first?.symbols.contains("lock_api::MappedMutexGuard") == true)
    }

    @Test("broken records are counted with their reasons; withdrawn ones are skipped; the rest imports")
    func broken() throws {
        let sink = try VulnDBFixtures.collect("osv-broken")
        #expect(sink.allRecords.map(\.vulnerability.id) == ["GO-2020-0001"])
        let failures = sink.allFailures.sorted { $0.file < $1.file }
        #expect(failures.map(\.file) == ["GO-BROKEN-2.json", "GO-BROKEN-3.json", "PYSEC-BROKEN-1.yaml"])
        #expect(failures[0].reason.contains("BOGUS"))
        #expect(failures[1].reason.contains("JSON"))
        #expect(failures[2].reason.contains("YAML"))
        #expect(sink.skipped.values.flatMap { $0 }.map(\.file) == ["PYSEC-WITHDRAWN-1.yaml"])
    }

    @Test("a zip like OSV's all.zip imports the same records as the directory")
    func zip() throws {
        let dir = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let zipURL = URL(fileURLWithPath: dir + "/all.zip")
        do {  // the writer is closed at the end of this scope, before the importer opens the file
            let archive = try Archive(url: zipURL, accessMode: .create)
            for folder in ["osv-go", "osv-rust"] {
                let base = URL(fileURLWithPath: VulnDBFixtures.path(folder))
                for name in try FileManager.default.contentsOfDirectory(atPath: base.path).sorted() {
                    try archive.addEntry(with: name, relativeTo: base, compressionMethod: .deflate)
                }
            }
        }
        let sink = CollectingAdvisorySink()
        try AdvisoryPathImporter(path: zipURL.path).importAdvisories(into: sink)
        let fromDirectories = try VulnDBFixtures.collect("osv-go").allRecords + VulnDBFixtures.collect("osv-rust").allRecords
        #expect(sink.allRecords.count == 11)
        #expect(Set(sink.allRecords.map(\.vulnerability.id)) == Set(fromDirectories.map(\.vulnerability.id)))
        #expect(sink.record("GO-2020-0001") == fromDirectories.first(where: { $0.vulnerability.id == "GO-2020-0001" }))
        #expect(sink.allFailures.isEmpty)
    }

    @Test("a path that does not exist is an error, not an empty import")
    func missingPath() {
        #expect(throws: ShrikeError.self) {
            try AdvisoryPathImporter(path: "/nonexistent/shrike/advisories").importAdvisories(into: CollectingAdvisorySink())
        }
    }
}

import Foundation
import ShrikeCore
import Testing
@testable import ShrikeVulnDB

/// An importer that writes some records and then fails, as a crash or an unreadable input would midway.
private struct FailingImporter: AdvisoryImporter {
    var input = "failing-importer"
    func importAdvisories(into sink: any AdvisorySink) throws {
        let source = AdvisorySource(name: "alpine-secdb:v3.9/main", kind: "alpine-secdb", location: "test")
        for n in 0..<3 {
            let id = "CVE-2099-000\(n)"
            try sink.add(AdvisoryRecord(
                vulnerability: Vulnerability(id: id, source: "test"),
                affected: [AffectedPackage(vulnerabilityID: id, namespace: "alpine:3.9", packageName: "musl", ecosystem: .alpine)]),
                to: source)
        }
        throw ShrikeError(.io, "the input vanished midway")
    }
}

@Suite("SQLite advisory store")
struct SQLiteAdvisoryStoreTests {
    let directory: String
    let store: SQLiteAdvisoryStore

    init() throws {
        directory = try VulnDBFixtures.temporaryDirectory()
        store = try SQLiteAdvisoryStore(path: directory + "/nested/db.sqlite")
    }

    func importers(_ relatives: String...) -> [any AdvisoryImporter] {
        relatives.map { AdvisoryPathImporter(path: VulnDBFixtures.path($0)) }
    }

    @Test("import, then look up by namespace and source package")
    func importAndLookUp() throws {
        let report = try store.importAdvisories(importers("alpine-secdb/v3.9/main.yaml", "osv-pypi", "osv-go", "osv-broken"))
        #expect(report.sources.map(\.name).contains("alpine-secdb:v3.9/main"))
        let alpine = try #require(report.sources.first(where: { $0.name == "alpine-secdb:v3.9/main" }))
        #expect(alpine.records == 1059)
        #expect(alpine.failed == 0)
        let broken = try #require(report.sources.first(where: { $0.name.hasSuffix("/osv-broken") }))
        #expect(broken.records == 1)
        #expect(broken.failed == 3)
        #expect(broken.skipped == 1)
        #expect(broken.firstFailures.count == 3)

        let musl = try store.affected(namespace: "alpine:3.9", packageName: "musl")
        #expect(Set(musl.map(\.vulnerabilityID)) == ["CVE-2019-14697", "CVE-2016-8859"])
        #expect(musl.first(where: { $0.vulnerabilityID == "CVE-2019-14697" })?.ranges.first?.fixedVersion == "1.1.20-r5")
        #expect(try store.affected(namespace: "alpine:3.10", packageName: "musl").isEmpty)
        #expect(try store.affected(namespace: "osv:PyPI", packageName: "musl").isEmpty)

        let lxml = try store.affected(namespace: "osv:PyPI", packageName: "lxml")
        #expect(lxml.count == 6)
        let first = try #require(lxml.first(where: { $0.vulnerabilityID == "PYSEC-2014-9" }))
        #expect(first.versions.contains("3.3.0beta1"))
        #expect(try store.affected(namespace: "osv:Go", packageName: "github.com/gin-gonic/gin").first?.symbols.count == 5)

        let vulnerability = try #require(try store.vulnerability(id: "PYSEC-2023-221"))
        #expect(vulnerability.severity == .high)
        #expect(vulnerability.source == "osv")
        #expect(vulnerability.cvssVectors == ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"])
        #expect(try store.vulnerability(id: "CVE-2019-14697")?.source == "alpine-secdb")
        #expect(try store.vulnerability(id: "NOPE-1") == nil)
    }

    @Test("the store answers exactly what was read, record for record")
    func roundTrip() throws {
        let sink = try VulnDBFixtures.collect("osv-rust")
        _ = try store.importAdvisories(importers("osv-rust"))
        for record in sink.allRecords {
            for package in record.affected {
                #expect(try store.affected(namespace: package.namespace, packageName: package.packageName).contains(package))
            }
            #expect(try store.vulnerability(id: record.vulnerability.id) == record.vulnerability)
        }
    }

    @Test("re-importing replaces a source: same counts, same rows")
    func idempotent() throws {
        let first = try store.importAdvisories(importers("alpine-secdb/v3.9/main.yaml", "osv-broken", "debian-tracker/debian.json"))
        let rows = try store.rowCounts()
        let second = try store.importAdvisories(importers("alpine-secdb/v3.9/main.yaml", "osv-broken", "debian-tracker/debian.json"))
        #expect(try store.rowCounts() == rows)
        #expect(first.sources.map(\.records) == second.sources.map(\.records))
        #expect(first.sources.map(\.failed) == second.sources.map(\.failed))
        #expect(try store.affected(namespace: "alpine:3.9", packageName: "musl").count == 2)
    }

    @Test("an import that fails midway leaves the database exactly as it was")
    func transactional() throws {
        _ = try store.importAdvisories(importers("alpine-secdb/v3.9/main.yaml", "osv-go"))
        let rows = try store.rowCounts()
        let status = try store.status(now: Date(timeIntervalSince1970: 0))
        let musl = try store.affected(namespace: "alpine:3.9", packageName: "musl")

        // The failing importer re-uses the v3.9 source (so the import first deletes it) and the real v3.10 file
        // imports fine before it: none of it may survive.
        let failing: [any AdvisoryImporter] = importers("alpine-secdb/v3.10/main.yaml") + [FailingImporter()]
        #expect(throws: ShrikeError.self) { try store.importAdvisories(failing) }

        #expect(try store.rowCounts() == rows)
        #expect(try store.status(now: Date(timeIntervalSince1970: 0)).sources == status.sources)
        #expect(try store.affected(namespace: "alpine:3.9", packageName: "musl") == musl)
        #expect(try store.affected(namespace: "alpine:3.10", packageName: "musl").isEmpty)
        #expect(try store.vulnerability(id: "CVE-2099-0001") == nil)
    }

    @Test("status lists sources, counts, failures and the newest record")
    func status() throws {
        let importedAt = Date(timeIntervalSince1970: 1_800_000_000)
        _ = try store.importAdvisories(importers("osv-rust", "osv-broken", "alpine-feed/v3.99-main.json"), now: importedAt)
        let status = try store.status(now: importedAt.addingTimeInterval(3600))
        #expect(status.schemaVersion.hasPrefix("v3"))
        #expect(status.sizeBytes > 0)
        #expect(status.sources.count == 3)
        let rust = try #require(status.sources.first(where: { $0.name.hasSuffix("/osv-rust") }))
        #expect(rust.records == 5)
        #expect(rust.ageSeconds == 3600)
        // RUSTSEC-2026-0223 modified "2026-07-31T16:37:42Z" is the newest of the five.
        #expect(rust.newestRecord == (try Date("2026-07-31T16:37:42Z", strategy: .iso8601)))
        let feed = try #require(status.sources.first(where: { $0.name == "alpine-secdb:v3.99/main" }))
        #expect(feed.failed == 3)
        #expect(feed.firstFailures.count == 3)
        #expect(feed.newestRecord == nil)
        #expect(try store.importErrors(source: "alpine-secdb:v3.99/main").count == 3)
        #expect(status.totalFailed == 6)
    }

    @Test("status on a missing database says to import first")
    func missing() {
        #expect(throws: ShrikeError.self) { try SQLiteAdvisoryStore(path: directory + "/absent.sqlite", create: false) }
    }

    @Test("default path follows XDG_CACHE_HOME, else HOME")
    func defaultPath() {
        #expect(SQLiteAdvisoryStore.defaultPath(environment: ["XDG_CACHE_HOME": "/x/cache", "HOME": "/home/u"]) == "/x/cache/shrike/db.sqlite")
        #expect(SQLiteAdvisoryStore.defaultPath(environment: ["HOME": "/home/u"]) == "/home/u/.cache/shrike/db.sqlite")
        #expect(SQLiteAdvisoryStore.defaultPath(environment: ["XDG_CACHE_HOME": "relative", "HOME": "/home/u"]) == "/home/u/.cache/shrike/db.sqlite")
    }

    @Test("10,000 lookups on the real data return the records (and print the rate)")
    func lookupThroughput() throws {
        _ = try store.importAdvisories(importers("alpine-secdb/v3.8/main.yaml", "alpine-secdb/v3.9/main.yaml",
                                                 "alpine-secdb/v3.10/main.yaml", "osv-pypi", "osv-go", "osv-rust"))
        // A synthetic SBOM: real package names (hits) mixed with made-up ones (misses), across namespaces.
        let names = ["musl", "openssl", "busybox", "xen", "curl", "zlib", "sqlite", "libxml2"]
        var queries: [(String, String)] = []
        for n in 0..<10_000 {
            switch n % 4 {
            case 0: queries.append(("alpine:3.\(8 + n % 3)", names[n % names.count]))
            case 1: queries.append(("osv:PyPI", ["lxml", "requests", "urllib3", "flask"][n % 4 == 1 ? (n / 4) % 4 : 0]))
            case 2: queries.append(("osv:Go", "example.com/module\(n)"))
            default: queries.append(("alpine:3.9", "package-\(n)"))
            }
        }
        let start = Date()
        var hits = 0
        for (namespace, name) in queries { hits += try store.affected(namespace: namespace, packageName: name).count }
        let seconds = Date().timeIntervalSince(start)
        let rate = Double(queries.count) / seconds
        print("vulndb lookups: \(queries.count) in \(String(format: "%.3f", seconds)) s = \(Int(rate)) lookups/s, \(hits) records returned")
        // A figure to read, not a timed assertion: speed belongs in a benchmark, not in a test that flakes under load.
        #expect(hits > 0)
    }
}

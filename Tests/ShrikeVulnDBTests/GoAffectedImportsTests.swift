import Foundation
import GRDB
import ShrikeCatalog
import ShrikeCore
import Testing
@testable import ShrikeVulnDB

/// Go advisories' `ecosystem_specific.imports` (path and symbols) survive import, storage and matching.
/// Expected values read from Fixtures/osv-go/GO-2020-0001.json: gin before 1.6.0, package github.com/gin-gonic/gin,
/// symbols Default, Logger, LoggerWithConfig, LoggerWithFormatter, LoggerWithWriter.
@Suite("Go affected imports")
struct GoAffectedImportsTests {
    static let gin = AffectedImport(path: "github.com/gin-gonic/gin",
                                    symbols: ["Default", "Logger", "LoggerWithConfig", "LoggerWithFormatter", "LoggerWithWriter"])

    @Test func osvImportKeepsPathsAndSymbols() throws {
        let sink = try VulnDBFixtures.collect("osv-go")
        let affected = try #require(sink.record("GO-2020-0001")?.affected.first)
        #expect(affected.imports == [Self.gin])
    }

    @Test func storedAndMatched() throws {
        let directory = try VulnDBFixtures.temporaryDirectory()
        let store = try SQLiteAdvisoryStore(path: directory + "/db.sqlite")
        _ = try store.importAdvisories([AdvisoryPathImporter(path: VulnDBFixtures.path("osv-go"))])
        #expect(try store.affected(namespace: "osv:Go", packageName: "github.com/gin-gonic/gin").first?.imports == [Self.gin])

        let package = Package(name: "github.com/gin-gonic/gin", version: "v1.5.0", type: .go,
                              purl: PackageURL(type: "golang", namespace: "github.com/gin-gonic", name: "gin", version: "v1.5.0"))
        let result = try Matcher(store: store).match(package, distro: nil)
        let match = try #require(result.matches.first { $0.vulnerability.id == "GO-2020-0001" })
        #expect(match.vulnerability.affectedImports == [Self.gin])
        #expect(match.vulnerability.fixedVersion == "1.6.0")
    }

    @Test func databaseFromBeforeTheColumnIsMigrated() throws {
        let directory = try VulnDBFixtures.temporaryDirectory()
        let path = directory + "/old.sqlite"
        // A database as the first schema left it, holding a Go record without the column.
        let queue = try DatabaseQueue(path: path)
        try AdvisorySchema.migrator.migrate(queue, upTo: "v1: sources, vulnerabilities, affected packages, import errors")
        try queue.write { db in
            try db.execute(sql: "INSERT INTO source (name, kind, location, importedAt) VALUES ('old', 'osv', '/x', ?)", arguments: [Date()])
            try db.execute(sql: """
                INSERT INTO affectedPackage (sourceId, vulnerabilityId, namespace, packageName, ecosystem, status, symbols)
                VALUES (1, 'GO-OLD-1', 'osv:Go', 'example.com/m', 'Go', 'affected', '["example.com/m.F"]')
                """)
        }
        let store = try SQLiteAdvisoryStore(path: path, create: false)
        let old = try #require(try store.affected(namespace: "osv:Go", packageName: "example.com/m").first)
        #expect(old.imports.isEmpty)
        #expect(old.symbols == ["example.com/m.F"])
        #expect(try store.status().schemaVersion.hasPrefix("v3"))
    }
}

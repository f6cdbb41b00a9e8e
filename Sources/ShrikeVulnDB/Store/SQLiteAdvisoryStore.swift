import Foundation
import GRDB
import ShrikeCore

/// The advisory database: an SQLite file (through GRDB) that importers fill and the matcher reads.
///
/// Every import runs in one write transaction: if an importer throws, or the process dies, SQLite's journal leaves the
/// database exactly as it was before the import began. Lookups use one cached prepared statement on the
/// `(namespace, packageName)` index. Safe to share between threads (GRDB serialises access).
public struct SQLiteAdvisoryStore: AdvisoryStore {
    /// The database file (`:memory:` for an in-memory store).
    public let path: String
    let queue: DatabaseQueue

    /// `$XDG_CACHE_HOME/shrike/db.sqlite`, else `~/.cache/shrike/db.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") { return cache + "/shrike/db.sqlite" }
        let home = environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        return home + "/.cache/shrike/db.sqlite"
    }

    /// Opens (and with `create`, creates along with its directory) the database at `path`, migrating it to the
    /// current schema. Throws `notFound` when the file is missing and `create` is false, `io` when it cannot be opened.
    public init(path: String, create: Bool = true) throws {
        self.path = path
        if !FileManager.default.fileExists(atPath: path) {
            guard create else {
                throw ShrikeError(.notFound, "no advisory database here; run 'shrike db import PATH...' first, or pass --db", input: path)
            }
            let directory = (path as NSString).deletingLastPathComponent
            do {
                try FileManager.default.createDirectory(atPath: directory.isEmpty ? "." : directory,
                                                        withIntermediateDirectories: true)
            } catch {
                throw ShrikeError(.io, "cannot create the database directory: \(error.localizedDescription)", input: directory)
            }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try AdvisorySchema.migrator.migrate(queue)
        } catch let error as DatabaseError {
            throw ShrikeError(.io, "cannot open the advisory database: \(error.message ?? error.description)", input: path)
        }
    }

    private init(memory queue: DatabaseQueue) throws {
        path = ":memory:"
        self.queue = queue
        try AdvisorySchema.migrator.migrate(queue)
    }

    /// A private in-memory database, for tests.
    public static func inMemory() throws -> SQLiteAdvisoryStore {
        try SQLiteAdvisoryStore(memory: try DatabaseQueue())
    }

    // MARK: - Import

    /// Runs every importer inside one transaction and returns what each source received.
    ///
    /// Sources met again are replaced, not added to. When an importer throws, nothing of this import is kept and the
    /// error is rethrown (naming the importer's input).
    public func importAdvisories(_ importers: [any AdvisoryImporter], now: Date = Date()) throws -> ImportReport {
        let start = Date()
        do {
            return try queue.write { db in
                let session = ImportSession(db: db, now: now)
                for importer in importers {
                    do {
                        try importer.importAdvisories(into: session)
                    } catch let error as ShrikeError {
                        throw error.naming(importer.input)
                    }
                }
                return try session.finish(seconds: Date().timeIntervalSince(start))
            }
        } catch let error as DatabaseError {
            throw ShrikeError(.io, "import failed and was rolled back: \(error.message ?? error.description)", input: path)
        }
    }

    // MARK: - Lookups (AdvisoryStore)

    public func affected(namespace: String, packageName: String) throws -> [AffectedPackage] {
        try queue.read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT vulnerabilityId, namespace, packageName, ecosystem, ranges, versions, status, severity, symbols,
                       imports, vendorStatus, advisories
                FROM affectedPackage WHERE namespace = ? AND packageName = ?
                """)
            let rows = try Row.fetchCursor(statement, arguments: [namespace, packageName])
            var result: [AffectedPackage] = []
            while let row = try rows.next() {
                let ecosystemName: String = row[3]
                let statusName: String = row[6]
                guard let ecosystem = Ecosystem(rawValue: ecosystemName), let status = AffectedStatus(rawValue: statusName) else {
                    throw ShrikeError(.malformed, "a stored record has ecosystem '\(ecosystemName)' and status '\(statusName)', which this shrike does not know; re-import the data", input: path)
                }
                result.append(AffectedPackage(
                    vulnerabilityID: row[0], namespace: row[1], packageName: row[2], ecosystem: ecosystem,
                    ranges: try StoredJSON.decodeRanges(row[4]), versions: try StoredJSON.decodeStrings(row[5]),
                    status: status, severity: (row[7] as String?).flatMap(Severity.init(rawValue:)),
                    symbols: try StoredJSON.decodeStrings(row[8]), imports: try StoredJSON.decodeImports(row[9]),
                    vendorStatus: row[10], advisories: try StoredJSON.decodeStrings(row[11])))
            }
            return result
        }
    }

    public func hasRecords(namespace: String) throws -> Bool {
        try queue.read { db in
            // The (namespace, packageName) index answers this with one probe.
            let statement = try db.cachedStatement(sql: "SELECT 1 FROM affectedPackage WHERE namespace = ? LIMIT 1")
            return try Int.fetchOne(statement, arguments: [namespace]) != nil
        }
    }

    /// The namespaces that hold records, with their record counts (for `db status` and the "unchecked" hint).
    public func namespaces() throws -> [String: Int] {
        try queue.read { db in
            var result: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT namespace, COUNT(*) FROM affectedPackage GROUP BY namespace") {
                result[row[0]] = row[1]
            }
            return result
        }
    }

    /// The vulnerability `id`. When several sources describe it (Debian and Alpine both know a CVE), the one with the
    /// most to say wins: a summary, then a known severity, then the source imported first.
    public func vulnerability(id: String) throws -> Vulnerability? {
        try queue.read { db in
            let statement = try db.cachedStatement(sql: """
                SELECT id, aliases, summary, severity, cvssVectors, urls, published, modified, kind
                FROM vulnerability WHERE id = ?
                ORDER BY (summary IS NOT NULL) DESC, (severity != 'unknown') DESC, sourceId
                LIMIT 1
                """)
            guard let row = try Row.fetchOne(statement, arguments: [id]) else { return nil }
            return Vulnerability(
                id: row[0], aliases: try StoredJSON.decodeStrings(row[1]), summary: row[2],
                severity: Severity(rawValue: row[3]) ?? .unknown, cvssVectors: try StoredJSON.decodeStrings(row[4]),
                urls: try StoredJSON.decodeStrings(row[5]), published: row[6], modified: row[7], source: row[8])
        }
    }

    // MARK: - Status

    /// Sources, counts and dates, with the first few failures of each source.
    public func status(now: Date = Date()) throws -> AdvisoryDatabaseStatus {
        try queue.read { db in
            let applied = try AdvisorySchema.migrator.appliedIdentifiers(db)
            var sources: [AdvisoryDatabaseStatus.Source] = []
            let rows = try Row.fetchAll(db, sql: """
                SELECT id, name, kind, location, importedAt, recordCount, affectedCount, failedCount, skippedCount,
                       newestModified, etag, lastModified
                FROM source ORDER BY name
                """)
            for row in rows {
                let id: Int64 = row[0]
                let failures = try Row.fetchAll(db, sql: """
                    SELECT file, reason FROM importError WHERE sourceId = ? AND kind = 'failed' ORDER BY id LIMIT ?
                    """, arguments: [id, ImportSession.reportedFailures]).map { ImportFailure(file: $0[0], reason: $0[1]) }
                sources.append(AdvisoryDatabaseStatus.Source(
                    name: row[1], kind: row[2], location: row[3], importedAt: row[4],
                    ageSeconds: now.timeIntervalSince(row[4] as Date), records: row[5], affected: row[6],
                    failed: row[7], skipped: row[8], newestRecord: row[9], etag: row[10], lastModified: row[11],
                    firstFailures: failures))
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.int64Value ?? 0
            return AdvisoryDatabaseStatus(path: path, schemaVersion: applied.sorted().last ?? "none",
                                          sizeBytes: size, sources: sources)
        }
    }

    /// Every failure (or, with `kind: "skipped"`, every skipped record) stored for the source named `source`.
    public func importErrors(source: String, kind: String = "failed") throws -> [ImportFailure] {
        try queue.read { db in
            try Row.fetchAll(db, sql: """
                SELECT e.file, e.reason FROM importError e JOIN source s ON s.id = e.sourceId
                WHERE s.name = ? AND e.kind = ? ORDER BY e.id
                """, arguments: [source, kind]).map { ImportFailure(file: $0[0], reason: $0[1]) }
        }
    }

    /// Counts rows per table, for tests and benchmarks.
    public func rowCounts() throws -> [String: Int] {
        try queue.read { db in
            var counts: [String: Int] = [:]
            for table in ["source", "vulnerability", "affectedPackage", "importError"] {
                counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0
            }
            return counts
        }
    }
}

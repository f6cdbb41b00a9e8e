import Foundation
import GRDB
import ShrikeCore

/// Incidents on disk: an SQLite index (through GRDB) with each incident's alerts and compressed events, under a
/// record directory, bounded in total size (oldest closed evicted first; the newest incident is always kept).
///
/// Safe to share between threads: GRDB serialises access, and several processes may open the same directory.
public struct IncidentStore: Sendable {
    /// The record directory.
    public let directory: String
    /// The most bytes of stored incidents (compressed events and alerts) kept.
    public let maxBytes: Int64
    let queue: DatabaseQueue

    /// The index file inside the record directory.
    public static let indexName = "incidents.sqlite"

    /// `$XDG_CACHE_HOME/shrike/incidents`, else `~/.cache/shrike/incidents`.
    public static func defaultDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let cache = environment["XDG_CACHE_HOME"], cache.hasPrefix("/") { return cache + "/shrike/incidents" }
        let home = environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        return home + "/.cache/shrike/incidents"
    }

    /// Opens the store in `directory`; with `create`, makes the directory and index when missing. Throws `notFound`
    /// when there is no store and `create` is false, `io` when it cannot be opened.
    public init(directory: String, maxBytes: Int64 = 1 << 30, create: Bool = true) throws {
        self.directory = directory
        self.maxBytes = maxBytes
        let path = directory + "/" + Self.indexName
        if !FileManager.default.fileExists(atPath: path) {
            guard create else {
                throw ShrikeError(.notFound, "no incidents recorded here yet (run 'shrike watch' with rules, or pass --record-dir)", input: directory)
            }
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw ShrikeError(.io, "cannot create the record directory: \(error.localizedDescription)", input: directory)
            }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // Before the first table exists, so deleted incidents give their pages back to the file system.
            try db.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL")
            // The index is small and blobs are written once: SQLite's default page cache (up to ~8 MiB) would only
            // add to the agent's peak memory while a large incident is written.
            try db.execute(sql: "PRAGMA cache_size = -1024")
        }
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try IncidentSchema.migrator.migrate(queue)
        } catch let error as DatabaseError {
            throw ShrikeError(.io, "cannot open the incident index: \(error.message ?? error.description)", input: path)
        }
    }

    /// Compresses and stores a closed incident, then evicts the oldest incidents while the total exceeds `maxBytes`.
    /// Returns the summary as stored (with `bytes` filled in).
    @discardableResult
    public func save(_ incident: ClosedIncident) throws -> IncidentSummary {
        let events = try ZlibBlob.compress(parts: EventLogCodec.encodeParts(incident.log))
        let alerts = try Self.encoder.encode(incident.alerts)
        var summary = incident.summary
        summary.bytes = events.count + alerts.count
        let scope = String(decoding: try Self.encoder.encode(summary.scope), as: UTF8.self)
        let stored = summary
        // The blob is handed to SQLite without an intermediate `Data` copy (SQLite makes its own): a large
        // incident's write is the recorder's memory peak.
        try events.withUnsafeBytes { eventBytes in
            let eventData = eventBytes.baseAddress.map {
                Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: $0), count: eventBytes.count, deallocator: .none)
            } ?? Data()
            try write { db in
                try db.execute(sql: """
                    INSERT OR REPLACE INTO incident (id, openedAt, closedAt, windowStart, windowEnd, scopeKind, container,
                        firstRule, priority, alertCount, eventCount, droppedEvents, bytes, hostname, closedEarly, scope)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [stored.id, Int64(bitPattern: stored.openedAt), Int64(bitPattern: stored.closedAt),
                                     Int64(bitPattern: stored.windowStart), Int64(bitPattern: stored.windowEnd),
                                     stored.scope.kind.rawValue, stored.scope.container, stored.firstRule, stored.priority,
                                     stored.alertCount, stored.eventCount, stored.droppedEvents, stored.bytes,
                                     stored.hostname, stored.closedEarly, scope])
                try db.execute(sql: "INSERT OR REPLACE INTO incidentData (id, alerts, events) VALUES (?, ?, ?)",
                               arguments: [stored.id, alerts, eventData])
                try evict(db, keeping: stored.id)
            }
        }
        return stored
    }

    private func evict(_ db: Database, keeping id: String) throws {
        var total = try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(bytes), 0) FROM incident") ?? 0
        guard total > maxBytes else { return }
        let oldest = try Row.fetchAll(db, sql: "SELECT id, bytes FROM incident WHERE id != ? ORDER BY closedAt, id",
                                      arguments: [id])
        for row in oldest where total > maxBytes {
            let victim: String = row[0]
            let bytes: Int64 = row[1]
            try db.execute(sql: "DELETE FROM incidentData WHERE id = ?", arguments: [victim])
            try db.execute(sql: "DELETE FROM incident WHERE id = ?", arguments: [victim])
            total -= bytes
        }
    }

    /// Every stored incident, newest first.
    public func list() throws -> [IncidentSummary] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM incident ORDER BY openedAt DESC, id DESC").map(summary)
        }
    }

    /// The stored incident `id`; throws `notFound` when there is none.
    public func load(id: String) throws -> StoredIncident {
        let found: (IncidentSummary, Data, Data)? = try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM incident WHERE id = ?", arguments: [id]),
                  let data = try Row.fetchOne(db, sql: "SELECT alerts, events FROM incidentData WHERE id = ?",
                                              arguments: [id])
            else { return nil }
            return (try summary(row), data[0], data[1])
        }
        guard let (summary, alertBytes, eventBytes) = found else {
            throw ShrikeError(.notFound, "no such incident in \(directory); 'shrike incidents list' shows the ids", input: id)
        }
        let alerts: [IncidentAlert]
        do {
            alerts = try JSONDecoder().decode([IncidentAlert].self, from: alertBytes)
        } catch {
            throw ShrikeError(.malformed, "the stored alerts do not decode; delete the incident", input: id)
        }
        let log = try EventLogCodec.decode(try ZlibBlob.decompress(Array(eventBytes), what: id), what: id)
        return StoredIncident(summary: summary, alerts: alerts, events: log.events)
    }

    /// Removes an incident; false when there was none.
    @discardableResult
    public func delete(id: String) throws -> Bool {
        try write { db in
            try db.execute(sql: "DELETE FROM incidentData WHERE id = ?", arguments: [id])
            try db.execute(sql: "DELETE FROM incident WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }

    /// The bytes of all stored incidents (as counted against `maxBytes`).
    public func totalBytes() throws -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(SUM(bytes), 0) FROM incident") ?? 0 }
    }

    private func summary(_ row: Row) throws -> IncidentSummary {
        let id: String = row["id"]
        let scopeText: String = row["scope"]
        guard let scope = try? JSONDecoder().decode(IncidentScope.self, from: Data(scopeText.utf8)) else {
            throw ShrikeError(.malformed, "the stored scope does not decode; delete the incident", input: id)
        }
        let time = { (name: String) -> UInt64 in UInt64(bitPattern: row[name] as Int64) }
        return IncidentSummary(
            id: id, openedAt: time("openedAt"), closedAt: time("closedAt"), windowStart: time("windowStart"),
            windowEnd: time("windowEnd"), scope: scope, firstRule: row["firstRule"], priority: row["priority"],
            alertCount: row["alertCount"], eventCount: row["eventCount"], droppedEvents: row["droppedEvents"],
            bytes: row["bytes"], hostname: row["hostname"], closedEarly: row["closedEarly"])
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            return try queue.read(body)
        } catch let error as DatabaseError {
            throw ShrikeError(.io, "cannot read the incident index: \(error.message ?? error.description)", input: directory)
        }
    }

    private func write<T>(_ body: (Database) throws -> T) throws -> T {
        do {
            let result = try queue.write(body)
            try? queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA incremental_vacuum") }
            return result
        } catch let error as DatabaseError {
            throw ShrikeError(.io, "cannot write the incident index: \(error.message ?? error.description)", input: directory)
        }
    }
}

import Foundation
import GRDB
import ShrikeCore

/// The SQLite engine (GRDB, a WAL-mode pool: readers never wait for the writer): zero set-up for one machine.
package final class SQLiteServerStore: ServerStore {
    private let pool: DatabasePool
    package let path: String

    /// Opens (creating when absent) the database at `path` and brings its schema up to date.
    package init(path: String) throws {
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(10)
        configuration.label = "shrike-server"
        do {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            }
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw ShrikeError(.io, "cannot open the server database: \(error)", input: path)
        }
    }

    package func migrate() async throws {
        try await write { db in
            try db.execute(sql: ServerSQL.createMigrations)
            let applied = try Int.fetchOne(db, sql: ServerSQL.appliedVersion) ?? 0
            guard applied <= ServerSchema.version else {
                throw ShrikeError(.unsupportedFormat, "the database has schema version \(applied), newer than this "
                                  + "shrike's \(ServerSchema.version); upgrade shrike", input: self.path)
            }
            for migration in ServerSchema.migrations(.sqlite) where migration.version > applied {
                for statement in migration.statements { try db.execute(sql: statement) }
                try db.execute(sql: ServerSQL.recordMigration,
                               arguments: [migration.version, Int64(Date().timeIntervalSince1970)])
            }
        }
    }

    // MARK: Tokens

    package func createToken(_ token: StoredToken) async throws {
        try await write { db in
            if try Row.fetchOne(db, sql: "SELECT 1 FROM tokens WHERE name = ?", arguments: [token.name]) != nil {
                throw ShrikeError(.usage, "a token with this name exists; revoke it or choose another name",
                                  input: token.name)
            }
            let insert = ServerIngestPlan.insertToken(token)
            try db.execute(sql: insert.sql, arguments: Self.arguments(insert))
        }
    }

    package func tokens() async throws -> [StoredToken] {
        try await read { db in try Row.fetchAll(db, sql: ServerSQL.listTokens).compactMap(Self.token) }
    }

    package func revokeToken(name: String, at date: Date) async throws -> Bool {
        try await write { db in
            let revoke = ServerIngestPlan.revokeToken(name: name, at: date)
            try db.execute(sql: revoke.sql, arguments: Self.arguments(revoke))
            return db.changesCount > 0
        }
    }

    package func token(hash: String) async throws -> StoredToken? {
        try await read { db in
            try Row.fetchOne(db, sql: ServerSQL.tokenByHash, arguments: [hash]).flatMap(Self.token)
        }
    }

    private static func token(_ row: Row) -> StoredToken? {
        ServerIngestPlan.token(name: row[0], role: row[1], hash: row[2], createdAt: row[3], revokedAt: row[4])
    }

    // MARK: Ingest

    package func ingest(agent: String, records: [IngestRecord], receivedAt: Date) async throws -> [Bool] {
        let writes = ServerIngestPlan.ingest(agent: agent, records: records,
                                             now: Int64(receivedAt.timeIntervalSince1970 * 1e9))
        return try await write { db in
            var claimed = Set<Int64>()
            for claim in writes.claims {
                claimed.formUnion(try Int64.fetchAll(db, sql: claim.sql, arguments: Self.arguments(claim)))
            }
            let (stored, statements) = writes.rows(claimed: claimed)
            for statement in statements { try db.execute(sql: statement.sql, arguments: Self.arguments(statement)) }
            return stored
        }
    }

    // MARK: Queries

    package func alerts(_ query: AlertQuery) async throws -> Page<StoredAlert> {
        let statement = ServerSQL.alerts(query)
        let alerts = try await read { db in
            try Row.fetchAll(db, sql: statement.sql, arguments: Self.arguments(statement)).map { row in
                StoredAlert(rowID: row[0], agent: row[1], seq: row[2], receivedAt: row[3],
                            body: Data((row[4] as String).utf8))
            }
        }
        return Self.page(alerts, limit: query.limit, id: \.rowID)
    }

    package func incidents(_ query: IncidentQuery) async throws -> Page<IncidentRow> {
        let statement = ServerSQL.incidents(query)
        let rows = try await read { db in
            try Row.fetchAll(db, sql: statement.sql, arguments: Self.arguments(statement)).map(Self.incident)
        }
        return Self.page(rows, limit: query.limit, id: \.rowID)
    }

    package func incident(id: String) async throws -> IncidentRow? {
        try await read { db in
            try Row.fetchOne(db, sql: ServerSQL.incidentByID, arguments: [id]).map(Self.incident)
        }
    }

    private static func incident(_ row: Row) -> IncidentRow {
        IncidentRow(rowID: row[0], id: row[1], agent: row[2], hostname: row[3], rule: row[4], openedAt: row[5],
                    alertCount: row[6], body: Data((row[7] as String).utf8))
    }

    static func page<Item>(_ items: [Item], limit: Int, id: KeyPath<Item, Int64>) -> Page<Item> {
        guard items.count > limit else { return Page(items: items, next: nil) }
        let kept = Array(items.prefix(limit))
        return Page(items: kept, next: kept.last.map { String($0[keyPath: id]) })
    }

    package func hosts() async throws -> [HostRow] {
        try await read { db in
            try Row.fetchAll(db, sql: ServerSQL.listHosts).map { row in
                HostRow(agent: row[0], hostname: row[1], version: row[2], kernel: row[3], drops: row[4],
                        spoolBytes: row[5], spoolRecords: row[6], evicted: row[7], lastSeen: row[8],
                        running: ServerIngestPlan.decodeList(row[9]))
            }
        }
    }

    package func images() async throws -> [ImageRow] {
        try await read { db in
            var hosts: [String: [String]] = [:]
            for row in try Row.fetchAll(db, sql: ServerSQL.imageHosts) { hosts[row[0], default: []].append(row[1]) }
            return try Row.fetchAll(db, sql: ServerSQL.listImages).map { row in
                let imageID: String = row[8]
                return ImageRow(digest: row[0], name: row[1], distro: row[2], packages: row[3], vulnerabilities: row[7],
                                firstSeen: row[4], lastSeen: row[5], matchedAt: row[6],
                                hosts: ServerIngestPlan.hosts(hosts, digest: row[0], imageID: imageID))
            }
        }
    }

    package func imageVulnerabilities(digest: String) async throws -> [ImageVulnerabilityRow]? {
        try await read { db in
            guard try Row.fetchOne(db, sql: ServerSQL.imageExists, arguments: [digest]) != nil else { return nil }
            return try String.fetchAll(db, sql: ServerSQL.imageMatches, arguments: [digest])
                .compactMap(ServerIngestPlan.decodeMatch)
        }
    }

    package func affected(vulnerability: String) async throws -> [AffectedImageRow] {
        let rows = try await read { db in
            try Row.fetchAll(db, sql: ServerSQL.affected, arguments: [vulnerability]).map { row -> AffectedTuple in
                (row[0], row[1], row[2], row[3])
            }
        }
        return ServerIngestPlan.affected(rows)
    }

    package func sboms(staleFor advisoryVersion: String) async throws -> [(digest: String, sbom: Data)] {
        try await read { db in
            try Row.fetchAll(db, sql: ServerSQL.staleSBOMs, arguments: [advisoryVersion]).map { row in (row[0], Data((row[1] as String).utf8)) }
        }
    }

    package func replaceMatches(digest: String, matches: [ImageVulnerabilityRow], advisoryVersion: String) async throws {
        let statements = try ServerIngestPlan.replaceMatches(digest: digest, matches: matches,
                                                             advisoryVersion: advisoryVersion, now: Date())
        try await write { db in
            for statement in statements { try db.execute(sql: statement.sql, arguments: Self.arguments(statement)) }
        }
    }

    package func evict(_ retention: Retention, now: Date) async throws -> [RecordKind: Int] {
        try await write { db in
            var evicted: [RecordKind: Int] = [:]
            for statement in ServerIngestPlan.eviction(retention, now: now) {
                try db.execute(sql: statement.sql, arguments: Self.arguments(statement.statement))
                if let kind = statement.kind { evicted[kind, default: 0] += db.changesCount }
            }
            return evicted
        }
    }

    package func counts() async throws -> [RecordKind: Int] {
        try await read { db in
            var counts: [RecordKind: Int] = [:]
            for (kind, sql) in ServerIngestPlan.countQueries {
                counts[kind] = try Int.fetchOne(db, sql: sql) ?? 0
            }
            return counts
        }
    }

    typealias AffectedTuple = (String, String, String, String?)

    package func alertCounts(_ query: AlertQuery, by column: AlertCountColumn, limit: Int) async throws -> [AlertCount] {
        let statement = ServerSQL.alertCounts(query, by: column, limit: limit)
        return try await read { db in
            try Row.fetchAll(db, sql: statement.sql, arguments: Self.arguments(statement)).map { row in
                AlertCount(value: row[0], count: row[1])
            }
        }
    }

    // MARK: Console sessions

    package func createSession(_ session: StoredSession) async throws {
        try await execute(ServerSessionPlan.insert(session))
    }

    package func session(hash: String, now: Date) async throws -> StoredSession? {
        let lookup = ServerSessionPlan.lookup(hash: hash, now: now)
        return try await read { db in
            try Row.fetchOne(db, sql: lookup.sql, arguments: Self.arguments(lookup)).flatMap { row in
                ServerSessionPlan.session(hash: row[0], name: row[1], role: row[2], tokenHash: row[3], csrf: row[4],
                                          createdAt: row[5], expiresAt: row[6])
            }
        }
    }

    package func deleteSession(hash: String) async throws {
        try await execute(ServerSessionPlan.delete(hash: hash))
    }

    package func createLoginLink(_ link: StoredLoginLink) async throws {
        try await execute(ServerSessionPlan.insert(link))
    }

    /// One statement in its own transaction.
    private func execute(_ statement: ServerSQL.Statement) async throws {
        try await write { db in try db.execute(sql: statement.sql, arguments: Self.arguments(statement)) }
    }

    package func consumeLoginLink(hash: String, now: Date) async throws -> StoredLoginLink? {
        let consume = ServerSessionPlan.consume(hash: hash, now: now)
        return try await write { db in
            try Row.fetchOne(db, sql: consume.sql, arguments: Self.arguments(consume)).flatMap { row in
                ServerSessionPlan.loginLink(hash: row[0], name: row[1], role: row[2], createdAt: row[3],
                                            expiresAt: row[4])
            }
        }
    }

    // MARK: Plumbing

    private static func arguments(_ statement: ServerSQL.Statement) -> StatementArguments {
        StatementArguments(statement.arguments.map { value -> (any DatabaseValueConvertible)? in
            switch value {
            case .int(let number): number
            case .text(let text): text
            case .null: nil
            }
        })
    }

    private func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch let error as ShrikeError {
            throw error
        } catch {
            throw ShrikeError(.io, "the server database failed: \(error)", input: path)
        }
    }

    private func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch let error as ShrikeError {
            throw error
        } catch {
            throw ShrikeError(.io, "the server database failed: \(error)", input: path)
        }
    }
}

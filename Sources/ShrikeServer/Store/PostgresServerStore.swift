import Foundation
import Logging
import NIOCore
import PostgresNIO
import ShrikeCore

/// The PostgreSQL engine (postgres-nio), for fleets: the same schema, migrations, statements and write plans as the
/// SQLite engine, with `?` numbered `$1…`. Each write is one transaction on a pooled connection.
///
/// The store owns the client's `run()` task: it starts with the store and ends with `close()` (or when the store is
/// released). A server that is down or refuses the user fails `migrate()` (which `DatabaseLocation.open()` runs) with
/// what went wrong, naming the URL with its password masked.
package final class PostgresServerStore: ServerStore {
    private let client: PostgresClient
    private let runner: Task<Void, Never>
    private let logger: Logger
    private let url: PostgresURL
    /// The URL with its password masked: what every error names.
    package let location: String

    /// Any key works, as long as every Shrike server agrees: migrations of two servers starting at once run one
    /// after the other.
    static let migrationLockKey: Int64 = 0x5348_524B_4D49_4752  // "SHRKMIGR"

    /// Parses `url` (see `PostgresURL`) and starts the connection pool; nothing connects until the first call.
    package init(url: String, connections: Int = 8) throws {
        location = DatabaseLocation.postgres(url: url).description
        let parsed = try PostgresURL(parsing: url)
        self.url = parsed
        let client = PostgresClient(configuration: parsed.configuration(connections: connections))
        self.client = client
        runner = Task { await client.run() }
        var logger = Logger(label: "shrike-server-postgres")
        logger.logLevel = .critical
        self.logger = logger
    }

    deinit { runner.cancel() }

    /// Closes the pool's connections and waits for its task to end.
    package func close() async {
        runner.cancel()
        await runner.value
    }

    /// Connects once on its own first (so a wrong password or a server that is down is one clear error, not the
    /// pool's retries), then runs the migrations not yet applied, one server at a time.
    package func migrate() async throws {
        try await probe()
        try await write { connection in
            // Taken first: PostgreSQL's CREATE TABLE IF NOT EXISTS is not safe against a concurrent one.
            _ = try await self.run(ServerSQL.Statement(sql: "SELECT pg_advisory_xact_lock(?)",
                                                       arguments: [.int(Self.migrationLockKey)]), on: connection)
            _ = try await self.run(.init(sql: ServerSQL.createMigrations, arguments: []), on: connection)
            let applied = try await self.run(.init(sql: ServerSQL.appliedVersion, arguments: []), on: connection)
                .rows.first?.decode(Int64.self) ?? 0
            guard applied <= ServerSchema.version else {
                throw ShrikeError(.unsupportedFormat, "the database has schema version \(applied), newer than this "
                                  + "shrike's \(ServerSchema.version); upgrade shrike", input: self.location)
            }
            for migration in ServerSchema.migrations(.postgres) where migration.version > applied {
                for statement in migration.statements {
                    _ = try await self.run(.init(sql: statement, arguments: []), on: connection)
                }
                _ = try await self.run(.init(sql: ServerSQL.recordMigration, arguments: [
                    .int(Int64(migration.version)), .int(Int64(Date().timeIntervalSince1970))]), on: connection)
            }
        }
    }

    private func probe() async throws {
        do {
            let connection = try await PostgresConnection.connect(configuration: url.connectionConfiguration(), id: 0,
                                                                  logger: logger)
            try await connection.close()
        } catch {
            throw ShrikeError(.io, "cannot connect to PostgreSQL: \(Self.reason(error))", input: location)
        }
    }

    // MARK: Tokens

    package func createToken(_ token: StoredToken) async throws {
        try await write { connection in
            let existing = try await self.run(.init(sql: "SELECT 1 FROM tokens WHERE name = ?",
                                                    arguments: [.text(token.name)]), on: connection)
            if !existing.rows.isEmpty {
                throw ShrikeError(.usage, "a token with this name exists; revoke it or choose another name",
                                  input: token.name)
            }
            _ = try await self.run(ServerIngestPlan.insertToken(token), on: connection)
        }
    }

    package func tokens() async throws -> [StoredToken] {
        try await read(.init(sql: ServerSQL.listTokens, arguments: [])).compactMap(Self.token)
    }

    package func revokeToken(name: String, at date: Date) async throws -> Bool {
        try await write { connection in
            let result = try await self.run(ServerIngestPlan.revokeToken(name: name, at: date), on: connection)
            return (result.metadata.rows ?? 0) > 0
        }
    }

    package func token(hash: String) async throws -> StoredToken? {
        try await read(.init(sql: ServerSQL.tokenByHash, arguments: [.text(hash)])).first.flatMap(Self.token)
    }

    private static func token(_ row: PostgresRow) -> StoredToken? {
        guard let (name, role, hash, created, revoked) = try? row.decode((String, String, String, Int64, Int64?).self)
        else { return nil }
        return ServerIngestPlan.token(name: name, role: role, hash: hash, createdAt: created, revokedAt: revoked)
    }

    // MARK: Ingest

    package func ingest(agent: String, records: [IngestRecord], receivedAt: Date) async throws -> [Bool] {
        let writes = ServerIngestPlan.ingest(agent: agent, records: records,
                                             now: Int64(receivedAt.timeIntervalSince1970 * 1e9))
        return try await write { connection in
            var claimed = Set<Int64>()
            for claim in writes.claims {
                for row in try await self.run(claim, on: connection).rows { claimed.insert(try row.decode(Int64.self)) }
            }
            let (stored, statements) = writes.rows(claimed: claimed)
            for statement in statements { _ = try await self.run(statement, on: connection) }
            return stored
        }
    }

    // MARK: Queries

    package func alerts(_ query: AlertQuery) async throws -> Page<StoredAlert> {
        let alerts = try await read(ServerSQL.alerts(query)).map { row in
            let (id, agent, seq, received, body) = try row.decode((Int64, String, Int64, Int64, String).self)
            return StoredAlert(rowID: id, agent: agent, seq: seq, receivedAt: received, body: Data(body.utf8))
        }
        return SQLiteServerStore.page(alerts, limit: query.limit, id: \.rowID)
    }

    package func incidents(_ query: IncidentQuery) async throws -> Page<IncidentRow> {
        let rows = try await read(ServerSQL.incidents(query)).map(Self.incident)
        return SQLiteServerStore.page(rows, limit: query.limit, id: \.rowID)
    }

    package func incident(id: String) async throws -> IncidentRow? {
        try await read(.init(sql: ServerSQL.incidentByID, arguments: [.text(id)])).first.map(Self.incident)
    }

    private static func incident(_ row: PostgresRow) throws -> IncidentRow {
        let (rowID, id, agent, hostname, rule, opened, count, body) =
            try row.decode((Int64, String, String, String, String, Int64, Int64, String).self)
        return IncidentRow(rowID: rowID, id: id, agent: agent, hostname: hostname, rule: rule, openedAt: opened,
                           alertCount: Int(count), body: Data(body.utf8))
    }

    package func hosts() async throws -> [HostRow] {
        try await read(.init(sql: ServerSQL.listHosts, arguments: [])).map { row in
            let (agent, hostname, version, kernel, drops, spoolBytes, spoolRecords, evicted, lastSeen, running) =
                try row.decode((String, String, String, String, Int64, Int64, Int64, Int64, Int64, String).self)
            return HostRow(agent: agent, hostname: hostname, version: version, kernel: kernel, drops: drops,
                           spoolBytes: spoolBytes, spoolRecords: spoolRecords, evicted: evicted, lastSeen: lastSeen,
                           running: ServerIngestPlan.decodeList(running))
        }
    }

    package func images() async throws -> [ImageRow] {
        var hosts: [String: [String]] = [:]
        for row in try await read(.init(sql: ServerSQL.imageHosts, arguments: [])) {
            let (digest, agent) = try row.decode((String, String).self)
            hosts[digest, default: []].append(agent)
        }
        return try await read(.init(sql: ServerSQL.listImages, arguments: [])).map { row in
            let (digest, name, distro, packages, firstSeen, lastSeen, matchedAt, vulnerabilities, imageID) =
                try row.decode((String, String, String, Int64, Int64, Int64, Int64?, Int64, String).self)
            return ImageRow(digest: digest, name: name, distro: distro, packages: Int(packages),
                            vulnerabilities: Int(vulnerabilities), firstSeen: firstSeen, lastSeen: lastSeen,
                            matchedAt: matchedAt, hosts: ServerIngestPlan.hosts(hosts, digest: digest, imageID: imageID))
        }
    }

    package func imageVulnerabilities(digest: String) async throws -> [ImageVulnerabilityRow]? {
        guard try await !read(.init(sql: ServerSQL.imageExists, arguments: [.text(digest)])).isEmpty else { return nil }
        return try await read(.init(sql: ServerSQL.imageMatches, arguments: [.text(digest)]))
            .compactMap { try ServerIngestPlan.decodeMatch($0.decode(String.self)) }
    }

    package func affected(vulnerability: String) async throws -> [AffectedImageRow] {
        let rows = try await read(.init(sql: ServerSQL.affected, arguments: [.text(vulnerability)])).map { row in
            try row.decode((String, String, String, String?).self)
        }
        return ServerIngestPlan.affected(rows)
    }

    package func sboms(staleFor advisoryVersion: String) async throws -> [(digest: String, sbom: Data)] {
        try await read(.init(sql: ServerSQL.staleSBOMs, arguments: [.text(advisoryVersion)])).map { row in
            let (digest, sbom) = try row.decode((String, String).self)
            return (digest, Data(sbom.utf8))
        }
    }

    package func replaceMatches(digest: String, matches: [ImageVulnerabilityRow], advisoryVersion: String) async throws {
        let statements = try ServerIngestPlan.replaceMatches(digest: digest, matches: matches,
                                                             advisoryVersion: advisoryVersion, now: Date())
        try await write { connection in
            for statement in statements { _ = try await self.run(statement, on: connection) }
        }
    }

    package func evict(_ retention: Retention, now: Date) async throws -> [RecordKind: Int] {
        let plan = ServerIngestPlan.eviction(retention, now: now)
        return try await write { connection in
            var evicted: [RecordKind: Int] = [:]
            for step in plan {
                // The command tag (`DELETE 42`) counts the rows, as SQLite's changes() does.
                let result = try await self.run(step.statement, on: connection)
                if let kind = step.kind { evicted[kind, default: 0] += result.metadata.rows ?? 0 }
            }
            return evicted
        }
    }

    package func counts() async throws -> [RecordKind: Int] {
        var counts: [RecordKind: Int] = [:]
        for (kind, sql) in ServerIngestPlan.countQueries {
            counts[kind] = Int(try await read(.init(sql: sql, arguments: [])).first?.decode(Int64.self) ?? 0)
        }
        return counts
    }

    package func alertCounts(_ query: AlertQuery, by column: AlertCountColumn, limit: Int) async throws -> [AlertCount] {
        try await read(ServerSQL.alertCounts(query, by: column, limit: limit)).map { row in
            let (value, count) = try row.decode((String, Int64).self)
            return AlertCount(value: value, count: Int(count))
        }
    }

    // MARK: Console sessions

    package func createSession(_ session: StoredSession) async throws {
        try await execute(ServerSessionPlan.insert(session))
    }

    package func session(hash: String, now: Date) async throws -> StoredSession? {
        guard let row = try await read(ServerSessionPlan.lookup(hash: hash, now: now)).first else { return nil }
        let (hash, name, role, tokenHash, csrf, created, expires) =
            try row.decode((String, String, String, String?, String, Int64, Int64).self)
        return ServerSessionPlan.session(hash: hash, name: name, role: role, tokenHash: tokenHash, csrf: csrf,
                                         createdAt: created, expiresAt: expires)
    }

    package func deleteSession(hash: String) async throws {
        try await execute(ServerSessionPlan.delete(hash: hash))
    }

    package func createLoginLink(_ link: StoredLoginLink) async throws {
        try await execute(ServerSessionPlan.insert(link))
    }

    /// One statement in its own transaction.
    private func execute(_ statement: ServerSQL.Statement) async throws {
        try await write { connection in _ = try await self.run(statement, on: connection) }
    }

    package func consumeLoginLink(hash: String, now: Date) async throws -> StoredLoginLink? {
        try await write { connection in
            guard let row = try await self.run(ServerSessionPlan.consume(hash: hash, now: now), on: connection)
                .rows.first else { return nil }
            let (hash, name, role, created, expires) = try row.decode((String, String, String, Int64, Int64).self)
            return ServerSessionPlan.loginLink(hash: hash, name: name, role: role, createdAt: created,
                                               expiresAt: expires)
        }
    }

    // MARK: Plumbing

    /// Runs one statement and collects its rows and command tag (so an error the server sends after the first row
    /// is never lost).
    private func run(_ statement: ServerSQL.Statement, on connection: PostgresConnection) async throws
        -> PostgresQueryResult {
        let future: EventLoopFuture<PostgresQueryResult> = connection.query(Self.query(statement), logger: logger)
        return try await future.get()
    }

    static func query(_ statement: ServerSQL.Statement) -> PostgresQuery {
        var binds = PostgresBindings(capacity: statement.arguments.count)
        for value in statement.arguments {
            switch value {
            case .int(let number): binds.append(number)
            case .text(let text): binds.append(text)
            case .null: binds.appendNull()
            }
        }
        return PostgresQuery(unsafeSQL: statement.numbered, binds: binds)
    }

    private func read(_ statement: ServerSQL.Statement) async throws -> [PostgresRow] {
        do {
            return try await client.withConnection { connection in
                try await self.run(statement, on: connection).rows
            }
        } catch {
            throw failure(error)
        }
    }

    private func write<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch {
            throw failure(error)
        }
    }

    /// A ShrikeError the body threw as it is; anything else as what the server said (never the bound values, which
    /// may be token hashes).
    private func failure(_ error: any Error) -> any Error {
        var error = error
        if let transaction = error as? PostgresTransactionError {
            error = transaction.closureError ?? transaction.commitError ?? transaction.beginError ?? error
        }
        if error is ShrikeError { return error }
        return ShrikeError(.io, "the server database failed: \(Self.reason(error))", input: location)
    }

    /// What the server said, or what failed on the way (never the query's bound values, which may be token hashes).
    private static func reason(_ error: any Error) -> String {
        guard let psql = error as? PSQLError else { return "\(error)" }
        if let message = psql.serverInfo?[.message] {
            return "PostgreSQL said: \(message)" + (psql.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
        }
        return "\(psql.code)" + (psql.underlying.map { ": \($0)" } ?? "")
    }
}

import Foundation
import GRDB
import ShrikeRules
import ShrikeServer
import ShrikeTestSupport
import Testing

/// The console's counts per rule and host come from the per-minute rollup (`alert_minutes`) and the span's partial
/// minutes: on both engines they must equal counting the stored alerts one by one — after duplicates, after
/// evictions by age and by count, and after the migration that fills the rollup from alerts stored before it.
@Suite("Server alert counts")
struct ServerAlertCountsTests {
    typealias F = IngestFixtures
    static let now = Date(timeIntervalSince1970: 1_795_960_000)
    /// A whole minute (1,795,946,400 s is 29,932,440 minutes).
    static let base: Int64 = 1_795_946_400_000_000_000
    static let minute: Int64 = 60_000_000_000
    static let rules = ["Terminal shell in container", "Write below binary dir", "Outbound connection",
                        "Read sensitive file", "Drop and execute new binary"]
    static let hosts = ["node-a", "node-b", "node-c"]
    static let priorities: [RulePriority] = [.critical, .warning, .notice, .error]

    /// One alert as sent: what the oracle counts by.
    struct Sent {
        var seq: Int64, rule: String, host: String, priority: RulePriority, time: Int64
    }

    /// 900 alerts over about 3.4 hours, at times that are rarely on a minute, spread over rules, hosts and priorities
    /// in different cycles, so every bucket mixes them.
    static let corpus: [Sent] = (0..<900).map { index in
        Sent(seq: Int64(index + 1), rule: rules[(index * 7) % rules.count], host: hosts[index % hosts.count],
             priority: priorities[(index * 3 / 2) % priorities.count],
             time: base + Int64(index) * 13_700_000_000 + Int64(index % 11) * 1_000_003)
    }

    /// The queries: spans on and off minute boundaries, the rollup's own filters, and filters only rows can answer.
    static let queries: [(name: String, query: AlertQuery)] = [
        ("everything", AlertQuery()),
        ("since a whole minute", AlertQuery(since: base + 60 * minute)),
        ("since mid-minute", AlertQuery(since: base + 61 * minute + 29_999_999_999)),
        ("since and until mid-minute", AlertQuery(since: base + 17 * minute + 1, until: base + 150 * minute + 42_000_000_000)),
        ("until a whole minute", AlertQuery(until: base + 100 * minute)),
        ("inside one minute", AlertQuery(since: base + 30 * minute + 1_000_000_000, until: base + 30 * minute + 59_000_000_000)),
        ("rule and span", AlertQuery(rule: rules[1], since: base + 33 * minute + 7)),
        ("priority, host and span", AlertQuery(minimumPriority: .error, host: hosts[2], since: base + 5 * minute + 3,
                                               until: base + 190 * minute + 5)),
        ("text: rows only", AlertQuery(since: base + 9 * minute + 1, text: "container")),
        ("container: rows only", AlertQuery(container: "web")),
    ]

    /// The alerts per rule or host that the stored rows say, the most first, then by name: what the counts mean.
    static func expected(_ alerts: [Sent], _ query: AlertQuery, by column: AlertCountColumn, limit: Int) -> [AlertCount] {
        var counts: [String: Int] = [:]
        for alert in alerts {
            if let rule = query.rule, alert.rule != rule { continue }
            if let priority = query.minimumPriority, alert.priority.rawValue > priority.rawValue { continue }
            if let host = query.host, alert.host != host { continue }
            if let since = query.since, alert.time < since { continue }
            if let until = query.until, alert.time >= until { continue }
            // Every fixture alert is in container "web" and says "container" in its output.
            counts[column == .rule ? alert.rule : alert.host, default: 0] += 1
        }
        return counts.map { AlertCount(value: $0.key, count: $0.value) }
            .sorted { ($1.count, $0.value) < ($0.count, $1.value) }.prefix(limit).map { $0 }
    }

    /// Stores `alerts`, each host's from its own agent, in batches of 100 received at `receivedAt`.
    static func ingest(_ alerts: [Sent], into store: any ServerStore, receivedAt: Date) async throws {
        for host in hosts {
            let mine = alerts.filter { $0.host == host }
            for first in stride(from: 0, to: mine.count, by: 100) {
                let records = try F.records(mine[first..<min(first + 100, mine.count)].map { alert in
                    (alert.seq, "alert", F.alert(rule: alert.rule, priority: alert.priority.name, hostname: alert.host,
                                                 time: alert.time, containerName: "web", pid: Int(alert.seq)))
                })
                _ = try await store.ingest(agent: "agent-" + host, records: records, receivedAt: receivedAt)
            }
        }
    }

    func check(_ store: any ServerStore, _ alerts: [Sent], _ name: String, _ query: AlertQuery, _ phase: String) async throws {
        for column in [AlertCountColumn.rule, .host] {
            for limit in [15, 2] {
                let counted = try await store.alertCounts(query, by: column, limit: limit)
                #expect(counted == Self.expected(alerts, query, by: column, limit: limit),
                        "\(name), \(phase), per \(column.rawValue), limit \(limit)")
            }
        }
    }

    @Test("counts per rule and host equal the rows' own, after duplicates and evictions by age and by count",
          arguments: StoreEngine.allCases, queries.map(\.name))
    func countsMatchTheRows(engine: StoreEngine, name: String) async throws {
        let query = try #require(Self.queries.first { $0.name == name }).query
        try await engine.withStore { store in
            let old = Self.corpus.filter { $0.seq <= 300 }, recent = Self.corpus.filter { $0.seq > 300 }
            try await Self.ingest(old, into: store, receivedAt: Self.now.addingTimeInterval(-7200))
            try await Self.ingest(recent, into: store, receivedAt: Self.now)
            try await check(store, Self.corpus, name, query, "as ingested")

            // Re-sent batches are duplicates: stored once, counted once.
            try await Self.ingest(Array(Self.corpus[250..<450]), into: store, receivedAt: Self.now)
            try await check(store, Self.corpus, name, query, "after duplicates")

            _ = try await store.evict(Retention(maxAge: [.alert: 3600]), now: Self.now)
            try await check(store, recent, name, query, "after eviction by age")

            // By count the newest rows stay: ids follow the order of ingest (host by host).
            let kept = try await store.alerts(AlertQuery(limit: 1000)).items.prefix(250).map(\.seq)
            _ = try await store.evict(Retention(maxCount: [.alert: 250]), now: Self.now)
            try await check(store, recent.filter { kept.contains($0.seq) }, name, query, "after eviction by count")

            _ = try await store.evict(Retention(maxCount: [.alert: 0]), now: Self.now)
            try await check(store, [], name, query, "after evicting everything")
        }
    }

    @Test("the rollup answers only what it keeps; the rest is counted from the rows",
          arguments: queries.map(\.name))
    func rollupOnlyWhereItCan(name: String) throws {
        let query = try #require(Self.queries.first { $0.name == name }).query
        let sql = ServerSQL.alertCounts(query, by: .rule, limit: 15).sql
        let rowsOnly = name.hasSuffix("rows only") || name == "inside one minute"
        #expect(sql.contains("alert_minutes") == !rowsOnly, "\(name): \(sql)")
    }

    @Test("the migration that adds the rollup fills it from the alerts already stored", arguments: StoreEngine.allCases)
    func migrationFillsTheRollup(engine: StoreEngine) async throws {
        // Back to the schema before the rollup, with the alerts still there, then forward again.
        let downgrade = ["DROP TABLE alert_minutes", "DELETE FROM schema_migrations WHERE version >= 3"]
        switch engine {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.path + "/shrike-counts-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let path = directory + "/server.sqlite"
            let store = try SQLiteServerStore(path: path)
            try await store.migrate()
            try await Self.ingest(Self.corpus, into: store, receivedAt: Self.now)
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in for sql in downgrade { try db.execute(sql: sql) } }
            try queue.close()
            try await store.migrate()
            for (name, query) in Self.queries { try await check(store, Self.corpus, name, query, "after the migration") }
        case .postgres:
            let cluster = try StoreEngine.postgresCluster()
            let database = try cluster.createDatabase()
            let store = try PostgresServerStore(url: cluster.socketURL(database: database), connections: 2)
            do {
                try await store.migrate()
                try await Self.ingest(Self.corpus, into: store, receivedAt: Self.now)
                for sql in downgrade { try cluster.execute(database: database, sql: sql) }
                try await store.migrate()
                for (name, query) in Self.queries { try await check(store, Self.corpus, name, query, "after the migration") }
                await store.close()
            } catch {
                await store.close()
                throw error
            }
        }
    }
}

import Foundation

/// What both engines run for each write, as statements: the engines only execute them, so SQLite and PostgreSQL
/// store a record the same way.
package enum ServerIngestPlan {
    /// The writes of one agent's batch, in two steps, so 500 alerts are a handful of statements and not 1,500: first
    /// the claims of every `<agent>/<seq>` (multi-row inserts returning the seqs they inserted; a duplicate's row is
    /// already there and does not come back), then, from the seqs claimed, the rows of the records that were new.
    package struct IngestWrites: Sendable {
        package let claims: [ServerSQL.Statement]
        let agent: String
        let records: [IngestRecord]
        let now: Int64

        /// Per record whether it was new (the first copy of a claimed seq), and the statements that store the new
        /// ones: alerts in multi-row inserts, in the batch's order (so row ids follow it), then each host they name
        /// touched once, then the other kinds' rows record by record.
        package func rows(claimed: Set<Int64>) -> (stored: [Bool], statements: [ServerSQL.Statement]) {
            typealias S = ServerSQL.Statement
            var taken = Set<Int64>(), stored: [Bool] = [], alerts: [ServerSQL.Value] = [], alertCount = 0
            var hosts: [String] = [], others: [S] = [], minutes = AlertMinutes()
            stored.reserveCapacity(records.count)
            alerts.reserveCapacity(records.count * ServerSQL.alertColumns)
            for record in records {
                let new = claimed.contains(record.seq) && taken.insert(record.seq).inserted
                stored.append(new)
                guard new else { continue }
                let body = String(decoding: record.body, as: UTF8.self)
                switch record.payload {
                case .alert(let alert):
                    alerts += [.text(agent), .int(record.seq), .int(alert.time), .text(alert.rule),
                               .int(Int64(alert.priority)), .text(alert.hostname), .text(alert.containerID),
                               .text(alert.containerName), .optional(alert.incident), .int(now), .text(body)]
                    alertCount += 1
                    minutes.add(alert)
                    if !hosts.contains(alert.hostname) { hosts.append(alert.hostname) }
                default:
                    others += ServerIngestPlan.rows(agent: agent, record: record, body: body, now: now)
                }
            }
            var statements: [S] = []
            let columns = ServerSQL.alertColumns, chunk = ServerSQL.rowsPerInsert
            for first in stride(from: 0, to: alertCount, by: chunk) {
                let count = min(chunk, alertCount - first)
                statements.append(S(sql: ServerSQL.insertAlerts(count),
                                    arguments: Array(alerts[(first * columns)..<((first + count) * columns)])))
            }
            statements += minutes.statements
            for host in hosts {
                statements.append(S(sql: ServerSQL.touchHost, arguments: [.text(agent), .text(host), .int(now)]))
            }
            return (stored, statements + others)
        }
    }

    /// A batch's new alerts counted per rollup row (`alert_minutes`).
    struct AlertMinutes {
        struct Key: Hashable, Comparable {
            var minute: Int64, rule: String, hostname: String, priority: Int64

            static func < (a: Key, b: Key) -> Bool {
                (a.minute, a.rule, a.hostname, a.priority) < (b.minute, b.rule, b.hostname, b.priority)
            }
        }
        var counts: [Key: Int64] = [:]

        mutating func add(_ alert: AlertFacts) {
            counts[Key(minute: alert.time / ServerSQL.minute, rule: alert.rule, hostname: alert.hostname,
                       priority: Int64(alert.priority)), default: 0] += 1
        }

        /// Upserts in key order (see `ServerSQL.addMinutes`), at most `rowsPerInsert` rows a statement.
        var statements: [ServerSQL.Statement] {
            let rows = counts.sorted { $0.key < $1.key }
            return stride(from: 0, to: rows.count, by: ServerSQL.rowsPerInsert).map { first in
                let chunk = rows[first..<min(first + ServerSQL.rowsPerInsert, rows.count)]
                return .init(sql: ServerSQL.addMinutes(chunk.count), arguments: chunk.flatMap { row in
                    [.int(row.key.minute), .text(row.key.rule), .text(row.key.hostname), .int(row.key.priority),
                     .int(row.value)]
                })
            }
        }
    }

    static func ingest(agent: String, records: [IngestRecord], now: Int64) -> IngestWrites {
        var claims: [ServerSQL.Statement] = []
        for first in stride(from: 0, to: records.count, by: ServerSQL.rowsPerInsert) {
            let chunk = records[first..<min(first + ServerSQL.rowsPerInsert, records.count)]
            claims.append(.init(sql: ServerSQL.claimRecords(chunk.count), arguments: chunk.flatMap { record in
                [.text(agent), .int(record.seq), .text(record.kind.rawValue), .int(now)]
            }))
        }
        return IngestWrites(claims: claims, agent: agent, records: records, now: now)
    }

    /// The rows of one new record other than an alert (alerts are inserted many at a time).
    private static func rows(agent: String, record: IngestRecord, body: String, now: Int64) -> [ServerSQL.Statement] {
        typealias S = ServerSQL.Statement
        var statements: [S] = []
        switch record.payload {
        case .alert:
            break
        case .incident(let incident):
            statements.append(S(sql: ServerSQL.insertIncident, arguments: [
                .text(incident.id), .text(agent), .int(record.seq), .text(incident.hostname), .text(incident.rule),
                .int(incident.openedAt), .int(Int64(incident.alertCount)), .int(now), .text(body)]))
            statements.append(S(sql: ServerSQL.touchHost, arguments: [.text(agent), .text(incident.hostname), .int(now)]))
        case .heartbeat(let beat):
            statements.append(S(sql: ServerSQL.upsertHost, arguments: [
                .text(agent), .text(beat.hostname), .text(beat.version), .text(beat.kernel), .int(beat.drops),
                .int(beat.spoolBytes), .int(beat.spoolRecords), .int(beat.evicted), .int(now),
                .text(encodeList(beat.running))]))
            statements.append(S(sql: ServerSQL.clearHostImages, arguments: [.text(agent)]))
            for digest in beat.running {
                statements.append(S(sql: ServerSQL.insertHostImage, arguments: [.text(agent), .text(digest), .int(now)]))
            }
        case .sbom(let image):
            statements.append(S(sql: ServerSQL.upsertImageSBOM, arguments: [
                .text(image.digest), .text(image.imageID), .text(image.name), .text(image.distro), .int(Int64(image.packages)), .int(now),
                .int(now), .text(body)]))
            statements.append(S(sql: ServerSQL.touchHost, arguments: [.text(agent), .text(""), .int(now)]))
        case .scan(let image):
            statements.append(S(sql: ServerSQL.touchImage, arguments: [
                .text(image.digest), .text(image.imageID), .text(image.name), .text(image.distro), .int(now), .int(now)]))
            statements.append(S(sql: ServerSQL.insertScan, arguments: [
                .text(agent), .int(record.seq), .text(image.digest), .int(now), .text(body)]))
            statements.append(S(sql: ServerSQL.touchHost, arguments: [.text(agent), .text(""), .int(now)]))
        }
        return statements
    }

    // MARK: Tokens (stored in whole seconds)

    static func insertToken(_ token: StoredToken) -> ServerSQL.Statement {
        .init(sql: ServerSQL.insertToken, arguments: [.text(token.name), .text(token.role.rawValue), .text(token.hash),
                                                      .int(seconds(token.createdAt))])
    }

    static func revokeToken(name: String, at date: Date) -> ServerSQL.Statement {
        .init(sql: ServerSQL.revokeToken, arguments: [.int(seconds(date)), .text(name)])
    }

    /// A token from its row; nil for a role this shrike does not know.
    static func token(name: String, role: String, hash: String, createdAt: Int64, revokedAt: Int64?) -> StoredToken? {
        guard let role = TokenRole(rawValue: role) else { return nil }
        return StoredToken(name: name, role: role, hash: hash, createdAt: Date(timeIntervalSince1970: Double(createdAt)),
                           revokedAt: revokedAt.map { Date(timeIntervalSince1970: Double($0)) })
    }

    private static func seconds(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }

    static func replaceMatches(digest: String, matches: [ImageVulnerabilityRow], advisoryVersion: String,
                               now: Date) throws -> [ServerSQL.Statement] {
        typealias S = ServerSQL.Statement
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var statements = [S(sql: ServerSQL.deleteMatches, arguments: [.text(digest)]),
                          S(sql: ServerSQL.deleteNames, arguments: [.text(digest)])]
        for match in matches {
            let body = String(decoding: try encoder.encode(match), as: UTF8.self)
            statements.append(S(sql: ServerSQL.insertMatch, arguments: [.text(digest), .text(match.id), .text(body)]))
            let package = "\(match.package)@\(match.version)"
            for name in Set([match.id] + match.aliases) {
                statements.append(S(sql: ServerSQL.insertName, arguments: [.text(name), .text(digest), .text(package)]))
            }
        }
        statements.append(S(sql: ServerSQL.markMatched, arguments: [
            .int(Int64(now.timeIntervalSince1970 * 1e9)), .text(advisoryVersion), .text(digest)]))
        return statements
    }

    /// Age bounds first, then count bounds; `kind` is nil for the bookkeeping of record ids.
    static func eviction(_ retention: Retention, now: Date) -> [(sql: String, statement: ServerSQL.Statement, kind: RecordKind?)] {
        let nanos = Int64(now.timeIntervalSince1970 * 1e9)
        var out: [(String, ServerSQL.Statement, RecordKind?)] = []
        for (kind, table) in ServerSQL.retained {
            var bounds: [(condition: String, argument: ServerSQL.Value)] = []
            if let age = retention.maxAge[kind] { bounds.append((ServerSQL.olderCondition, .int(nanos - Int64(age * 1e9)))) }
            if let count = retention.maxCount[kind] {
                bounds.append((ServerSQL.beyondCondition(table), .int(Int64(max(0, count)))))
            }
            for (condition, argument) in bounds {
                if kind == .alert {
                    // The rollup loses the same alerts first, in the same transaction.
                    let subtract = ServerSQL.subtractMinutes(where: condition)
                    out.append((subtract, .init(sql: subtract, arguments: [argument]), nil))
                }
                let sql = ServerSQL.evict(table, where: condition)
                out.append((sql, .init(sql: sql, arguments: [argument]), kind))
            }
            if kind == .alert, !bounds.isEmpty {
                out.append((ServerSQL.dropEmptyMinutes, .init(sql: ServerSQL.dropEmptyMinutes, arguments: []), nil))
            }
        }
        let longest = retention.maxAge.values.max() ?? 90 * 86400
        out.append((ServerSQL.forgetReceived, .init(sql: ServerSQL.forgetReceived,
                                                    arguments: [.int(nanos - Int64((longest + 7 * 86400) * 1e9))]), nil))
        let seconds = Int64(now.timeIntervalSince1970)
        for sql in [ServerSQL.evictSessions, ServerSQL.evictLoginLinks] {
            out.append((sql, .init(sql: sql, arguments: [.int(seconds)]), nil))
        }
        return out
    }

    static let countQueries: [(RecordKind, String)] = [
        (.alert, ServerSQL.count("alerts")), (.incident, ServerSQL.count("incidents")),
        (.scan, ServerSQL.count("scans")), (.heartbeat, ServerSQL.countHeartbeats), (.sbom, ServerSQL.countSBOMs),
    ]

    /// The agents running an image, by its digest or by its config digest (what runtimes report).
    static func hosts(_ byDigest: [String: [String]], digest: String, imageID: String) -> [String] {
        let found = (byDigest[digest] ?? []) + (imageID.isEmpty || imageID == digest ? [] : byDigest[imageID] ?? [])
        return Array(Set(found)).sorted()
    }

    static func encodeList(_ list: [String]) -> String {
        (try? JSONSerialization.data(withJSONObject: list, options: [.withoutEscapingSlashes]))
            .map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    static func decodeList(_ text: String) -> [String] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String] ?? []
    }

    static func decodeMatch(_ text: String) -> ImageVulnerabilityRow? {
        try? JSONDecoder().decode(ImageVulnerabilityRow.self, from: Data(text.utf8))
    }

    /// Rows of (digest, image name, package, host or nil) grouped per image.
    static func affected(_ rows: [(String, String, String, String?)]) -> [AffectedImageRow] {
        var order: [String] = [], byDigest: [String: AffectedImageRow] = [:]
        for (digest, name, package, host) in rows {
            if byDigest[digest] == nil {
                order.append(digest)
                byDigest[digest] = AffectedImageRow(digest: digest, name: name, packages: [], hosts: [])
            }
            if byDigest[digest]?.packages.contains(package) == false { byDigest[digest]?.packages.append(package) }
            if let host, byDigest[digest]?.hosts.contains(host) == false { byDigest[digest]?.hosts.append(host) }
        }
        return order.compactMap { byDigest[$0] }
    }
}

import Foundation

/// What both engines run for each write, as statements: the engines only execute them, so SQLite and PostgreSQL
/// store a record the same way.
package enum ServerIngestPlan {
    /// The statements that store one record: first the claim of `<agent>/<seq>` (which returns no row for a
    /// duplicate, and then nothing after it runs), then the record's rows.
    static func claim(agent: String, record: IngestRecord, now: Int64) throws -> [ServerSQL.Statement] {
        typealias S = ServerSQL.Statement
        let body = String(decoding: record.body, as: UTF8.self)
        var statements = [S(sql: ServerSQL.claimRecord,
                            arguments: [.text(agent), .int(record.seq), .text(record.kind.rawValue), .int(now)])]
        switch record.payload {
        case .alert(let alert):
            statements.append(S(sql: ServerSQL.insertAlert, arguments: [
                .text(agent), .int(record.seq), .int(alert.time), .text(alert.rule), .int(Int64(alert.priority)),
                .text(alert.hostname), .text(alert.containerID), .text(alert.containerName),
                .optional(alert.incident), .int(now), .text(body)]))
            statements.append(S(sql: ServerSQL.touchHost, arguments: [.text(agent), .text(alert.hostname), .int(now)]))
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
                .text(image.digest), .text(image.name), .text(image.distro), .int(Int64(image.packages)), .int(now),
                .int(now), .text(body)]))
            statements.append(S(sql: ServerSQL.touchHost, arguments: [.text(agent), .text(""), .int(now)]))
        case .scan(let image):
            statements.append(S(sql: ServerSQL.touchImage, arguments: [
                .text(image.digest), .text(image.name), .text(image.distro), .int(now), .int(now)]))
            statements.append(S(sql: ServerSQL.insertScan, arguments: [
                .text(agent), .int(record.seq), .text(image.digest), .int(now), .text(body)]))
            statements.append(S(sql: ServerSQL.touchHost, arguments: [.text(agent), .text(""), .int(now)]))
        }
        return statements
    }

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
            if let age = retention.maxAge[kind] {
                let sql = ServerSQL.evictOlder(table)
                out.append((sql, .init(sql: sql, arguments: [.int(nanos - Int64(age * 1e9))]), kind))
            }
            if let count = retention.maxCount[kind] {
                let sql = ServerSQL.evictBeyond(table)
                out.append((sql, .init(sql: sql, arguments: [.int(Int64(max(0, count)))]), kind))
            }
        }
        let longest = retention.maxAge.values.max() ?? 90 * 86400
        out.append((ServerSQL.forgetReceived, .init(sql: ServerSQL.forgetReceived,
                                                    arguments: [.int(nanos - Int64((longest + 7 * 86400) * 1e9))]), nil))
        return out
    }

    static let countQueries: [(RecordKind, String)] = [
        (.alert, ServerSQL.count("alerts")), (.incident, ServerSQL.count("incidents")),
        (.scan, ServerSQL.count("scans")), (.heartbeat, ServerSQL.countHeartbeats), (.sbom, ServerSQL.countSBOMs),
    ]

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

/// The statements both engines run, with `?` placeholders (PostgreSQL's engine numbers them `$1`, `$2`, …), so a
/// query means the same on SQLite and PostgreSQL.
package enum ServerSQL {
    /// A bound value.
    package enum Value: Sendable, Equatable {
        case int(Int64)
        case text(String)
        case null

        static func optional(_ text: String?) -> Value { text.map(Value.text) ?? .null }
        static func optional(_ number: Int64?) -> Value { number.map(Value.int) ?? .null }
    }

    /// A statement and its arguments.
    package struct Statement: Sendable, Equatable {
        package var sql: String
        package var arguments: [Value]

        /// The SQL with `$1`, `$2`, … for PostgreSQL (no statement here has a `?` inside a string literal).
        package var numbered: String {
            var out = "", index = 0
            for character in sql {
                if character == "?" {
                    index += 1
                    out += "$\(index)"
                } else {
                    out.append(character)
                }
            }
            return out
        }
    }

    static let createMigrations = "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, "
        + "applied_at BIGINT NOT NULL)"
    static let appliedVersion = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations"
    static let recordMigration = "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)"

    static let insertToken = "INSERT INTO tokens (name, role, hash, created_at, revoked_at) VALUES (?, ?, ?, ?, NULL)"
    static let listTokens = "SELECT name, role, hash, created_at, revoked_at FROM tokens ORDER BY name"
    static let revokeToken = "UPDATE tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL"
    static let tokenByHash = "SELECT name, role, hash, created_at, revoked_at FROM tokens WHERE hash = ?"

    /// Rows per multi-row insert: 500 claims are 2,000 bound values, 500 alerts 5,500, under SQLite's 32,766 (3.32+;
    /// RETURNING needs 3.35 anyway) and PostgreSQL's 65,535.
    static let rowsPerInsert = 500

    /// `(?, ?, …), (?, ?, …)…`: `rows` groups of `columns` placeholders.
    static func values(columns: Int, rows: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        return Array(repeating: row, count: rows).joined(separator: ", ")
    }

    /// Inserts records' ids; a duplicate's seq does not come back (its id was already there, or earlier in the
    /// same statement).
    static func claimRecords(_ rows: Int) -> String {
        "INSERT INTO received (agent, seq, kind, received_at) VALUES \(values(columns: 4, rows: rows)) "
            + "ON CONFLICT DO NOTHING RETURNING seq"
    }
    static let alertColumns = 11
    static func insertAlerts(_ rows: Int) -> String {
        "INSERT INTO alerts (agent, seq, time, rule, priority, hostname, container_id, container_name, incident, "
            + "received_at, body) VALUES \(values(columns: alertColumns, rows: rows))"
    }
    static let insertIncident = "INSERT INTO incidents (incident_id, agent, seq, hostname, rule, opened_at, "
        + "alert_count, received_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
    static let insertScan = "INSERT INTO scans (agent, seq, digest, received_at, body) VALUES (?, ?, ?, ?, ?)"
    /// A host row from a heartbeat: everything it says replaces what was there.
    static let upsertHost = "INSERT INTO hosts (agent, hostname, version, kernel, drops, spool_bytes, spool_records, "
        + "evicted, last_seen, running) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (agent) DO UPDATE SET "
        + "hostname = excluded.hostname, version = excluded.version, kernel = excluded.kernel, drops = excluded.drops, "
        + "spool_bytes = excluded.spool_bytes, spool_records = excluded.spool_records, evicted = excluded.evicted, "
        + "last_seen = excluded.last_seen, running = excluded.running"
    /// A host seen only through an alert or an upload: created with what is known, or its last_seen moved on.
    static let touchHost = "INSERT INTO hosts (agent, hostname, version, kernel, drops, spool_bytes, spool_records, "
        + "evicted, last_seen, running) VALUES (?, ?, '', '', 0, 0, 0, 0, ?, '[]') ON CONFLICT (agent) DO UPDATE SET "
        + "last_seen = CASE WHEN excluded.last_seen > hosts.last_seen THEN excluded.last_seen ELSE hosts.last_seen END, "
        + "hostname = CASE WHEN hosts.hostname = '' THEN excluded.hostname ELSE hosts.hostname END"
    static let clearHostImages = "DELETE FROM host_images WHERE agent = ?"
    static let insertHostImage = "INSERT INTO host_images (agent, digest, last_seen) VALUES (?, ?, ?) "
        + "ON CONFLICT (agent, digest) DO UPDATE SET last_seen = excluded.last_seen"
    /// An image from an SBOM: a newer SBOM of the same digest replaces the stored one and asks for a new matching.
    static let upsertImageSBOM = "INSERT INTO images (digest, image_id, name, distro, packages, first_seen, last_seen, "
        + "sbom, matched_at, advisory_version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL) ON CONFLICT (digest) DO UPDATE SET "
        + "image_id = CASE WHEN excluded.image_id = '' THEN images.image_id ELSE excluded.image_id END, "
        + "name = CASE WHEN excluded.name = '' THEN images.name ELSE excluded.name END, distro = excluded.distro, "
        + "packages = excluded.packages, last_seen = excluded.last_seen, sbom = excluded.sbom, matched_at = NULL, "
        + "advisory_version = NULL"
    /// An image from a scan result alone (no SBOM yet): known, but nothing to re-match.
    static let touchImage = "INSERT INTO images (digest, image_id, name, distro, packages, first_seen, last_seen, sbom, "
        + "matched_at, advisory_version) VALUES (?, ?, ?, ?, 0, ?, ?, NULL, NULL, NULL) ON CONFLICT (digest) DO UPDATE "
        + "SET last_seen = excluded.last_seen"

    static let staleSBOMs = "SELECT digest, sbom FROM images WHERE sbom IS NOT NULL "
        + "AND (advisory_version IS NULL OR advisory_version <> ?) ORDER BY digest"
    static let deleteMatches = "DELETE FROM image_vulnerabilities WHERE digest = ?"
    static let deleteNames = "DELETE FROM vulnerability_names WHERE digest = ?"
    static let insertMatch = "INSERT INTO image_vulnerabilities (digest, vulnerability, body) VALUES (?, ?, ?)"
    static let insertName = "INSERT INTO vulnerability_names (name, digest, package) VALUES (?, ?, ?)"
    static let markMatched = "UPDATE images SET matched_at = ?, advisory_version = ? WHERE digest = ?"

    static let imageExists = "SELECT 1 FROM images WHERE digest = ?"
    static let imageMatches = "SELECT body FROM image_vulnerabilities WHERE digest = ? ORDER BY vulnerability, body"
    static let listImages = "SELECT i.digest, i.name, i.distro, i.packages, i.first_seen, i.last_seen, i.matched_at, "
        + "(SELECT COUNT(*) FROM image_vulnerabilities v WHERE v.digest = i.digest), i.image_id FROM images i "
        + "ORDER BY i.digest"
    static let imageHosts = "SELECT digest, agent FROM host_images ORDER BY digest, agent"
    static let listHosts = "SELECT agent, hostname, version, kernel, drops, spool_bytes, spool_records, evicted, "
        + "last_seen, running FROM hosts ORDER BY agent"
    static let affected = "SELECT n.digest, i.name, n.package, h.agent FROM vulnerability_names n "
        + "JOIN images i ON i.digest = n.digest "
        + "LEFT JOIN host_images h ON h.digest = n.digest OR (i.image_id <> '' AND h.digest = i.image_id) WHERE n.name = ? "
        + "ORDER BY n.digest, n.package, h.agent"
    static let incidentByID = "SELECT id, incident_id, agent, hostname, rule, opened_at, alert_count, body "
        + "FROM incidents WHERE incident_id = ? ORDER BY id DESC LIMIT 1"

    /// `GET /api/v1/alerts`: the filters given, newest first, one row more than the page to know there is a next.
    static func alerts(_ query: AlertQuery) -> Statement {
        let (filter, arguments) = alertFilter(query)
        return Statement(sql: "SELECT id, agent, seq, received_at, body FROM alerts\(filter) ORDER BY id DESC LIMIT ?",
                         arguments: arguments + [.int(Int64(query.limit + 1))])
    }

    /// Nanoseconds in the rollup's bucket (`alert_minutes`): a minute of the alerts' own time.
    static let minute: Int64 = 60_000_000_000

    /// Adds a batch's new alerts to their minutes: one row per (minute, rule, host, priority), in key order, so two
    /// ingests that touch the same rows lock them in the same order (PostgreSQL) and never deadlock.
    static func addMinutes(_ rows: Int) -> String {
        "INSERT INTO alert_minutes (minute, rule, hostname, priority, n) VALUES \(values(columns: 5, rows: rows)) "
            + "ON CONFLICT (minute, rule, hostname, priority) DO UPDATE SET n = alert_minutes.n + excluded.n"
    }

    /// Takes the alerts an eviction is about to delete (`condition` on `alerts`, with its arguments) out of their
    /// minutes, then drops the minutes left empty.
    static func subtractMinutes(where condition: String) -> String {
        "UPDATE alert_minutes SET n = alert_minutes.n - gone.n FROM (SELECT time / \(minute) AS minute, rule, hostname, "
            + "priority, COUNT(*) AS n FROM alerts WHERE \(condition) GROUP BY time / \(minute), rule, hostname, priority) "
            + "AS gone WHERE alert_minutes.minute = gone.minute AND alert_minutes.rule = gone.rule "
            + "AND alert_minutes.hostname = gone.hostname AND alert_minutes.priority = gone.priority"
    }
    static let dropEmptyMinutes = "DELETE FROM alert_minutes WHERE n <= 0"

    /// The console's counts: alerts per `column` (`rule` or `hostname`) under the filters, the most first.
    ///
    /// Filters on the rollup's own columns (span, rule, priority, host) read whole minutes from `alert_minutes` and
    /// only the partial minutes at the span's edges from `alerts`; any other filter (container, image, tag, text,
    /// incident) needs each alert's row, so it counts from `alerts`.
    package static func alertCounts(_ query: AlertQuery, by column: AlertCountColumn, limit: Int) -> Statement {
        var query = query
        query.before = nil
        guard let split = rollupSplit(query) else { return alertCountsScan(query, by: column, limit: limit) }
        let name = column.rawValue
        // The rollup keeps the rule, priority and hostname columns under the alerts' names, so the alerts' own
        // filter selects its rows; only the span becomes a range of minutes.
        var kept = query
        (kept.since, kept.until) = (nil, nil)
        var (filter, arguments) = alertFilter(kept)
        var minutes: [String] = []
        if let first = split.firstMinute { minutes.append("minute >= ?"); arguments.append(.int(first)) }
        if let end = split.endMinute { minutes.append("minute < ?"); arguments.append(.int(end)) }
        if !minutes.isEmpty { filter += (filter.isEmpty ? " WHERE " : " AND ") + minutes.joined(separator: " AND ") }
        var parts = ["SELECT \(name) AS name, n AS c FROM alert_minutes\(filter)"]
        for edge in split.edges {
            var part = query
            (part.since, part.until) = (edge.since, edge.until)
            let (filter, values) = alertFilter(part)
            parts.append("SELECT \(name) AS name, COUNT(*) AS c FROM alerts\(filter) GROUP BY \(name)")
            arguments += values
        }
        return Statement(sql: "SELECT name, CAST(SUM(c) AS BIGINT) AS total FROM (" + parts.joined(separator: " UNION ALL ")
                         + ") AS parts GROUP BY name ORDER BY total DESC, name LIMIT ?",
                         arguments: arguments + [.int(Int64(limit))])
    }

    /// The same counts from every alert's row: what the rollup must always agree with.
    static func alertCountsScan(_ query: AlertQuery, by column: AlertCountColumn, limit: Int) -> Statement {
        var query = query
        query.before = nil
        let (filter, arguments) = alertFilter(query)
        let name = column.rawValue
        return Statement(sql: "SELECT \(name), COUNT(*) FROM alerts\(filter) GROUP BY \(name) "
                         + "ORDER BY COUNT(*) DESC, \(name) LIMIT ?", arguments: arguments + [.int(Int64(limit))])
    }

    /// How a query's span splits into whole minutes (`firstMinute..<endMinute`, open where the span is) and the
    /// partial minutes at its edges; nil when the rollup cannot answer it: a filter it does not keep, or a span
    /// edge before the first whole minute after the epoch (bucket 0 also holds times before 1970, since `/`
    /// truncates towards zero in SQL as in Swift), or a span inside one minute.
    static func rollupSplit(_ query: AlertQuery) -> (firstMinute: Int64?, endMinute: Int64?,
                                                   edges: [(since: Int64, until: Int64)])? {
        guard query.container == nil, query.incident == nil, query.tag == nil, query.image == nil, query.text == nil
        else { return nil }
        if let since = query.since, since < minute { return nil }
        if let until = query.until, until < minute { return nil }
        let first = query.since.map { ($0 + minute - 1) / minute }
        let end = query.until.map { $0 / minute }
        if let first, let end, first >= end { return nil }
        var edges: [(since: Int64, until: Int64)] = []
        if let since = query.since, let first, since < first * minute { edges.append((since, first * minute)) }
        if let until = query.until, let end, end * minute < until { edges.append((end * minute, until)) }
        return (first, end, edges)
    }

    /// The `WHERE` clause of an alert query and its arguments.
    static func alertFilter(_ query: AlertQuery) -> (String, [Value]) {
        var conditions: [String] = [], arguments: [Value] = []
        func add(_ condition: String, _ values: Value...) {
            conditions.append(condition)
            arguments.append(contentsOf: values)
        }
        if let rule = query.rule { add("rule = ?", .text(rule)) }
        if let priority = query.minimumPriority { add("priority <= ?", .int(Int64(priority.rawValue))) }
        if let host = query.host { add("hostname = ?", .text(host)) }
        if let container = query.container {
            add("(container_id = ? OR container_name = ?)", .text(String(container.prefix(12))), .text(container))
        }
        if let incident = query.incident { add("incident = ?", .text(incident)) }
        if let since = query.since { add("time >= ?", .int(since)) }
        if let until = query.until { add("time < ?", .int(until)) }
        if let before = query.before { add("id < ?", .int(before)) }
        // The body is the agent's JSON re-serialised with sorted keys and no spaces, so these patterns find a tag
        // (an exact string in the tags array), an image repository (its prefix) or text anywhere in the alert.
        if let tag = query.tag { add(bodyLike, .text("%\"" + likeEscaped(tag) + "\"%")) }
        if let image = query.image {
            add(bodyLike, .text("%\"container.image.repository\":\"" + likeEscaped(image) + "%"))
        }
        if let text = query.text { add(bodyLike, .text("%" + likeEscaped(text) + "%")) }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return (filter, arguments)
    }

    /// Case-insensitive on both engines (SQLite's LIKE is, PostgreSQL's is not).
    static let bodyLike = "LOWER(body) LIKE ? ESCAPE '!'"

    /// `text` lowercased, with LIKE's wildcards and the escape character itself taken literally.
    static func likeEscaped(_ text: String) -> String {
        var out = ""
        for character in text.lowercased() {
            if character == "%" || character == "_" || character == "!" { out.append("!") }
            out.append(character)
        }
        return out
    }

    static func incidents(_ query: IncidentQuery) -> Statement {
        var conditions: [String] = [], arguments: [Value] = []
        if let host = query.host { conditions.append("hostname = ?"); arguments.append(.text(host)) }
        if let rule = query.rule { conditions.append("rule = ?"); arguments.append(.text(rule)) }
        if let before = query.before { conditions.append("id < ?"); arguments.append(.int(before)) }
        let filter = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
        return Statement(sql: "SELECT id, incident_id, agent, hostname, rule, opened_at, alert_count, body "
                         + "FROM incidents\(filter) ORDER BY id DESC LIMIT ?",
                         arguments: arguments + [.int(Int64(query.limit + 1))])
    }

    /// The tables retention bounds, with the column that ages their rows.
    static let retained: [(kind: RecordKind, table: String)] = [(.alert, "alerts"), (.incident, "incidents"),
                                                                (.scan, "scans")]

    static let olderCondition = "received_at < ?"
    /// Keeps the newest `count` rows: every row at or below the (count+1)-th newest id goes.
    static func beyondCondition(_ table: String) -> String {
        "id <= (SELECT id FROM \(table) ORDER BY id DESC LIMIT 1 OFFSET ?)"
    }
    static func evict(_ table: String, where condition: String) -> String { "DELETE FROM \(table) WHERE \(condition)" }
    /// Record ids are kept a week past the longest retention, long enough for any agent's retry.
    static let forgetReceived = "DELETE FROM received WHERE received_at < ?"
    static func count(_ table: String) -> String { "SELECT COUNT(*) FROM \(table)" }
    static let countHeartbeats = "SELECT COUNT(*) FROM hosts"
    static let countSBOMs = "SELECT COUNT(*) FROM images WHERE sbom IS NOT NULL"

    // MARK: Console sessions

    static let insertSession = "INSERT INTO sessions (hash, name, role, token_hash, csrf, created_at, expires_at) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?)"
    /// An unexpired session whose token (when it came from one) is not revoked.
    static let sessionByHash = "SELECT s.hash, s.name, s.role, s.token_hash, s.csrf, s.created_at, s.expires_at "
        + "FROM sessions s WHERE s.hash = ? AND s.expires_at > ? AND (s.token_hash IS NULL OR EXISTS "
        + "(SELECT 1 FROM tokens t WHERE t.hash = s.token_hash AND t.revoked_at IS NULL))"
    static let deleteSession = "DELETE FROM sessions WHERE hash = ?"
    static let insertLoginLink = "INSERT INTO login_links (hash, name, role, created_at, expires_at) VALUES (?, ?, ?, ?, ?)"
    /// Single use in one statement: the row goes as it is read, so two requests with one code cannot both win.
    static let consumeLoginLink = "DELETE FROM login_links WHERE hash = ? AND expires_at > ? "
        + "RETURNING hash, name, role, created_at, expires_at"
    static let evictSessions = "DELETE FROM sessions WHERE expires_at <= ?"
    static let evictLoginLinks = "DELETE FROM login_links WHERE expires_at <= ?"
}

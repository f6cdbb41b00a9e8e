/// The server's tables, the same for SQLite and PostgreSQL: only the row-id and integer column types differ, so both
/// engines run the same migrations and the same queries (`ServerSQL`).
package enum ServerSchema {
    package enum Dialect: Sendable {
        case sqlite, postgres

        var rowID: String { self == .sqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY" }
        var integer: String { self == .sqlite ? "INTEGER" : "BIGINT" }
    }

    /// The migrations in order; the database records the highest applied in `schema_migrations`.
    package static func migrations(_ dialect: Dialect) -> [(version: Int, statements: [String])] {
        let id = dialect.rowID, int = dialect.integer
        return [(1, [
            "CREATE TABLE tokens (name TEXT PRIMARY KEY, role TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, "
                + "created_at \(int) NOT NULL, revoked_at \(int))",
            // Every record's `<agent>/<seq>`: a second copy of a record finds its row here and is a duplicate.
            "CREATE TABLE received (agent TEXT NOT NULL, seq \(int) NOT NULL, kind TEXT NOT NULL, "
                + "received_at \(int) NOT NULL, PRIMARY KEY (agent, seq))",
            "CREATE INDEX received_at ON received (received_at)",
            "CREATE TABLE alerts (id \(id), agent TEXT NOT NULL, seq \(int) NOT NULL, time \(int) NOT NULL, "
                + "rule TEXT NOT NULL, priority \(int) NOT NULL, hostname TEXT NOT NULL, container_id TEXT NOT NULL, "
                + "container_name TEXT NOT NULL, incident TEXT, received_at \(int) NOT NULL, body TEXT NOT NULL)",
            "CREATE INDEX alerts_rule ON alerts (rule, id)",
            "CREATE INDEX alerts_time ON alerts (time)",
            "CREATE INDEX alerts_host ON alerts (hostname, id)",
            "CREATE INDEX alerts_container ON alerts (container_id, id)",
            "CREATE INDEX alerts_container_name ON alerts (container_name, id)",
            "CREATE INDEX alerts_incident ON alerts (incident)",
            "CREATE INDEX alerts_received ON alerts (received_at)",
            "CREATE TABLE incidents (id \(id), incident_id TEXT NOT NULL, agent TEXT NOT NULL, seq \(int) NOT NULL, "
                + "hostname TEXT NOT NULL, rule TEXT NOT NULL, opened_at \(int) NOT NULL, alert_count \(int) NOT NULL, "
                + "received_at \(int) NOT NULL, body TEXT NOT NULL)",
            "CREATE INDEX incidents_incident_id ON incidents (incident_id, id)",
            "CREATE INDEX incidents_host ON incidents (hostname, id)",
            "CREATE INDEX incidents_received ON incidents (received_at)",
            "CREATE TABLE hosts (agent TEXT PRIMARY KEY, hostname TEXT NOT NULL, version TEXT NOT NULL, "
                + "kernel TEXT NOT NULL, drops \(int) NOT NULL, spool_bytes \(int) NOT NULL, "
                + "spool_records \(int) NOT NULL, evicted \(int) NOT NULL, last_seen \(int) NOT NULL, "
                + "running TEXT NOT NULL)",
            "CREATE TABLE host_images (agent TEXT NOT NULL, digest TEXT NOT NULL, last_seen \(int) NOT NULL, "
                + "PRIMARY KEY (agent, digest))",
            "CREATE INDEX host_images_digest ON host_images (digest)",
            // `digest` is the SBOM's source.digest (the manifest's for registry targets); `image_id` the config's,
            // which is what container runtimes, and so the agents' heartbeats, name a running image by.
            "CREATE TABLE images (digest TEXT PRIMARY KEY, image_id TEXT NOT NULL, name TEXT NOT NULL, distro TEXT NOT NULL, "
                + "packages \(int) NOT NULL, first_seen \(int) NOT NULL, last_seen \(int) NOT NULL, sbom TEXT, "
                + "matched_at \(int), advisory_version TEXT)",
            "CREATE INDEX images_image_id ON images (image_id)",
            "CREATE TABLE image_vulnerabilities (digest TEXT NOT NULL, vulnerability TEXT NOT NULL, "
                + "body TEXT NOT NULL)",
            "CREATE INDEX image_vulnerabilities_digest ON image_vulnerabilities (digest)",
            // A match is found by its id and by each of its aliases (CVE-X finds the GHSA and the ALSA that alias it).
            "CREATE TABLE vulnerability_names (name TEXT NOT NULL, digest TEXT NOT NULL, package TEXT NOT NULL)",
            "CREATE INDEX vulnerability_names_name ON vulnerability_names (name)",
            "CREATE INDEX vulnerability_names_digest ON vulnerability_names (digest)",
            "CREATE TABLE scans (id \(id), agent TEXT NOT NULL, seq \(int) NOT NULL, digest TEXT NOT NULL, "
                + "received_at \(int) NOT NULL, body TEXT NOT NULL)",
            "CREATE INDEX scans_digest ON scans (digest, id)",
            "CREATE INDEX scans_received ON scans (received_at)",
        ]), (2, [
            // The console's sign-ins: only the SHA-256 of the cookie is kept. `token_hash` ties a session to the user
            // token it was exchanged for, so revoking the token ends its sessions; a login link's session has none.
            "CREATE TABLE sessions (hash TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, token_hash TEXT, "
                + "csrf TEXT NOT NULL, created_at \(int) NOT NULL, expires_at \(int) NOT NULL)",
            "CREATE INDEX sessions_expires ON sessions (expires_at)",
            // `shrike server login-link`: one-time codes, also kept as SHA-256 only; using one deletes it.
            "CREATE TABLE login_links (hash TEXT PRIMARY KEY, name TEXT NOT NULL, role TEXT NOT NULL, "
                + "created_at \(int) NOT NULL, expires_at \(int) NOT NULL)",
        ]), (3, [
            // The console's counts per rule and host: alerts per minute of their own time, rule, host and priority,
            // kept up to date by ingest and eviction, so counting a day of a million alerts reads the day's minutes
            // (never more rows than the alerts themselves) instead of every alert (ServerSQL.alertCounts).
            "CREATE TABLE alert_minutes (minute \(int) NOT NULL, rule TEXT NOT NULL, hostname TEXT NOT NULL, "
                + "priority \(int) NOT NULL, n \(int) NOT NULL, PRIMARY KEY (minute, rule, hostname, priority))",
            "INSERT INTO alert_minutes (minute, rule, hostname, priority, n) SELECT time / \(ServerSQL.minute), rule, "
                + "hostname, priority, COUNT(*) FROM alerts GROUP BY time / \(ServerSQL.minute), rule, hostname, priority",
        ])]
    }

    /// The version the newest migration brings the schema to.
    package static var version: Int { migrations(.sqlite).last?.version ?? 0 }
}

import GRDB

/// The incident index's schema, versioned with GRDB's migrator: add a migration, never edit a shipped one.
enum IncidentSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: incidents with compressed events") { db in
            try db.create(table: "incident") { t in
                t.primaryKey("id", .text)
                t.column("openedAt", .integer).notNull()
                t.column("closedAt", .integer).notNull()
                t.column("windowStart", .integer).notNull()
                t.column("windowEnd", .integer).notNull()
                t.column("scopeKind", .text).notNull()
                t.column("container", .text).notNull()
                t.column("firstRule", .text).notNull()
                t.column("priority", .text).notNull()
                t.column("alertCount", .integer).notNull()
                t.column("eventCount", .integer).notNull()
                t.column("droppedEvents", .integer).notNull()
                t.column("bytes", .integer).notNull()
                t.column("hostname", .text).notNull()
                t.column("closedEarly", .boolean).notNull()
                // The scope in full (names, root pid and command) as JSON, so new scope fields need no migration.
                t.column("scope", .text).notNull()
            }
            try db.create(index: "incident_by_closedAt", on: "incident", columns: ["closedAt"])
            try db.create(table: "incidentData") { t in
                t.primaryKey("id", .text).references("incident", onDelete: .cascade)
                // JSON array of IncidentAlert.
                t.column("alerts", .blob).notNull()
                // EventLogCodec bytes, zlib-compressed (ZlibBlob).
                t.column("events", .blob).notNull()
            }
        }
        return migrator
    }
}

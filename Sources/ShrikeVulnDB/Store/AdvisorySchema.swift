import GRDB

/// The database schema, versioned with GRDB's migrator: add a migration, never edit a shipped one.
enum AdvisorySchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: sources, vulnerabilities, affected packages, import errors") { db in
            try db.create(table: "source") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("name", .text).notNull().unique()
                t.column("kind", .text).notNull()
                t.column("location", .text).notNull()
                t.column("importedAt", .datetime).notNull()
                t.column("recordCount", .integer).notNull().defaults(to: 0)
                t.column("affectedCount", .integer).notNull().defaults(to: 0)
                t.column("failedCount", .integer).notNull().defaults(to: 0)
                t.column("skippedCount", .integer).notNull().defaults(to: 0)
                t.column("newestModified", .datetime)
                // For `db update`: the feed's validators, sent back as If-None-Match / If-Modified-Since.
                t.column("etag", .text)
                t.column("lastModified", .text)
            }
            try db.create(table: "vulnerability") { t in
                t.column("sourceId", .integer).notNull().references("source", onDelete: .cascade)
                t.column("id", .text).notNull()
                t.column("aliases", .text)
                t.column("summary", .text)
                t.column("severity", .text).notNull()
                t.column("cvssVectors", .text)
                t.column("urls", .text)
                t.column("published", .datetime)
                t.column("modified", .datetime)
                t.column("kind", .text).notNull()
                t.primaryKey(["sourceId", "id"])
            }
            try db.create(index: "vulnerability_by_id", on: "vulnerability", columns: ["id"])
            try db.create(table: "affectedPackage") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("sourceId", .integer).notNull().references("source", onDelete: .cascade)
                t.column("vulnerabilityId", .text).notNull()
                t.column("namespace", .text).notNull()
                t.column("packageName", .text).notNull()
                t.column("ecosystem", .text).notNull()
                // JSON in OSV's own shape ([{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.2"}]}]);
                // NULL when empty, so most lookups decode nothing.
                t.column("ranges", .text)
                t.column("versions", .text)
                t.column("status", .text).notNull()
                t.column("severity", .text)
                t.column("symbols", .text)
            }
            try db.create(index: "affectedPackage_lookup", on: "affectedPackage", columns: ["namespace", "packageName"])
            try db.create(index: "affectedPackage_source", on: "affectedPackage", columns: ["sourceId"])
            try db.create(table: "importError") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("sourceId", .integer).notNull().references("source", onDelete: .cascade)
                t.column("kind", .text).notNull()  // "failed" or "skipped"
                t.column("file", .text).notNull()
                t.column("reason", .text).notNull()
            }
            try db.create(index: "importError_source", on: "importError", columns: ["sourceId"])
        }
        migrator.registerMigration("v2: Go affected imports as OSV structures them") { db in
            // JSON [{"path": "golang.org/x/net/html", "symbols": ["Parse"]}]; NULL when the record lists none.
            try db.alter(table: "affectedPackage") { t in
                t.add(column: "imports", .text)
            }
        }
        migrator.registerMigration("v3: vendor status words and vendor advisory ids per package record") { db in
            try db.alter(table: "affectedPackage") { t in
                t.add(column: "vendorStatus", .text)
                // JSON ["USN-4321-1"]; NULL when the record names none.
                t.add(column: "advisories", .text)
            }
        }
        return migrator
    }
}

import Foundation
import GRDB
import ShrikeCore

/// What `shrike db update` keeps per feed: the HTTP validators of the download each source came from.
///
/// A feed's sources are the ones whose `location` is the feed URL (or `URL#member` for a record inside a zip), which
/// is what importers write when given the URL as their origin.
extension SQLiteAdvisoryStore {
    /// The validators stored with the sources imported from `url`, or nil when none were imported from it (or the
    /// server gave neither an ETag nor a Last-Modified).
    public func feedValidators(url: String) throws -> FeedValidators? {
        try queue.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT etag, lastModified FROM source
                WHERE (location = ? OR substr(location, 1, ?) = ?) AND (etag IS NOT NULL OR lastModified IS NOT NULL)
                ORDER BY importedAt DESC LIMIT 1
                """, arguments: [url, url.unicodeScalars.count + 1, url + "#"])
            guard let row else { return nil }
            let validators = FeedValidators(etag: row[0], lastModified: row[1])
            return validators.isEmpty ? nil : validators
        }
    }

    /// Stores `validators` on every source imported from `url`; returns those sources' names.
    @discardableResult
    public func recordFeedValidators(_ validators: FeedValidators, url: String) throws -> [String] {
        try queue.write { db in
            let condition = "location = ? OR substr(location, 1, ?) = ?"
            let arguments: StatementArguments = [url, url.unicodeScalars.count + 1, url + "#"]
            try db.execute(sql: "UPDATE source SET etag = ?, lastModified = ? WHERE \(condition)",
                           arguments: [validators.etag, validators.lastModified] + arguments)
            return try String.fetchAll(db, sql: "SELECT name FROM source WHERE \(condition) ORDER BY name", arguments: arguments)
        }
    }

    /// The names of the sources imported from `url`.
    public func feedSourceNames(url: String) throws -> [String] {
        try queue.read { db in
            try String.fetchAll(db, sql: """
                SELECT name FROM source WHERE location = ? OR substr(location, 1, ?) = ? ORDER BY name
                """, arguments: [url, url.unicodeScalars.count + 1, url + "#"])
        }
    }

    /// Closes the database file. The store must not be used afterwards; `db update` closes its staged copy before
    /// renaming it over the live database.
    public func close() throws {
        do {
            try queue.close()
        } catch let error as DatabaseError {
            throw ShrikeError(.io, "cannot close the advisory database: \(error.message ?? error.description)", input: path)
        }
    }
}

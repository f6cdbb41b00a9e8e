import Foundation

/// What `shrike db update` did.
public struct DatabaseUpdateReport: Sendable, Codable, Equatable {
    /// One feed's outcome.
    public struct Feed: Sendable, Codable, Equatable {
        public enum Outcome: String, Sendable, Codable {
            /// Downloaded and imported, replacing the sources it produced last time.
            case downloaded
            /// 304 Not Modified: the records from the last download were kept as they were.
            case notModified = "not-modified"
        }

        public var url: String
        public var outcome: Outcome
        /// Bytes downloaded (0 when not modified).
        public var bytes: Int64
        /// The database sources this feed's records belong to (`osv:<url>`, `alpine-secdb:v3.20/main`, …).
        public var sources: [String]
    }

    /// The database file.
    public var path: String
    public var feeds: [Feed]
    /// What the import of the downloaded feeds stored; nil when nothing was downloaded.
    public var imported: ImportReport?
    /// True when a new database file replaced the old one; false when every feed was unchanged and the database was
    /// not touched.
    public var replaced: Bool
    /// Wall time of the whole update.
    public var seconds: Double
}

import Foundation

/// What one `import` did, per source.
public struct ImportReport: Sendable, Codable, Equatable {
    public struct Source: Sendable, Codable, Equatable {
        public var name: String
        public var kind: String
        public var location: String
        /// Advisories stored (one per vulnerability id in the source).
        public var records: Int
        /// Package records stored (one per vulnerability, namespace and package).
        public var affected: Int
        public var failed: Int
        /// Records left out on purpose (withdrawn, unsupported ecosystem).
        public var skipped: Int
        /// The first few failures, in the order they were met; all of them are in the database.
        public var firstFailures: [ImportFailure]
    }

    public var sources: [Source]
    public var seconds: Double

    public var totalRecords: Int { sources.reduce(0) { $0 + $1.records } }
    public var totalFailed: Int { sources.reduce(0) { $0 + $1.failed } }
}

/// The state of an advisory database, for `shrike db status`.
public struct AdvisoryDatabaseStatus: Sendable, Codable, Equatable {
    public struct Source: Sendable, Codable, Equatable {
        public var name: String
        public var kind: String
        public var location: String
        public var importedAt: Date
        /// Seconds between the import and the moment the status was taken.
        public var ageSeconds: Double
        public var records: Int
        public var affected: Int
        public var failed: Int
        public var skipped: Int
        /// The latest `modified` date among the source's records (nil when the source gives no dates, as secdb).
        public var newestRecord: Date?
        public var etag: String?
        public var lastModified: String?
        public var firstFailures: [ImportFailure]
    }

    public var path: String
    public var schemaVersion: String
    public var sizeBytes: Int64
    public var sources: [Source]

    public var totalRecords: Int { sources.reduce(0) { $0 + $1.records } }
    public var totalFailed: Int { sources.reduce(0) { $0 + $1.failed } }
    /// The most recent import of any source.
    public var lastImport: Date? { sources.map(\.importedAt).max() }
}

import Foundation
import GRDB
import ShrikeCore

/// The sink an import writes through, alive only inside the import's transaction.
///
/// A source is cleared the first time the session meets it, so re-importing replaces the source's records instead of
/// adding to them; its counts are written when the session finishes.
final class ImportSession: AdvisorySink {
    private struct SourceState {
        var id: Int64
        var source: AdvisorySource
        var records = 0
        var affected = 0
        var failed = 0
        var skipped = 0
        var newest: Date?
        var firstFailures: [ImportFailure] = []
    }

    private let db: Database
    private let now: Date
    private var states: [String: SourceState] = [:]
    private var order: [String] = []
    static let reportedFailures = 5

    init(db: Database, now: Date) {
        self.db = db
        self.now = now
    }

    private func state(for source: AdvisorySource) throws -> SourceState {
        if let state = states[source.name] { return state }
        try db.execute(sql: "DELETE FROM source WHERE name = ?", arguments: [source.name])
        try db.execute(sql: "INSERT INTO source (name, kind, location, importedAt) VALUES (?, ?, ?, ?)",
                       arguments: [source.name, source.kind, source.location, now])
        let state = SourceState(id: db.lastInsertedRowID, source: source)
        states[source.name] = state
        order.append(source.name)
        return state
    }

    func add(_ record: AdvisoryRecord, to source: AdvisorySource) throws {
        var state = try state(for: source)
        let v = record.vulnerability
        let insertVulnerability = try db.cachedStatement(sql: """
            INSERT INTO vulnerability (sourceId, id, aliases, summary, severity, cvssVectors, urls, published, modified, kind)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (sourceId, id) DO NOTHING
            """)
        try insertVulnerability.execute(arguments: [
            state.id, v.id, StoredJSON.encode(v.aliases), v.summary, v.severity.rawValue, StoredJSON.encode(v.cvssVectors),
            StoredJSON.encode(v.urls), v.published, v.modified, v.source,
        ])
        if db.changesCount > 0 { state.records += 1 }
        let insertAffected = try db.cachedStatement(sql: """
            INSERT INTO affectedPackage (sourceId, vulnerabilityId, namespace, packageName, ecosystem, ranges, versions,
                                         status, severity, symbols, imports, vendorStatus, advisories)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for package in record.affected {
            try insertAffected.execute(arguments: [
                state.id, package.vulnerabilityID, package.namespace, package.packageName, package.ecosystem.rawValue,
                StoredJSON.encode(package.ranges), StoredJSON.encode(package.versions), package.status.rawValue,
                package.severity?.rawValue, StoredJSON.encode(package.symbols), StoredJSON.encode(package.imports),
                package.vendorStatus, StoredJSON.encode(package.advisories),
            ])
        }
        state.affected += record.affected.count
        if let modified = v.modified, modified > (state.newest ?? .distantPast) { state.newest = modified }
        states[source.name] = state
    }

    func fail(_ failure: ImportFailure, in source: AdvisorySource) throws {
        var state = try state(for: source)
        try insertError(failure, kind: "failed", sourceID: state.id)
        state.failed += 1
        if state.firstFailures.count < Self.reportedFailures { state.firstFailures.append(failure) }
        states[source.name] = state
    }

    func skip(_ skipped: ImportFailure, in source: AdvisorySource) throws {
        var state = try state(for: source)
        try insertError(skipped, kind: "skipped", sourceID: state.id)
        state.skipped += 1
        states[source.name] = state
    }

    private func insertError(_ failure: ImportFailure, kind: String, sourceID: Int64) throws {
        try db.cachedStatement(sql: "INSERT INTO importError (sourceId, kind, file, reason) VALUES (?, ?, ?, ?)")
            .execute(arguments: [sourceID, kind, failure.file, failure.reason])
    }

    /// Writes every source's counts and returns the report.
    func finish(seconds: Double) throws -> ImportReport {
        var sources: [ImportReport.Source] = []
        for name in order {
            guard let state = states[name] else { continue }
            try db.execute(sql: """
                UPDATE source SET recordCount = ?, affectedCount = ?, failedCount = ?, skippedCount = ?, newestModified = ?
                WHERE id = ?
                """, arguments: [state.records, state.affected, state.failed, state.skipped, state.newest, state.id])
            sources.append(ImportReport.Source(
                name: name, kind: state.source.kind, location: state.source.location, records: state.records,
                affected: state.affected, failed: state.failed, skipped: state.skipped, firstFailures: state.firstFailures))
        }
        return ImportReport(sources: sources, seconds: seconds)
    }
}

import Foundation
import ShrikeCore

/// Reads advisories from one input (a file, a directory, an archive) and hands them to a sink.
///
/// Importers never write the database themselves: the store gives them a sink that writes inside the import's one
/// transaction. A record that cannot be read is reported to the sink with `fail` and the import goes on; throwing
/// aborts the whole import (the store rolls back), so throw only when the input as a whole cannot be read.
public protocol AdvisoryImporter: Sendable {
    /// What the user named (a path), for messages.
    var input: String { get }
    func importAdvisories(into sink: any AdvisorySink) throws
}

/// Receives what importers read. Records belong to a source; re-importing a source replaces what it held before.
public protocol AdvisorySink: AnyObject {
    /// One advisory and the packages it affects, read from `source`.
    func add(_ record: AdvisoryRecord, to source: AdvisorySource) throws
    /// A record that could not be read: counted on the source and kept with the reason.
    func fail(_ failure: ImportFailure, in source: AdvisorySource) throws
    /// A record deliberately left out (withdrawn, or an ecosystem Shrike cannot match): counted and kept with the reason.
    func skip(_ skipped: ImportFailure, in source: AdvisorySource) throws
}

/// Where records come from. The name identifies the source across imports: re-importing the same name replaces it.
///
/// Names: `alpine-secdb:v3.9/main` (from the file's own `distroversion` and `reponame`, so the archived YAML and the
/// live JSON feed of one release are one source), `debian-tracker`, and `osv:<absolute path>` for OSV inputs.
public struct AdvisorySource: Sendable, Hashable, Codable {
    public var name: String
    /// The importer kind: `osv`, `alpine-secdb`, `debian-tracker`.
    public var kind: String
    /// The path or URL it was read from.
    public var location: String

    public init(name: String, kind: String, location: String) {
        self.name = name
        self.kind = kind
        self.location = location
    }
}

/// One advisory as read: the vulnerability and every package record it carries.
public struct AdvisoryRecord: Sendable, Equatable {
    public var vulnerability: Vulnerability
    public var affected: [AffectedPackage]

    public init(vulnerability: Vulnerability, affected: [AffectedPackage]) {
        self.vulnerability = vulnerability
        self.affected = affected
    }
}

/// A record that failed to parse (or was skipped): the file (and entry inside it) and why.
public struct ImportFailure: Sendable, Equatable, Codable {
    /// The file, with `#entry` for a record inside a bigger file (`v3.9/main.yaml#xen/4.11.2-r0`).
    public var file: String
    public var reason: String

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }
}

/// A sink that keeps everything in memory, for tests and for reading advisories without a database.
public final class CollectingAdvisorySink: AdvisorySink {
    public private(set) var records: [AdvisorySource: [AdvisoryRecord]] = [:]
    public private(set) var failures: [AdvisorySource: [ImportFailure]] = [:]
    public private(set) var skipped: [AdvisorySource: [ImportFailure]] = [:]

    public init() {}

    public func add(_ record: AdvisoryRecord, to source: AdvisorySource) { records[source, default: []].append(record) }
    public func fail(_ failure: ImportFailure, in source: AdvisorySource) { failures[source, default: []].append(failure) }
    public func skip(_ skipped: ImportFailure, in source: AdvisorySource) { self.skipped[source, default: []].append(skipped) }

    /// Every record read, from every source.
    public var allRecords: [AdvisoryRecord] { records.values.flatMap { $0 } }
    /// Every failure, from every source.
    public var allFailures: [ImportFailure] { failures.values.flatMap { $0 } }
}

import Foundation
import ShrikeRules

/// Everything `shrike server` keeps: tokens, what agents send, the images' SBOMs and their matches. Two engines
/// implement it with the same schema and migrations (`ServerSchema`): SQLite (the default) and PostgreSQL.
///
/// Every method is safe to call from many requests at once; each write is one transaction.
package protocol ServerStore: Sendable {
    /// Brings the schema up to `ServerSchema.version`, running the migrations not yet applied.
    func migrate() async throws

    func createToken(_ token: StoredToken) async throws
    func tokens() async throws -> [StoredToken]
    /// Marks the token revoked; false when no unrevoked token has that name.
    func revokeToken(name: String, at: Date) async throws -> Bool
    /// The token whose secret hashes to `hash`, revoked or not.
    func token(hash: String) async throws -> StoredToken?

    /// Stores the records of one agent's batch in one transaction; returns, per record, whether it was new.
    func ingest(agent: String, records: [IngestRecord], receivedAt: Date) async throws -> [Bool]

    func alerts(_ query: AlertQuery) async throws -> Page<StoredAlert>
    func incidents(_ query: IncidentQuery) async throws -> Page<IncidentRow>
    /// The newest incident with that id: its timeline JSON as the agent exported it.
    func incident(id: String) async throws -> IncidentRow?
    func hosts() async throws -> [HostRow]
    func images() async throws -> [ImageRow]
    /// The stored matches of one image; nil when no image has that digest.
    func imageVulnerabilities(digest: String) async throws -> [ImageVulnerabilityRow]?
    /// Images (and the hosts running them) with a match for `vulnerability` (an id or an alias).
    func affected(vulnerability: String) async throws -> [AffectedImageRow]

    /// The stored SBOMs not yet matched against advisories of `advisoryVersion` (new ones, and all of them after
    /// the advisories changed).
    func sboms(staleFor advisoryVersion: String) async throws -> [(digest: String, sbom: Data)]
    /// Replaces the matches of one image with a new matching's result.
    func replaceMatches(digest: String, matches: [ImageVulnerabilityRow], advisoryVersion: String) async throws

    /// Alerts per rule or per host under the query's filters (its cursor ignored), the most first.
    func alertCounts(_ query: AlertQuery, by column: AlertCountColumn, limit: Int) async throws -> [AlertCount]

    /// Stores a new console session (its cookie's hash, never the cookie).
    func createSession(_ session: StoredSession) async throws
    /// The unexpired session whose cookie hashes to `hash`; nil when expired, signed out, or its token revoked.
    func session(hash: String, now: Date) async throws -> StoredSession?
    /// Signs a session out; a hash that matches none is not an error.
    func deleteSession(hash: String) async throws
    /// Stores a one-time sign-in code of `shrike server login-link`.
    func createLoginLink(_ link: StoredLoginLink) async throws
    /// Deletes and returns the unexpired code that hashes to `hash`: each code signs in once at most.
    func consumeLoginLink(hash: String, now: Date) async throws -> StoredLoginLink?

    /// Deletes the oldest records beyond each kind's age and count bounds; returns how many of each kind went.
    func evict(_ retention: Retention, now: Date) async throws -> [RecordKind: Int]
    /// Rows per kind, for `/metrics`.
    func counts() async throws -> [RecordKind: Int]
}

/// The kinds of record an agent sends.
package enum RecordKind: String, Sendable, CaseIterable, Codable {
    case alert, incident, heartbeat, sbom, scan
}

/// A token as stored: the secret itself is never kept, only its SHA-256.
package struct StoredToken: Sendable, Equatable {
    package var name: String
    package var role: TokenRole
    package var hash: String
    package var createdAt: Date
    package var revokedAt: Date?

    package init(name: String, role: TokenRole, hash: String, createdAt: Date, revokedAt: Date? = nil) {
        self.name = name
        self.role = role
        self.hash = hash
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

/// One page of a listing, newest first, and the cursor of the next page when there is one.
package struct Page<Item: Sendable>: Sendable {
    package var items: [Item]
    package var next: String?

    package init(items: [Item], next: String?) {
        self.items = items
        self.next = next
    }
}

/// The filters of `GET /api/v1/alerts`.
package struct AlertQuery: Sendable, Equatable {
    package var rule: String?
    /// Alerts at this priority or more severe.
    package var minimumPriority: RulePriority?
    package var host: String?
    /// A container id (full or its 12-character prefix) or name.
    package var container: String?
    package var incident: String?
    package var since: Int64?
    package var until: Int64?
    /// Only alerts stored before this row id (the cursor).
    package var before: Int64?
    package var limit: Int
    /// A tag the alert carries (`mitre_execution`), exactly.
    package var tag: String?
    /// The start of the alert's image repository (`docker.io/library/alpine`).
    package var image: String?
    /// Text anywhere in the alert (its output, command line, fields), case-insensitive.
    package var text: String?

    package init(rule: String? = nil, minimumPriority: RulePriority? = nil, host: String? = nil,
                 container: String? = nil, incident: String? = nil, since: Int64? = nil, until: Int64? = nil,
                 before: Int64? = nil, limit: Int = 100, tag: String? = nil, image: String? = nil, text: String? = nil) {
        self.tag = tag
        self.image = image
        self.text = text
        self.rule = rule
        self.minimumPriority = minimumPriority
        self.host = host
        self.container = container
        self.incident = incident
        self.since = since
        self.until = until
        self.before = before
        self.limit = limit
    }
}

/// The filters of `GET /api/v1/incidents`.
package struct IncidentQuery: Sendable, Equatable {
    package var host: String?
    package var rule: String?
    package var before: Int64?
    package var limit: Int

    package init(host: String? = nil, rule: String? = nil, before: Int64? = nil, limit: Int = 100) {
        self.host = host
        self.rule = rule
        self.before = before
        self.limit = limit
    }
}

/// An alert as stored: the agent's JSON and where it came from.
package struct StoredAlert: Sendable {
    package var rowID: Int64
    package var agent: String
    package var seq: Int64
    package var receivedAt: Int64
    /// The alert's JSON as the agent sent it (Falco's shape, plus `incident` and `hostname`).
    package var body: Data
}

package struct IncidentRow: Sendable {
    package var rowID: Int64
    package var id: String
    package var agent: String
    package var hostname: String
    package var rule: String
    package var openedAt: Int64
    package var alertCount: Int
    package var body: Data
}

package struct HostRow: Sendable {
    package var agent: String
    package var hostname: String
    package var version: String
    package var kernel: String
    package var drops: Int64
    package var spoolBytes: Int64
    package var spoolRecords: Int64
    package var evicted: Int64
    package var lastSeen: Int64
    package var running: [String]
}

package struct ImageRow: Sendable {
    package var digest: String
    package var name: String
    package var distro: String
    package var packages: Int
    package var vulnerabilities: Int
    package var firstSeen: Int64
    package var lastSeen: Int64
    package var matchedAt: Int64?
    package var hosts: [String]
}

/// One stored match of one image.
package struct ImageVulnerabilityRow: Sendable, Equatable, Codable {
    package var id: String
    package var aliases: [String]
    package var severity: String
    package var status: String
    package var fixedVersion: String?
    package var namespace: String
    package var package: String
    package var version: String
    package var type: String
    package var purl: String
    /// The diff id of the image layer that brought the package (nil for directory sources and older rows).
    package var layer: String?

    package init(id: String, aliases: [String], severity: String, status: String, fixedVersion: String?,
                 namespace: String, package: String, version: String, type: String, purl: String,
                 layer: String? = nil) {
        self.layer = layer
        self.id = id
        self.aliases = aliases
        self.severity = severity
        self.status = status
        self.fixedVersion = fixedVersion
        self.namespace = namespace
        self.package = package
        self.version = version
        self.type = type
        self.purl = purl
    }
}

package struct AffectedImageRow: Sendable {
    package var digest: String
    package var name: String
    package var packages: [String]
    package var hosts: [String]
}

/// How long and how many of each kind the server keeps; the oldest go first. Nil means no bound.
package struct Retention: Sendable, Equatable {
    package var maxAge: [RecordKind: TimeInterval]
    package var maxCount: [RecordKind: Int]

    package init(maxAge: [RecordKind: TimeInterval] = [:], maxCount: [RecordKind: Int] = [:]) {
        self.maxAge = maxAge
        self.maxCount = maxCount
    }

    /// 30 days and 5,000,000 alerts; 90 days and 100,000 incidents; 90 days of scans.
    package static let `default` = Retention(
        maxAge: [.alert: 30 * 86400, .incident: 90 * 86400, .scan: 90 * 86400],
        maxCount: [.alert: 5_000_000, .incident: 100_000, .scan: 100_000])
}

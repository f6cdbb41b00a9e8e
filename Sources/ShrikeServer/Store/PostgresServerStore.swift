import Foundation
import ShrikeCore

/// The PostgreSQL engine (postgres-nio).
package final class PostgresServerStore: ServerStore {
    package init(url: String) throws {
        throw ShrikeError(.unsupportedFormat, "the PostgreSQL engine is not in this build yet; use sqlite:PATH", input: url)
    }
    package func migrate() async throws {}
    package func createToken(_ token: StoredToken) async throws {}
    package func tokens() async throws -> [StoredToken] { [] }
    package func revokeToken(name: String, at: Date) async throws -> Bool { false }
    package func token(hash: String) async throws -> StoredToken? { nil }
    package func ingest(agent: String, records: [IngestRecord], receivedAt: Date) async throws -> [Bool] { [] }
    package func alerts(_ query: AlertQuery) async throws -> Page<StoredAlert> { Page(items: [], next: nil) }
    package func incidents(_ query: IncidentQuery) async throws -> Page<IncidentRow> { Page(items: [], next: nil) }
    package func incident(id: String) async throws -> IncidentRow? { nil }
    package func hosts() async throws -> [HostRow] { [] }
    package func images() async throws -> [ImageRow] { [] }
    package func imageVulnerabilities(digest: String) async throws -> [ImageVulnerabilityRow]? { nil }
    package func affected(vulnerability: String) async throws -> [AffectedImageRow] { [] }
    package func sboms(staleFor advisoryVersion: String) async throws -> [(digest: String, sbom: Data)] { [] }
    package func replaceMatches(digest: String, matches: [ImageVulnerabilityRow], advisoryVersion: String) async throws {}
    package func evict(_ retention: Retention, now: Date) async throws -> [RecordKind: Int] { [:] }
    package func counts() async throws -> [RecordKind: Int] { [:] }
}

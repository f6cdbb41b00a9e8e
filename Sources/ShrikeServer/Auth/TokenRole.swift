/// What a token may do. Agents only send; viewers only read; admins do both and manage the server.
package enum TokenRole: String, Sendable, CaseIterable, Codable {
    case agent, viewer, admin

    /// May `POST /api/v1/ingest`.
    package var mayIngest: Bool { self == .agent || self == .admin }
    /// May read the API (`GET /api/v1/…`, `/metrics`).
    package var mayRead: Bool { self == .viewer || self == .admin }
}

/// What a spooled record holds; `rawValue` is its byte in the segment file, `wireName` its `kind` on the wire.
public enum SpoolKind: UInt8, Sendable, CaseIterable {
    case alert = 1
    case incident = 2
    case heartbeat = 3
    case sbom = 4
    case scan = 5

    /// The record's `kind` in `POST /api/v1/ingest`.
    public var wireName: String {
        switch self {
        case .alert: "alert"
        case .incident: "incident"
        case .heartbeat: "heartbeat"
        case .sbom: "sbom"
        case .scan: "scan"
        }
    }
}

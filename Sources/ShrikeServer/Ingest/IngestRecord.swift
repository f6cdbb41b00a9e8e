import Foundation

/// One record of an ingest batch, checked: its kind's facts the store indexes, and its body as JSON.
package struct IngestRecord: Sendable {
    /// The agent's sequence number; `<agent>/<seq>` identifies the record, and a second copy is a duplicate.
    package var seq: Int64
    package var payload: IngestPayload
    /// The record's body re-serialised (sorted keys): what the API gives back.
    package var body: Data

    package init(seq: Int64, payload: IngestPayload, body: Data) {
        self.seq = seq
        self.payload = payload
        self.body = body
    }

    package var kind: RecordKind {
        switch payload {
        case .alert: .alert
        case .incident: .incident
        case .heartbeat: .heartbeat
        case .sbom: .sbom
        case .scan: .scan
        }
    }
}

/// What the store indexes of each kind of record.
package enum IngestPayload: Sendable {
    case alert(AlertFacts)
    case incident(IncidentFacts)
    case heartbeat(HeartbeatFacts)
    case sbom(ImageFacts)
    case scan(ImageFacts)
}

package struct AlertFacts: Sendable, Equatable {
    package var time: Int64
    package var rule: String
    package var priority: Int
    package var hostname: String
    package var containerID: String
    package var containerName: String
    package var incident: String?
}

package struct IncidentFacts: Sendable, Equatable {
    package var id: String
    package var hostname: String
    package var rule: String
    package var openedAt: Int64
    package var alertCount: Int
}

package struct HeartbeatFacts: Sendable, Equatable {
    package var time: Int64
    package var hostname: String
    package var version: String
    package var kernel: String
    package var drops: Int64
    package var spoolBytes: Int64
    package var spoolRecords: Int64
    package var evicted: Int64
    /// Image digests of the containers running on the host.
    package var running: [String]
}

/// An SBOM or a scan result: the image it describes.
package struct ImageFacts: Sendable, Equatable {
    package var digest: String
    /// The image config's digest (`source.imageID`), empty when the SBOM has none.
    package var imageID: String
    package var name: String
    package var distro: String
    package var packages: Int
}

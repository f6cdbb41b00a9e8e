import Foundation
import ShrikeCore

/// The timeline as JSON (the shape in `docs/incidents.md`): sorted keys, times as RFC 3339 strings in UTC.
public enum TimelineJSONRenderer {
    public static func render(_ timeline: Timeline, pretty: Bool = true) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(timeline))
        } catch {
            throw ShrikeError(.io, "cannot encode the timeline as JSON: \(error)", input: timeline.incident.id)
        }
    }
}

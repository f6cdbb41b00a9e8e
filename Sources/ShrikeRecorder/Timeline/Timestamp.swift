import Foundation
import ShrikeSensor

/// A point in time, nanoseconds since the Unix epoch; JSON writes it as RFC 3339 in UTC with nanoseconds.
public struct Timestamp: Codable, Sendable, Comparable, Hashable, CustomStringConvertible {
    public var nanoseconds: UInt64

    public init(_ nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// `2026-11-29T10:00:00.123456789Z`, as the sensor's event JSON writes times.
    public var description: String { EventJSONEncoder.timestamp(nanoseconds) }

    /// Parses what `description` writes (the fraction may have 0 to 9 digits).
    public init?(parsing text: String) {
        guard let parsed = EventJSONDecoder.parseTime(text) else { return nil }
        nanoseconds = parsed
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parsed = Timestamp(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 UTC time: \(text)")
        }
        self = parsed
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

import Foundation

/// A point in time, nanoseconds since the Unix epoch; JSON writes it as RFC 3339 in UTC with nanoseconds.
public struct Timestamp: Codable, Sendable, Comparable, Hashable, CustomStringConvertible {
    public var nanoseconds: UInt64

    public init(_ nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// `2026-11-29T10:00:00.123456789Z`.
    public var description: String {
        var seconds = time_t(nanoseconds / 1_000_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%09lluZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec),
                      nanoseconds % 1_000_000_000)
    }

    /// Parses what `description` writes (the fraction may have 0 to 9 digits).
    public init?(parsing text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for index in range {
                guard index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 else { return nil }
                value = value * 10 + Int(bytes[index] - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19) else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let epoch = timegm(&parts)
        guard epoch >= 0 else { return nil }
        var fraction: UInt64 = 0
        var digits = 0
        if bytes[19] == UInt8(ascii: ".") {
            for index in 20..<(bytes.count - 1) {
                guard digits < 9, bytes[index] >= 0x30, bytes[index] <= 0x39 else { return nil }
                fraction = fraction * 10 + UInt64(bytes[index] - 0x30)
                digits += 1
            }
        }
        while digits < 9 { fraction *= 10; digits += 1 }
        nanoseconds = UInt64(epoch) * 1_000_000_000 + fraction
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

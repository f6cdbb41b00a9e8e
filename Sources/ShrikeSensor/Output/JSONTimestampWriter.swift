/// Appends RFC 3339 timestamps with nanoseconds (`2026-11-29T10:00:00.123456789Z`, as `EventJSONEncoder.timestamp`
/// formats them) to a byte buffer, formatting the date and time only when the second changes: events and alerts come
/// many to a second, and the calendar conversion costs more than the rest of a line.
public struct JSONTimestampWriter: Sendable {
    private var cachedSecond: UInt64 = .max
    /// "YYYY-MM-DDTHH:MM:SS." of `cachedSecond`, without the nine digits and the Z.
    private var cachedPrefix: [UInt8] = []

    public init() {}

    public mutating func append(_ nanoseconds: UInt64, to out: inout [UInt8]) {
        let second = nanoseconds / 1_000_000_000
        if second != cachedSecond {
            cachedSecond = second
            cachedPrefix = Array(EventJSONEncoder.timestamp(second * 1_000_000_000).dropLast(10).utf8)
        }
        out.append(contentsOf: cachedPrefix)
        var fraction = nanoseconds % 1_000_000_000
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: 9)
        for index in stride(from: 8, through: 0, by: -1) {
            digits[index] = UInt8(ascii: "0") + UInt8(fraction % 10)
            fraction /= 10
        }
        out.append(contentsOf: digits)
        out.append(UInt8(ascii: "Z"))
    }
}

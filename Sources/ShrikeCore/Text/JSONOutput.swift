import Foundation

/// The one way Shrike's writers turn values into JSON: sorted keys, pretty printed, `/` unescaped, final newline.
///
/// Sorted keys make the bytes depend only on the values, never on dictionary order or encoder internals.
package enum JSONOutput {
    package static func encode<T: Encodable>(_ value: T, format: String) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        do {
            var bytes = [UInt8](try encoder.encode(value))
            bytes.append(UInt8(ascii: "\n"))
            return bytes
        } catch {
            throw ShrikeError(.malformed, "cannot encode the \(format) document: \(error)", input: format)
        }
    }
}

/// RFC 3339 timestamps in UTC with whole seconds (`2026-01-02T03:04:05Z`).
///
/// Whole seconds because SPDX 2.3 requires exactly `YYYY-MM-DDThh:mm:ssZ` for `created`.
package enum RFC3339 {
    package static func string(from date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let digits = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(c.year, 4))-\(pad(c.month, 2))-\(pad(c.day, 2))T\(pad(c.hour, 2)):\(pad(c.minute, 2)):\(pad(c.second, 2))Z"
    }
}

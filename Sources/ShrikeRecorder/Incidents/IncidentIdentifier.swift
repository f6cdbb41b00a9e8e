import Foundation

/// Incident ids: `inc-20261129-101500-1a2b3c` (the first alert's UTC time, then 24 random bits).
public enum IncidentIdentifier {
    public static func make(time: UInt64, random: UInt32) -> String {
        var seconds = time_t(time / 1_000_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let stamp = String(format: "%04d%02d%02d-%02d%02d%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                           Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        let suffix = String(random & 0xff_ffff, radix: 16)
        return "inc-\(stamp)-" + String(repeating: "0", count: 6 - suffix.count) + suffix
    }

    /// True for strings shaped like an id (used to refuse anything else before it reaches a query or a file name).
    public static func isValid(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard bytes.count == 26, id.hasPrefix("inc-") else { return false }
        for (index, byte) in bytes.enumerated().dropFirst(4) {
            switch index {
            case 12, 19: if byte != UInt8(ascii: "-") { return false }
            case 4..<19: if !(byte >= 0x30 && byte <= 0x39) { return false }
            default: if !((byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x66)) { return false }
            }
        }
        return true
    }
}

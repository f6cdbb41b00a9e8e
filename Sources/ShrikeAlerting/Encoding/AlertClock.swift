#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Renders an alert's time (nanoseconds since the Unix epoch) the ways the outputs need, always in UTC.
enum AlertClock {
    /// RFC 3339 with microseconds, the most RFC 5424's TIMESTAMP allows: `2026-11-29T10:00:00.123456Z`.
    static func rfc3339Microseconds(_ nanoseconds: UInt64) -> String {
        let parts = utcParts(nanoseconds)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%06lluZ", Int(parts.tm_year) + 1900,
                      Int(parts.tm_mon) + 1, Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min),
                      Int(parts.tm_sec), (nanoseconds % 1_000_000_000) / 1000)
    }

    /// Falco's text prefix time: `10:20:05.408091526` (Falco prints `%evt.time`; Shrike always prints UTC).
    static func timeOfDay(_ nanoseconds: UInt64) -> String {
        let parts = utcParts(nanoseconds)
        return String(format: "%02d:%02d:%02d.%09llu", Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec),
                      nanoseconds % 1_000_000_000)
    }

    /// RFC 3164's `Mmm dd hh:mm:ss` (day padded with a space), in UTC.
    static func rfc3164(_ nanoseconds: UInt64) -> String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let parts = utcParts(nanoseconds)
        let month = months[Int(parts.tm_mon) % 12]
        return String(format: "%@ %2d %02d:%02d:%02d", month, Int(parts.tm_mday), Int(parts.tm_hour),
                      Int(parts.tm_min), Int(parts.tm_sec))
    }

    private static func utcParts(_ nanoseconds: UInt64) -> tm {
        var seconds = time_t(nanoseconds / 1_000_000_000)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        return parts
    }
}

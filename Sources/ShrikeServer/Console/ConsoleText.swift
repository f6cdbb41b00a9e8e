import Foundation
import ShrikeCore

/// The one display function of the console for text that comes from agents (command lines, file paths, host names,
/// rule output): ANSI escapes, C0/C1 controls, line separators and bidi overrides (U+202A–202E, U+2066–2069) are
/// made visible as `\x1b`/`\u{202e}` by `TerminalText.safe`, the CLI's own sanitiser, and the text is cut to a
/// bound. Mustache's `{{ }}` then HTML-escapes what is left, so markup shows as text.
package enum ConsoleText {
    /// The longest text shown in one cell; the rest is cut with an ellipsis.
    package static let maxLength = 4096

    package static func display(_ text: String, limit: Int = maxLength) -> String {
        let safe = TerminalText.safe(text)
        guard safe.count > limit else { return safe }
        return String(safe.prefix(limit)) + "…"
    }

    /// A value of a JSON object as display text (numbers and booleans spelled out; anything else empty).
    static func field(_ value: Any?) -> String {
        switch value {
        case let text as String: display(text)
        case let number as NSNumber: display(number.stringValue)
        default: ""
        }
    }

    /// `text` percent-encoded for a query value (so `&`, `=`, `#` and `+` in a rule name stay inside it).
    static func query(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// Nanoseconds since the epoch as `2026-12-07 10:00:00.123Z`. By hand with gmtime_r: a formatter per call cost
    /// more than the rest of a feed row, and a shared one is not Sendable.
    static func time(nanoseconds: Int64) -> String {
        var seconds = time_t(nanoseconds / 1_000_000_000)
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return String(nanoseconds) }
        let millis = Int((nanoseconds % 1_000_000_000) / 1_000_000)
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let fraction = millis < 10 ? "00\(millis)" : millis < 100 ? "0\(millis)" : "\(millis)"
        return "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday)) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)).\(fraction)Z"
    }
}

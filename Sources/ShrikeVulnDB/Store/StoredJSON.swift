import Foundation
import ShrikeCore

/// The JSON written into text columns: string lists, and ranges in OSV's own shape so the file reads like OSV.
///
/// Written by hand rather than with `JSONEncoder`: an import writes hundreds of thousands of these (AlmaLinux's OSV
/// alone 269,000 range lists), and the encoder's boxing was a fifth of the import's time. Read back with `JSONDecoder`.
enum StoredJSON {
    private struct StoredRange: Codable {
        var type: String
        var events: [[String: String]]
    }

    static func encode(_ strings: [String]) -> String? {
        guard !strings.isEmpty else { return nil }
        var out = "["
        for (index, string) in strings.enumerated() {
            if index > 0 { out += "," }
            appendQuoted(string, to: &out)
        }
        return out + "]"
    }

    /// `text` as a JSON string literal: quotes, backslashes and control characters escaped.
    static func appendQuoted(_ text: String, to out: inout String) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }

    static func decodeStrings(_ text: String?) throws -> [String] {
        guard let text else { return [] }
        return try JSONDecoder().decode([String].self, from: Data(text.utf8))
    }

    static func encode(_ imports: [AffectedImport]) -> String? {
        guard !imports.isEmpty, let data = try? JSONEncoder().encode(imports) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeImports(_ text: String?) throws -> [AffectedImport] {
        guard let text else { return [] }
        return try JSONDecoder().decode([AffectedImport].self, from: Data(text.utf8))
    }

    static func encode(_ ranges: [AffectedRange]) -> String? {
        guard !ranges.isEmpty else { return nil }
        var out = "["
        for (index, range) in ranges.enumerated() {
            if index > 0 { out += "," }
            out += "{\"type\":"
            appendQuoted(range.kind.rawValue, to: &out)
            out += ",\"events\":["
            for (eventIndex, event) in range.events.enumerated() {
                if eventIndex > 0 { out += "," }
                let (key, value): (String, String) = switch event {
                case .introduced(let v): ("introduced", v)
                case .fixed(let v): ("fixed", v)
                case .lastAffected(let v): ("last_affected", v)
                case .limit(let v): ("limit", v)
                }
                out += "{\"" + key + "\":"
                appendQuoted(value, to: &out)
                out += "}"
            }
            out += "]}"
        }
        return out + "]"
    }

    static func decodeRanges(_ text: String?) throws -> [AffectedRange] {
        guard let text else { return [] }
        let stored = try JSONDecoder().decode([StoredRange].self, from: Data(text.utf8))
        return try stored.map { range in
            guard let kind = AffectedRange.Kind(rawValue: range.type) else {
                throw ShrikeError(.malformed, "stored range type '\(range.type)' is unknown; re-import the data")
            }
            return AffectedRange(kind: kind, events: try range.events.map { event in
                guard let field = event.first else { throw ShrikeError(.malformed, "stored range event is empty") }
                let value = field.value
                switch field.key {
                case "introduced": return .introduced(value)
                case "fixed": return .fixed(value)
                case "last_affected": return .lastAffected(value)
                case "limit": return .limit(value)
                default: throw ShrikeError(.malformed, "stored range event '\(field.key)' is unknown; re-import the data")
                }
            })
        }
    }
}

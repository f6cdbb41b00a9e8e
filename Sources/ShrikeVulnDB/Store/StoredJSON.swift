import Foundation
import ShrikeCore

/// The JSON written into text columns: string lists, and ranges in OSV's own shape so the file reads like OSV.
enum StoredJSON {
    private struct StoredRange: Codable {
        var type: String
        var events: [[String: String]]
    }

    static func encode(_ strings: [String]) -> String? {
        guard !strings.isEmpty, let data = try? JSONEncoder().encode(strings) else { return nil }
        return String(decoding: data, as: UTF8.self)
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
        let stored = ranges.map { range in
            StoredRange(type: range.kind.rawValue, events: range.events.map { event in
                switch event {
                case .introduced(let v): return ["introduced": v]
                case .fixed(let v): return ["fixed": v]
                case .lastAffected(let v): return ["last_affected": v]
                case .limit(let v): return ["limit": v]
                }
            })
        }
        guard let data = try? JSONEncoder().encode(stored) else { return nil }
        return String(decoding: data, as: UTF8.self)
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

import Foundation
import ShrikeCore

/// hadolint's `-f json`: one array of `{"code", "column", "file", "level", "line", "message"}` (column is always 1:
/// findings are per instruction).
public struct LintJSONWriter: Sendable {
    public init() {}

    struct Entry: Encodable {
        let code: String
        let column: Int
        let file: String
        let level: String
        let line: Int
        let message: String
    }

    public func write(_ findings: [LintFinding]) throws -> [UInt8] {
        try LintJSON.encode(findings.map {
            Entry(code: $0.rule, column: 1, file: $0.file, level: $0.severity.rawValue, line: $0.line, message: $0.message)
        }, pretty: false)
    }
}

/// JSON as Shrike writes it: sorted keys, `/` unescaped, a final newline.
enum LintJSON {
    static func encode<T: Encodable>(_ value: T, pretty: Bool) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        do {
            return [UInt8](try encoder.encode(value)) + [UInt8(ascii: "\n")]
        } catch {
            throw ShrikeError(.malformed, "cannot encode the lint report: \(error)")
        }
    }
}

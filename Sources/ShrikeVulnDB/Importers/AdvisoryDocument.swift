import Foundation
import ShrikeCore
import Yams

/// A parsed JSON or YAML document with every scalar kept as the text the file wrote.
///
/// Advisory files are read through this one shape so the importers do not care whether a record came as JSON or YAML,
/// and so YAML's typing cannot change data: a plain `fixed: 1.10` stays `"1.10"`, not the float 1.1.
enum AdvisoryDocument: Sendable, Equatable {
    case null
    case scalar(String)
    case array([AdvisoryDocument])
    case object([String: AdvisoryDocument])

    subscript(key: String) -> AdvisoryDocument? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    var string: String? {
        if case .scalar(let text) = self { return text }
        return nil
    }

    var array: [AdvisoryDocument]? {
        if case .array(let items) = self { return items }
        return nil
    }

    var object: [String: AdvisoryDocument]? {
        if case .object(let fields) = self { return fields }
        return nil
    }

    /// The strings in an array field; a missing or null field is empty, anything else throws.
    func strings(_ key: String) throws -> [String] {
        guard let value = self[key], value != .null else { return [] }
        guard let items = value.array else { throw AdvisoryDocument.shapeError("'\(key)' must be a list") }
        return try items.map { item in
            guard let text = item.string else { throw AdvisoryDocument.shapeError("'\(key)' must hold strings") }
            return text
        }
    }

    static func shapeError(_ message: String) -> ShrikeError { ShrikeError(.malformed, message) }

    /// Parses JSON or YAML (JSON is tried first when the text starts with `{` or `[`).
    static func parse(_ data: Data, isYAML: Bool) throws -> AdvisoryDocument {
        if isYAML { return try parseYAML(data) }
        return try AdvisoryJSONReader.parse(data)
    }

    private static func parseYAML(_ data: Data) throws -> AdvisoryDocument {
        guard let text = String(data: data, encoding: .utf8) else {
            throw ShrikeError(.malformed, "not UTF-8 text")
        }
        do {
            // No tag resolution: every scalar stays the string the file wrote; plain `~`/empty/null become `.null` below.
            guard let node = try Yams.compose(yaml: text, .basic) else { return .null }
            return try AdvisoryDocument(yaml: node, depth: 0)
        } catch let error as ShrikeError {
            throw error
        } catch {
            throw ShrikeError(.malformed, "not valid YAML (\(String(describing: error).split(whereSeparator: \.isNewline).first ?? ""))")
        }
    }

    /// Nesting deeper than this is refused, as in JSON (`AdvisoryJSONReader.maximumDepth`): the tree is built
    /// recursively, and a 10 KB file of `[[[…]]]` would otherwise exhaust the stack.
    static let maximumYAMLDepth = 256

    private init(yaml node: Node, depth: Int) throws {
        guard depth < Self.maximumYAMLDepth else {
            throw ShrikeError(.malformed, "not valid advisory YAML (nested deeper than \(Self.maximumYAMLDepth) levels)")
        }
        switch node {
        case .scalar(let scalar):
            self = node.null != nil && scalar.style == .plain ? .null : .scalar(scalar.string)
        case .sequence(let sequence):
            self = .array(try sequence.map { try AdvisoryDocument(yaml: $0, depth: depth + 1) })
        case .mapping(let mapping):
            var fields: [String: AdvisoryDocument] = [:]
            for (key, value) in mapping {
                fields[key.scalar?.string ?? ""] = try AdvisoryDocument(yaml: value, depth: depth + 1)
            }
            self = .object(fields)
        }
    }

}

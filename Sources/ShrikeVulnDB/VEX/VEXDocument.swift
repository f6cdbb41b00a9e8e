import Foundation
import ShrikeCore

/// An OpenVEX document (v0.2.0, and the v0.0.1 shape where vulnerabilities and products are plain strings).
public struct VEXDocument: Sendable, Equatable {
    public var id: String?
    public var statements: [VEXStatement]

    public init(id: String? = nil, statements: [VEXStatement]) {
        self.id = id
        self.statements = statements
    }

    /// Reads and parses the OpenVEX file at `path`. Throws `io` when unreadable, `malformed` when not OpenVEX.
    public static func load(path: String) throws -> VEXDocument {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ShrikeError(.io, "cannot read the VEX file: check the path and its permissions", input: path)
        }
        return try VEXDocument(parsing: Array(data), input: path)
    }

    /// Parses OpenVEX JSON; `input` names the file in errors. Statements with an unknown status, or without a
    /// vulnerability or products, are errors: a VEX file that silently suppressed nothing would mislead.
    public init(parsing bytes: [UInt8], input: String) throws {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            throw ShrikeError(.malformed, "not JSON: an OpenVEX document is a JSON object with `statements`", input: input)
        }
        guard let root = object as? [String: Any], let statements = root["statements"] as? [Any] else {
            throw ShrikeError(.malformed, "not an OpenVEX document: no `statements` array", input: input)
        }
        let documentTime = (root["timestamp"] as? String).flatMap(Self.date)
        var parsed: [VEXStatement] = []
        for (index, element) in statements.enumerated() {
            let place = "\(input): statement \(index + 1)"
            guard let statement = element as? [String: Any] else {
                throw ShrikeError(.malformed, "is not an object", input: place)
            }
            parsed.append(try Self.statement(statement, documentTime: documentTime, place: place))
        }
        self.init(id: root["@id"] as? String, statements: parsed)
    }

    private static func statement(_ s: [String: Any], documentTime: Date?, place: String) throws -> VEXStatement {
        var ids: [String] = []
        if let name = s["vulnerability"] as? String {
            ids = [name]
        } else if let vulnerability = s["vulnerability"] as? [String: Any] {
            ids = [vulnerability["name"], vulnerability["@id"]].compactMap { $0 as? String }
            ids += (vulnerability["aliases"] as? [Any] ?? []).compactMap { $0 as? String }
        }
        ids = ids.filter { !$0.isEmpty }
        guard !ids.isEmpty else {
            throw ShrikeError(.malformed, "has no vulnerability name or @id", input: place)
        }
        guard let statusText = s["status"] as? String, let status = VEXStatus(rawValue: statusText) else {
            let known = VEXStatus.allCases.map(\.rawValue).joined(separator: ", ")
            throw ShrikeError(.malformed, "has no known status (one of \(known))", input: place)
        }
        // v0.0.1 put subcomponents on the statement; they narrow every product.
        let sharedSubcomponents = (s["subcomponents"] as? [Any] ?? []).map(identifiers)
        let products = (s["products"] as? [Any] ?? []).map { element -> VEXProduct in
            let subcomponents = ((element as? [String: Any])?["subcomponents"] as? [Any] ?? []).map(identifiers)
            return VEXProduct(identifiers: identifiers(element), subcomponents: subcomponents + sharedSubcomponents)
        }.filter { !$0.identifiers.isEmpty }
        guard !products.isEmpty else {
            throw ShrikeError(.malformed, "names no products", input: place)
        }
        return VEXStatement(vulnerabilityIDs: ids, products: products, status: status,
                            justification: s["justification"] as? String,
                            impactStatement: s["impact_statement"] as? String,
                            timestamp: (s["timestamp"] as? String).flatMap(date) ?? documentTime)
    }

    /// A product or subcomponent: a plain string (v0.0.1) or an object with `@id`, `identifiers` and `hashes`.
    private static func identifiers(_ element: Any) -> [String] {
        if let string = element as? String { return [string] }
        guard let object = element as? [String: Any] else { return [] }
        var result: [String] = []
        if let id = object["@id"] as? String { result.append(id) }
        if let identifiers = object["identifiers"] as? [String: Any] {
            result += identifiers.keys.sorted().compactMap { identifiers[$0] as? String }
        }
        if let hashes = object["hashes"] as? [String: Any] {
            for key in ["sha-256", "sha256"] {
                if let hex = hashes[key] as? String { result.append("sha256:" + hex.lowercased()) }
            }
        }
        return result.filter { !$0.isEmpty }
    }

    static func date(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }
}

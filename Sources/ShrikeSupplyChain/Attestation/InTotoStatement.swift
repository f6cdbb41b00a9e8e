import Foundation
import ShrikeCore

/// An in-toto Statement (v1, also reads v0.1): subjects by digest, a predicate type and the predicate.
public struct InTotoStatement: Sendable {
    public static let typeV1 = "https://in-toto.io/Statement/v1"
    public static let typeV01 = "https://in-toto.io/Statement/v0.1"

    public struct Subject: Sendable, Equatable {
        public var name: String
        /// Algorithm → lower-case hex (`sha256` → `4bcb…`).
        public var digest: [String: String]

        public init(name: String, digest: [String: String]) {
            self.name = name
            self.digest = digest
        }
    }

    public var type: String
    public var subjects: [Subject]
    public var predicateType: String
    /// The predicate as compact JSON.
    public var predicate: [UInt8]

    /// A v1 statement about one image. `predicate` must be a JSON document; throws `malformed` when it is not.
    public init(image name: String, digest: Digest, predicateType: String, predicate: [UInt8]) throws {
        guard let object = try? JSONSerialization.jsonObject(with: Data(predicate), options: [.fragmentsAllowed]) else {
            throw ShrikeError(.malformed, "the predicate is not valid JSON")
        }
        guard let compact = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed]) else {
            throw ShrikeError(.malformed, "the predicate cannot be re-encoded as JSON")
        }
        type = Self.typeV1
        subjects = [Subject(name: name, digest: [digest.algorithm.rawValue: digest.hex])]
        self.predicateType = predicateType
        self.predicate = Array(compact)
    }

    /// Reads a statement. Throws `malformed` naming what is missing.
    public init(parsing bytes: [UInt8]) throws {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw ShrikeError(.malformed, "the statement is not a JSON object")
        }
        guard let type = object["_type"] as? String, type == Self.typeV1 || type == Self.typeV01 else {
            throw ShrikeError(.malformed, "the statement's _type is not an in-toto Statement (v1 or v0.1)")
        }
        guard let subjects = object["subject"] as? [[String: Any]], !subjects.isEmpty else {
            throw ShrikeError(.malformed, "the statement has no subject")
        }
        guard let predicateType = object["predicateType"] as? String else {
            throw ShrikeError(.malformed, "the statement has no predicateType")
        }
        self.type = type
        self.subjects = subjects.map {
            Subject(name: $0["name"] as? String ?? "", digest: ($0["digest"] as? [String: Any] ?? [:]).compactMapValues { $0 as? String })
        }
        self.predicateType = predicateType
        let predicate = object["predicate"] ?? NSNull()
        self.predicate = Array((try? JSONSerialization.data(withJSONObject: predicate, options: [.sortedKeys, .fragmentsAllowed])) ?? Data("null".utf8))
    }

    /// True when a subject names `digest`.
    public func covers(_ digest: Digest) -> Bool {
        subjects.contains { $0.digest[digest.algorithm.rawValue]?.lowercased() == digest.hex }
    }

    /// The statement JSON: `_type`, `subject`, `predicateType`, `predicate`.
    public var bytes: [UInt8] {
        var writer = CanonicalJSONWriter()
        writer.beginObject()
        writer.key("_type"); writer.string(type)
        writer.key("subject")
        writer.beginArray()
        for subject in subjects {
            writer.beginObject()
            writer.key("name"); writer.string(subject.name)
            writer.key("digest"); writer.stringMap(subject.digest)
            writer.endObject()
        }
        writer.endArray()
        writer.key("predicateType"); writer.string(predicateType)
        writer.key("predicate"); writer.raw(predicate)
        writer.endObject()
        return writer.bytes
    }
}

import Foundation
import ShrikeCore
import Yams

/// A lock file: which digest each locked tag pointed at, and which keys had signed it (`shrike lock`).
///
/// Written as JSON, or YAML when the file name ends in `.yaml`/`.yml`:
/// `{"version":1,"images":[{"target":"oci-dir:img:1.0","tag":"1.0","digest":"sha256:…","signers":["sha256:…"]}]}`.
public struct TagLock: Codable, Sendable, Equatable {
    public struct Entry: Codable, Sendable, Equatable {
        /// The target string as locked (`oci-dir:PATH:TAG`, later `registry:HOST/REPO:TAG`).
        public var target: String
        public var tag: String?
        public var digest: Digest
        /// Fingerprints (`sha256:<hex>` of the SPKI) of keys whose signatures verified when locking.
        public var signers: [String]?

        public init(target: String, tag: String?, digest: Digest, signers: [String]? = nil) {
            self.target = target
            self.tag = tag
            self.digest = digest
            self.signers = signers
        }
    }

    public var version: Int
    public var images: [Entry]

    public init(images: [Entry] = []) {
        version = 1
        self.images = images
    }

    /// Adds or replaces the entry for `entry.target`.
    public mutating func record(_ entry: Entry) {
        images.removeAll { $0.target == entry.target }
        images.append(entry)
        images.sort { $0.target < $1.target }
    }

    static func isYAML(_ path: String) -> Bool { path.hasSuffix(".yaml") || path.hasSuffix(".yml") }

    public static func load(path: String) throws -> TagLock {
        let bytes = try FileAccess.read(path, what: "lock")
        do {
            if isYAML(path) {
                return try YAMLDecoder().decode(TagLock.self, from: String(decoding: bytes, as: UTF8.self))
            }
            return try JSONDecoder().decode(TagLock.self, from: Data(bytes))
        } catch {
            throw ShrikeError(.malformed, "is not a Shrike lock file (version, images[target, tag, digest]): \(error)", input: path)
        }
    }

    public func write(to path: String) throws {
        let bytes: [UInt8]
        do {
            if Self.isYAML(path) {
                bytes = Array(try YAMLEncoder().encode(self).utf8)
            } else {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                bytes = Array(try encoder.encode(self)) + [0x0a]
            }
        } catch {
            throw ShrikeError(.io, "cannot encode the lock file: \(error)", input: path)
        }
        try FileAccess.write(bytes, to: path)
    }
}

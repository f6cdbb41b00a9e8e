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

/// A locked tag that no longer points where it did.
public struct MovedTag: Sendable, Equatable, CustomStringConvertible {
    public var target: String
    public var tag: String?
    public var locked: Digest
    public var current: Digest

    public var description: String {
        "tag '\(tag ?? target)' moved: locked at \(locked), now \(current) (\(target))"
    }
}

extension TagLock {
    /// The entries that apply to `target`: the one recorded for exactly this target string, else every entry whose
    /// tag equals the target's tag.
    public func entries(for target: String, tag: String?) -> [Entry] {
        let exact = images.filter { $0.target == target }
        if !exact.isEmpty { return exact }
        guard let tag else { return [] }
        return images.filter { $0.tag == tag }
    }

    /// Compares `image` (resolved now) with what was locked for `target`. Returns nil when it matches.
    /// Throws `notFound` when the lock has no entry for the target.
    public func check(_ image: ResolvedImage, target: String, input: String? = nil) throws -> [MovedTag] {
        let entries = entries(for: target, tag: image.tag)
        guard !entries.isEmpty else {
            throw ShrikeError(.notFound, "the lock file has no entry for \(target) (run `shrike lock \(target) --file FILE`)", input: input)
        }
        return entries.filter { $0.digest != image.digest }.map {
            MovedTag(target: $0.target, tag: $0.tag, locked: $0.digest, current: image.digest)
        }
    }
}

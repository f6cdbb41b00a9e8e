import ShrikeCore

/// The outcome of `ImageVerifier.verify`: how much was checked, and the first blob that failed, if any.
public struct VerificationReport: Sendable, Codable, Equatable {
    /// The target as the user gave it.
    public var target: String
    /// True when every digest and size matched.
    public var verified: Bool
    /// Blobs (manifests, indexes, configs, layers) fully read and hashed; a blob shared by several manifests counts once.
    public var blobs: Int
    /// Bytes hashed, as stored (compressed layers count at their compressed size).
    public var bytes: Int64
    /// Layers whose uncompressed content was also checked against the config's diff id (docker-archives).
    public var diffIDs: Int
    /// The first mismatch found; nil when `verified`.
    public var failure: VerificationFailure?
    /// HTTP requests sent (auth and redirects included), for registry targets.
    public var requests: Int?

    public init(target: String, verified: Bool, blobs: Int, bytes: Int64, diffIDs: Int = 0, failure: VerificationFailure? = nil) {
        self.target = target
        self.verified = verified
        self.blobs = blobs
        self.bytes = bytes
        self.diffIDs = diffIDs
        self.failure = failure
    }
}

/// A blob whose content does not match what names it.
public struct VerificationFailure: Sendable, Codable, Equatable, CustomStringConvertible {
    /// `digest`, `size`, `diff-id` or `missing`.
    public var kind: String
    /// The blob as its parent names it (`sha256:…`, or an archive member for classic docker-archives).
    public var blob: String
    /// Its role and where it was referenced (`layer 2 of manifest sha256:…`).
    public var role: String
    /// What the parent says (a digest, or a size in bytes).
    public var expected: String
    /// What the content is; nil for a missing blob.
    public var actual: String?

    public init(kind: String, blob: String, role: String, expected: String, actual: String?) {
        self.kind = kind
        self.blob = blob
        self.role = role
        self.expected = expected
        self.actual = actual
    }

    /// One line: `layer 1 of manifest sha256:… (sha256:…): digest mismatch: expected sha256:…, content hashes to sha256:…`.
    public var description: String {
        let head = "\(role) (\(blob))"
        switch kind {
        case "missing": return "\(head): missing (expected \(expected))"
        case "size": return "\(head): size mismatch: expected \(expected) bytes, found \(actual ?? "?")"
        case "diff-id": return "\(head): diff id mismatch: expected \(expected), uncompressed content hashes to \(actual ?? "?")"
        default: return "\(head): digest mismatch: expected \(expected), content hashes to \(actual ?? "?")"
        }
    }
}

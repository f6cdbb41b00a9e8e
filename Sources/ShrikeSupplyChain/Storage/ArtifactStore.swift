import ShrikeCore

/// Where images and their signatures, attestations and referrers live: an OCI image layout today, a registry
/// repository once the registry client is wired in.
///
/// Reads return the bytes as stored, unverified, so callers can turn a digest mismatch into a precise reason (the
/// signature verifier reports "payload does not match its descriptor" rather than a generic read error). Pushing a
/// manifest under a tag that exists moves the tag.
public protocol ArtifactStore: Sendable {
    /// The layout path or `host/repo`, for messages.
    var location: String { get }

    /// The repository name signatures should claim (`docker-reference`), when the store knows it.
    var repositoryName: String? { get }

    /// Every tag the store holds.
    func tags() throws -> [String]

    /// The manifest `tag` points at, or, for a nil tag, the store's one image (an OCI layout with a single image;
    /// a registry reference's own tag or digest). Throws `notFound` listing the tags when there is none, `badTarget`
    /// when a nil tag is ambiguous.
    func descriptor(forTag tag: String?) throws -> OCIDescriptor

    /// A manifest's bytes as stored, or nil when the store has none with that digest.
    func manifest(_ digest: Digest) throws -> [UInt8]?

    /// A blob's bytes as stored, or nil when absent.
    func blob(_ digest: Digest) throws -> [UInt8]?

    /// Stores a blob (no-op when present); returns its sha256 digest.
    @discardableResult
    func pushBlob(_ bytes: [UInt8]) throws -> Digest

    /// Stores a manifest and, when `tag` is given, points the tag at it (replacing what the tag named before).
    @discardableResult
    func pushManifest(_ bytes: [UInt8], mediaType: String, tag: String?) throws -> OCIDescriptor

    /// Manifests whose `subject` is `digest` (OCI 1.1 referrers), as descriptors carrying their `artifactType`.
    func referrers(of digest: Digest) throws -> [OCIDescriptor]
}

extension ArtifactStore {
    /// A manifest that must exist and hash to its digest: the image being signed or verified.
    public func verifiedManifest(_ descriptor: OCIDescriptor) throws -> [UInt8] {
        guard let bytes = try manifest(descriptor.digest) else {
            throw ShrikeError(.notFound, "manifest \(descriptor.digest) is missing", input: location)
        }
        guard SupplyChainDigest.matches(bytes, descriptor.digest) else {
            throw ShrikeError(.digestMismatch, "manifest \(descriptor.digest) does not hash to its digest (it was modified)", input: location)
        }
        return bytes
    }
}

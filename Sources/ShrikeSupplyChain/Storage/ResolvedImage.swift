import ShrikeCore

/// The image a supply-chain command works on: its manifest digest, checked bytes and how it was named.
public struct ResolvedImage: Sendable {
    public var store: any ArtifactStore
    public var descriptor: OCIDescriptor
    /// The manifest (or index) bytes, verified against `descriptor.digest`.
    public var manifest: [UInt8]
    /// The tag the user named, if any.
    public var tag: String?

    public var digest: Digest { descriptor.digest }

    /// Resolves `tag` (nil: the store's one image) and reads the manifest, checking its digest.
    public static func resolve(in store: any ArtifactStore, tag: String?) throws -> ResolvedImage {
        let descriptor = try store.descriptor(forTag: tag)
        return ResolvedImage(store: store, descriptor: descriptor, manifest: try store.verifiedManifest(descriptor), tag: tag)
    }

    /// The name signatures and attestations claim: `explicit` when given, else the store's repository name plus
    /// the tag, else `localhost/<layout directory name>` for OCI layouts that record no name.
    public func identity(explicit: String?) -> String {
        if let explicit, !explicit.isEmpty { return explicit }
        if let name = store.repositoryName { return name }
        let base = store.location.split(separator: "/").last.map(String.init) ?? "image"
        return "localhost/" + base.lowercased()
    }
}

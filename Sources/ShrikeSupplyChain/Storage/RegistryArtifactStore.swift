import Foundation
import ShrikeCore
import ShrikeImage

/// One repository of an OCI registry as an `ArtifactStore`, through ShrikeImage's `RegistryClient`.
///
/// Signatures and attestations go where cosign puts them (`sha256-<hex>.sig`/`.att` tags in the image's own
/// repository). Reads are verified by the client (a manifest or blob that does not hash to its digest throws
/// `digestMismatch` naming `host/repo@digest`); absent content is nil. Every call is a blocking HTTP round trip:
/// call it from a command or a background thread, never from an event loop.
public struct RegistryArtifactStore: ArtifactStore {
    /// The reference as normalised by `ImageReference(parsing:)` (its tag is `latest` when the user named none).
    public let reference: ShrikeImage.ImageReference
    /// The tag the user wrote, nil when the reference had none (then `latest` is implied unless a digest is pinned).
    public let explicitTag: String?
    /// Largest manifest or blob read whole: signatures, attestations and manifests are small, and a hostile registry
    /// must not make a verifier hold gigabytes in memory.
    public var maxBlobSize = 256 << 20
    let client: RegistryClient

    /// Opens `reference` (`HOST/REPO[:TAG][@DIGEST]`, without `registry:`) with `options`.
    ///
    /// Throws `badTarget` for a malformed reference or unreadable CA file, `usage` for `insecure` with a
    /// non-loopback host. Nothing is sent to the registry yet.
    public init(reference text: String, options: RegistryOptions = RegistryOptions()) throws {
        let parsed = try ShrikeImage.ImageReference(parsing: text)
        reference = parsed
        explicitTag = ImageReference.tag(of: text)
        client = try RegistryClient(reference: parsed, options: options)
    }

    /// `host/repo`.
    public var location: String { "\(reference.host)/\(reference.repository)" }

    /// `host/repo`, with Docker Hub's API host spelled `index.docker.io` as cosign writes it in `docker-reference`.
    public var repositoryName: String? {
        let host = reference.host == "registry-1.docker.io" ? "index.docker.io" : reference.host
        return "\(host)/\(reference.repository)"
    }

    /// True when the user pinned the image by digest (`@sha256:…`).
    public var pinnedByDigest: Bool { reference.digest != nil }

    /// True when the user named neither tag nor digest, so the registry serves `latest`.
    public var impliesLatest: Bool { explicitTag == nil && reference.digest == nil }

    public func tags() throws -> [String] {
        try client.tags()
    }

    /// For a nil tag, the reference's own digest (when pinned) or tag. The user's tag with a pinned digest
    /// (`repo:1.0@sha256:…`) resolves to the digest, as Docker does.
    public func descriptor(forTag tag: String?) throws -> OCIDescriptor {
        let name: String
        if let digest = reference.digest, tag == nil || tag == explicitTag {
            name = digest.description
        } else {
            name = tag ?? reference.tag ?? "latest"
        }
        guard let found = try client.manifestDescriptor(name) else {
            if let digest = reference.digest, name == digest.description {
                throw ShrikeError(.notFound, "no manifest \(digest) in the repository", input: location)
            }
            let known = ((try? client.tags()) ?? []).filter { !CosignTags.isArtifactTag($0) }
            throw ShrikeError(.notFound, "no manifest tagged '\(name)' (tags here: \(known.isEmpty ? "none" : known.joined(separator: ", ")))",
                              input: location)
        }
        // A digest reference is answered with the digest asked for; a registry that disagrees is caught when the
        // manifest is read and hashed.
        let digest = (try? Digest(parsing: name)) ?? found.digest
        let mediaType = found.mediaType?.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) }
        return OCIDescriptor(mediaType: mediaType.flatMap { $0.isEmpty ? nil : $0 } ?? OCIMediaTypes.imageManifest,
                             digest: digest, size: found.size)
    }

    public func manifest(_ digest: Digest) throws -> [UInt8]? {
        do {
            return try client.manifest(digest.description, limit: maxBlobSize).bytes
        } catch let error as ShrikeError where error.code == .notFound {
            return nil
        }
    }

    public func blob(_ digest: Digest) throws -> [UInt8]? {
        do {
            return try client.blobData(digest, limit: maxBlobSize)
        } catch let error as ShrikeError where error.code == .notFound {
            return nil
        }
    }

    @discardableResult
    public func pushBlob(_ bytes: [UInt8]) throws -> Digest {
        try client.putBlob(bytes).digest
    }

    /// Pushes under `tag`, or under its own digest when `tag` is nil. A manifest with a `subject` is also added to the
    /// subject's `sha256-<hex>` referrers index, because registries without the referrers API (distribution 2.8)
    /// ignore `subject`.
    @discardableResult
    public func pushManifest(_ bytes: [UInt8], mediaType: String, tag: String?) throws -> OCIDescriptor {
        let digest = SupplyChainDigest.sha256(bytes)
        try client.putManifest(bytes, mediaType: mediaType, reference: tag ?? digest.description)
        let probe = try? JSONDecoder().decode(ReferrerProbe.self, from: Data(bytes))
        let artifactType = probe?.artifactType ?? (probe?.subject != nil ? probe?.config?.mediaType : nil)
        if let subject = probe?.subject {
            let entry = Descriptor(mediaType: mediaType, digest: digest, size: Int64(bytes.count),
                                   annotations: probe?.annotations, artifactType: artifactType)
            try client.addFallbackReferrer(entry, subject: subject.digest)
        }
        return OCIDescriptor(mediaType: mediaType, digest: digest, size: Int64(bytes.count),
                             annotations: tag.map { [OCIMediaTypes.refNameAnnotation: $0] }, artifactType: probe?.artifactType)
    }

    /// The referrers API, else the `sha256-<hex>` tag index. Entries that carry no `artifactType` get the one their
    /// manifest declares (its `artifactType`, else its config media type).
    public func referrers(of digest: Digest) throws -> [OCIDescriptor] {
        var found: [OCIDescriptor] = []
        var seen = Set<Digest>()
        for entry in try client.referrers(digest) where !seen.contains(entry.digest) {
            seen.insert(entry.digest)
            var descriptor = OCIDescriptor(mediaType: entry.mediaType ?? OCIMediaTypes.imageManifest, digest: entry.digest,
                                           size: entry.size, annotations: entry.annotations, artifactType: entry.artifactType)
            if descriptor.artifactType == nil, let bytes = try manifest(entry.digest),
               let probe = try? JSONDecoder().decode(ReferrerProbe.self, from: Data(bytes)) {
                descriptor.artifactType = probe.artifactType ?? probe.config?.mediaType
            }
            found.append(descriptor)
        }
        return found
    }

    /// The parts of a manifest that say whether and as what it refers to another.
    private struct ReferrerProbe: Decodable {
        struct Config: Decodable { var mediaType: String? }
        var artifactType: String?
        var config: Config?
        var subject: OCIDescriptor?
        var annotations: [String: String]?
    }
}

import Foundation
import ShrikeCore

/// An OCI image layout directory as an `ArtifactStore`: blobs under `blobs/<alg>/<hex>`, tags as
/// `org.opencontainers.image.ref.name` annotations on `index.json` descriptors (DESIGN.md).
///
/// `index.json` is rewritten through `JSONSerialization` so fields Shrike does not model (platforms, other
/// annotations) survive; writes are atomic (temporary file, then rename). Not safe against concurrent writers.
public struct OCILayoutStore: ArtifactStore {
    public let root: String
    /// Blobs larger than this are refused on read (`limitExceeded`): signatures, attestations and manifests are
    /// small, and a hostile layout must not make a verifier read gigabytes into memory.
    public var maxBlobSize: Int64 = 256 << 20

    /// Opens the layout at `root`. Throws `badTarget` when it has no `oci-layout` or `index.json`.
    public init(root: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ShrikeError(.badTarget, "is not a directory (an OCI image layout is a directory)", input: root)
        }
        guard FileManager.default.fileExists(atPath: root + "/oci-layout"),
              FileManager.default.fileExists(atPath: root + "/index.json") else {
            throw ShrikeError(.badTarget, "has no oci-layout or index.json: not an OCI image layout", input: root)
        }
        self.root = root
    }

    public var location: String { root }

    /// The `io.containerd.image.name` of the layout's images without its tag, when all agree; else nil.
    public var repositoryName: String? {
        guard let descriptors = try? indexDescriptors() else { return nil }
        let names = Set(descriptors.compactMap { $0.annotations?[OCIMediaTypes.containerdNameAnnotation] }.map(ImageReference.stripTag))
        return names.count == 1 ? names.first : nil
    }

    public func tags() throws -> [String] {
        try indexDescriptors().compactMap(\.refName)
    }

    public func descriptor(forTag tag: String?) throws -> OCIDescriptor {
        let descriptors = try indexDescriptors()
        if let tag {
            if let found = descriptors.last(where: { $0.refName == tag }) { return found }
            let known = descriptors.compactMap(\.refName).filter { !CosignTags.isArtifactTag($0) }
            throw ShrikeError(.notFound, "no manifest tagged '\(tag)' (tags here: \(known.isEmpty ? "none" : known.joined(separator: ", ")))",
                              input: root)
        }
        let images = descriptors.filter { descriptor in
            guard !(descriptor.refName.map(CosignTags.isArtifactTag) ?? false) else { return false }
            return descriptor.artifactType == nil
        }
        let distinct = Dictionary(grouping: images, by: \.digest)
        guard distinct.count == 1, let only = images.first else {
            if distinct.isEmpty { throw ShrikeError(.notFound, "holds no image manifest", input: root) }
            let tags = images.compactMap(\.refName)
            throw ShrikeError(.badTarget, "holds \(distinct.count) images; name one with a tag (oci-dir:PATH:TAG; tags here: \(tags.isEmpty ? "none" : tags.joined(separator: ", ")))",
                              input: root)
        }
        return only
    }

    public func manifest(_ digest: Digest) throws -> [UInt8]? { try readBlob(digest) }
    public func blob(_ digest: Digest) throws -> [UInt8]? { try readBlob(digest) }

    @discardableResult
    public func pushBlob(_ bytes: [UInt8]) throws -> Digest {
        let digest = SupplyChainDigest.sha256(bytes)
        let path = blobPath(digest)
        if let existing = FileManager.default.contents(atPath: path), SupplyChainDigest.matches(Array(existing), digest) {
            return digest
        }
        do {
            try FileManager.default.createDirectory(atPath: root + "/blobs/sha256", withIntermediateDirectories: true)
        } catch {
            throw ShrikeError(.io, "cannot create blobs/sha256: \(error.localizedDescription)", input: root)
        }
        try FileAccess.write(bytes, to: path)
        return digest
    }

    @discardableResult
    public func pushManifest(_ bytes: [UInt8], mediaType: String, tag: String?) throws -> OCIDescriptor {
        let digest = try pushBlob(bytes)
        var annotations: [String: String]?
        if let tag { annotations = [OCIMediaTypes.refNameAnnotation: tag] }
        let artifactType = (try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])?["artifactType"] as? String
        let descriptor = OCIDescriptor(mediaType: mediaType, digest: digest, size: Int64(bytes.count),
                                       annotations: annotations, artifactType: artifactType)
        var index = try indexObject()
        var manifests = index["manifests"] as? [[String: Any]] ?? []
        if let tag {
            manifests.removeAll { (($0["annotations"] as? [String: Any])?[OCIMediaTypes.refNameAnnotation] as? String) == tag }
        } else {
            manifests.removeAll { ($0["digest"] as? String) == digest.description && $0["annotations"] == nil }
        }
        var entry: [String: Any] = ["mediaType": mediaType, "digest": digest.description, "size": bytes.count]
        if let annotations { entry["annotations"] = annotations }
        if let artifactType { entry["artifactType"] = artifactType }
        manifests.append(entry)
        index["manifests"] = manifests
        try writeIndex(index)
        return descriptor
    }

    public func referrers(of digest: Digest) throws -> [OCIDescriptor] {
        var found: [OCIDescriptor] = []
        var seen = Set<Digest>()
        for descriptor in try indexDescriptors() where !seen.contains(descriptor.digest) {
            seen.insert(descriptor.digest)
            guard descriptor.mediaType == OCIMediaTypes.imageManifest, let bytes = try readBlob(descriptor.digest),
                  let manifest = try? JSONDecoder().decode(ReferrerProbe.self, from: Data(bytes)),
                  manifest.subject?.digest == digest else { continue }
            var referrer = descriptor
            referrer.artifactType = manifest.artifactType ?? manifest.config?.mediaType
            found.append(referrer)
        }
        return found
    }

    /// The parts of a manifest that say whether it refers to another.
    private struct ReferrerProbe: Decodable {
        struct Config: Decodable { var mediaType: String? }
        var artifactType: String?
        var config: Config?
        var subject: OCIDescriptor?
    }

    // MARK: - index.json

    /// The top-level descriptors of `index.json`, in file order.
    public func indexDescriptors() throws -> [OCIDescriptor] {
        struct Index: Decodable { var manifests: [OCIDescriptor] }
        let bytes = try FileAccess.read(root + "/index.json", what: "index.json")
        do {
            return try JSONDecoder().decode(Index.self, from: Data(bytes)).manifests
        } catch {
            throw ShrikeError(.malformed, "index.json is not an OCI image index (\(error))", input: root)
        }
    }

    private func indexObject() throws -> [String: Any] {
        let bytes = try FileAccess.read(root + "/index.json", what: "index.json")
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw ShrikeError(.malformed, "index.json is not a JSON object", input: root)
        }
        return object
    }

    private func writeIndex(_ object: [String: Any]) throws {
        let data: Data
        do {
            data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        } catch {
            throw ShrikeError(.io, "cannot encode index.json: \(error)", input: root)
        }
        try FileAccess.write(Array(data), to: root + "/index.json")
    }

    private func blobPath(_ digest: Digest) -> String { "\(root)/blobs/\(digest.algorithm.rawValue)/\(digest.hex)" }

    private func readBlob(_ digest: Digest) throws -> [UInt8]? {
        let path = blobPath(digest)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        if let size = (attributes[.size] as? NSNumber)?.int64Value, size > maxBlobSize {
            throw ShrikeError(.limitExceeded, "blob \(digest) is \(size) bytes, over the \(maxBlobSize)-byte limit for signatures, attestations and manifests", input: root)
        }
        return try FileAccess.read(path, what: "blob")
    }
}

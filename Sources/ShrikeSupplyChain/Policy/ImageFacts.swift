import Foundation
import ShrikeCore

/// What a policy is evaluated against: facts about one image, gathered by `ImageFacts.gather` (and, for
/// vulnerabilities, by the caller's scan).
public struct ImageFacts: Sendable {
    /// `host/repository` (the image's identity, without tag).
    public var repository: String
    /// The tag the user named, if any.
    public var tag: String?
    /// True when the user named the image by digest.
    public var pinnedByDigest: Bool
    /// True when the reference has neither tag nor digest but a registry resolves it to `latest`.
    public var impliesLatest: Bool
    public var digest: Digest
    /// The config's `User` (nil or empty: root).
    public var user: String?
    public var labels: [String: String]
    /// Manifest + config + compressed layer sizes, in bytes.
    public var size: Int64
    /// Signature results, when the policy asks for signatures.
    public var signatures: SignatureReport?
    /// Vulnerability matches as (id, severity), when the policy limits severity.
    public var vulnerabilities: [(id: String, severity: Severity)]?

    public init(repository: String, tag: String?, pinnedByDigest: Bool = false, impliesLatest: Bool = false,
                digest: Digest, user: String?, labels: [String: String], size: Int64,
                signatures: SignatureReport? = nil, vulnerabilities: [(id: String, severity: Severity)]? = nil) {
        self.repository = repository
        self.tag = tag
        self.pinnedByDigest = pinnedByDigest
        self.impliesLatest = impliesLatest
        self.digest = digest
        self.user = user
        self.labels = labels
        self.size = size
        self.signatures = signatures
        self.vulnerabilities = vulnerabilities
    }

    /// Reads the config (`User`, `Labels`) and sizes of `image`; for a registry image, whether its reference pins a
    /// digest or implies `latest`. For an index, the linux/amd64 manifest (else the
    /// first) is inspected. Throws when the manifest or config is missing or malformed.
    public static func gather(_ image: ResolvedImage, identity: String) throws -> ImageFacts {
        let store = image.store
        var manifestBytes = image.manifest
        var size = Int64(manifestBytes.count)
        if let index = try? JSONDecoder().decode(IndexProbe.self, from: Data(manifestBytes)), let manifests = index.manifests {
            let chosen = manifests.first { $0.platform?.os == "linux" && $0.platform?.architecture == "amd64" } ?? manifests.first
            guard let chosen else { throw ShrikeError(.malformed, "the image index lists no manifests", input: store.location) }
            let descriptor = OCIDescriptor(mediaType: chosen.mediaType ?? OCIMediaTypes.imageManifest, digest: chosen.digest, size: chosen.size)
            manifestBytes = try store.verifiedManifest(descriptor)
            size += Int64(manifestBytes.count)
        }
        guard let manifest = try? JSONDecoder().decode(ManifestProbe.self, from: Data(manifestBytes)) else {
            throw ShrikeError(.malformed, "the image manifest has no config", input: store.location)
        }
        guard let configBytes = try store.blob(manifest.config.digest), SupplyChainDigest.matches(configBytes, manifest.config.digest) else {
            throw ShrikeError(.digestMismatch, "config \(manifest.config.digest) is missing or does not match its digest", input: store.location)
        }
        let config = (try? JSONDecoder().decode(ConfigProbe.self, from: Data(configBytes)))?.config
        size += Int64(configBytes.count) + manifest.layers.reduce(0) { $0 + $1.size }
        // Only a registry reference can pin a digest or leave the tag out; an OCI layout always names what it holds.
        let registry = store as? RegistryArtifactStore
        return ImageFacts(repository: ImageReference.stripTag(identity), tag: image.tag,
                          pinnedByDigest: registry?.pinnedByDigest ?? false, impliesLatest: registry?.impliesLatest ?? false,
                          digest: image.digest, user: config?.User, labels: config?.Labels ?? [:], size: size)
    }

    private struct IndexProbe: Decodable {
        struct Entry: Decodable {
            struct Platform: Decodable { var os: String?; var architecture: String? }
            var mediaType: String?
            var digest: Digest
            var size: Int64
            var platform: Platform?
        }
        var manifests: [Entry]?
    }

    private struct ManifestProbe: Decodable {
        struct Layer: Decodable { var size: Int64 }
        var config: OCIDescriptor
        var layers: [Layer]
    }

    private struct ConfigProbe: Decodable {
        struct Config: Decodable {
            var User: String?
            var Labels: [String: String]?
        }
        var config: Config?
    }
}

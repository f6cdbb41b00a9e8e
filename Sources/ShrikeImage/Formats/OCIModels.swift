import ShrikeCore

/// Media types Shrike reads.
public enum MediaType {
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let ociConfig = "application/vnd.oci.image.config.v1+json"
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    public static let dockerConfig = "application/vnd.docker.container.image.v1+json"
    public static let dockerLayer = "application/vnd.docker.image.rootfs.diff.tar.gzip"
    public static let ociLayerTar = "application/vnd.oci.image.layer.v1.tar"

    /// True for OCI image indexes and Docker manifest lists.
    public static func isIndex(_ type: String?) -> Bool { type == ociIndex || type == dockerManifestList }
    /// True for OCI and Docker v2 image manifests.
    public static func isManifest(_ type: String?) -> Bool { type == ociManifest || type == dockerManifest }
    /// Every manifest and index type a registry pull asks for (`Accept`).
    public static let manifestAccept = [ociManifest, ociIndex, dockerManifest, dockerManifestList]
}

/// An OS/architecture pair such as `linux/amd64` or `linux/arm64/v8`.
public struct Platform: Codable, Sendable, Equatable, CustomStringConvertible {
    public var os: String
    public var architecture: String
    public var variant: String?

    public init(os: String, architecture: String, variant: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
    }

    /// Parses `os/arch[/variant]`.
    public init(parsing string: String) throws {
        let parts = string.split(separator: "/").map(String.init)
        guard parts.count == 2 || parts.count == 3 else {
            throw ShrikeError(.usage, "a platform looks like os/arch[/variant], e.g. linux/amd64", input: string)
        }
        self.init(os: parts[0], architecture: parts[1], variant: parts.count == 3 ? parts[2] : nil)
    }

    public static let linuxAMD64 = Platform(os: "linux", architecture: "amd64")

    public var description: String { [os, architecture, variant].compactMap { $0 }.joined(separator: "/") }

    /// True when `other` (from a descriptor) satisfies this wanted platform; a wanted variant must match when given.
    func accepts(_ other: Platform) -> Bool {
        guard os == other.os, architecture == other.architecture else { return false }
        if let variant { return other.variant == nil || other.variant == variant }
        return true
    }

    enum CodingKeys: String, CodingKey { case os, architecture, variant }
}

/// An OCI content descriptor.
public struct Descriptor: Codable, Sendable, Equatable {
    public var mediaType: String?
    public var digest: Digest
    public var size: Int64
    public var annotations: [String: String]?
    public var platform: Platform?
    /// The artifact type of the manifest this descriptor points at (OCI 1.1, set in referrers lists).
    public var artifactType: String?

    public init(mediaType: String?, digest: Digest, size: Int64, annotations: [String: String]? = nil,
                platform: Platform? = nil, artifactType: String? = nil) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.annotations = annotations
        self.platform = platform
        self.artifactType = artifactType
    }
}

struct ImageIndex: Codable {
    var schemaVersion: Int?
    var mediaType: String?
    var manifests: [Descriptor]
}

struct ImageManifest: Codable {
    var schemaVersion: Int?
    var mediaType: String?
    var config: Descriptor
    var layers: [Descriptor]
}

/// The parts of an image config Shrike uses.
struct ImageConfig: Codable {
    struct RootFS: Codable {
        var type: String?
        var diff_ids: [Digest]
    }
    struct History: Codable {
        var created: String?
        var created_by: String?
        var comment: String?
        var empty_layer: Bool?
    }
    var architecture: String?
    var os: String?
    var variant: String?
    var rootfs: RootFS
    var history: [History]?

    /// `created_by` of each non-empty history entry, aligned with the layers when the counts agree.
    func layerInstructions(count: Int) -> [String?] {
        let nonEmpty = (history ?? []).filter { $0.empty_layer != true }.map { $0.created_by }
        return nonEmpty.count == count ? nonEmpty : Array(repeating: nil, count: count)
    }
}

/// One image of a `docker save` archive's `manifest.json`.
struct DockerArchiveManifestEntry: Codable {
    var Config: String
    var RepoTags: [String]?
    var Layers: [String]
}

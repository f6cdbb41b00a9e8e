import ShrikeCore

/// One layer of a fixture image: its tar (from entries or given bytes) and how the blob is compressed.
public struct LayerFixture: Sendable, Equatable {
    /// Where the layer's bytes come from.
    public enum Content: Sendable, Equatable {
        /// Tar entries, written with `TarWriter` using the layer's `dotSlashPrefix` and `longNames`.
        case entries([TarEntry])
        /// A ready-made (possibly hostile) uncompressed tar; it is compressed as `compression` says.
        case tar([UInt8])
        /// A ready-made blob stored as-is (e.g. a gzip bomb or bytes that are not a tar). Its diff id is `diffID`
        /// when given, else the blob's own digest (which a careful reader will find to be wrong).
        case blob([UInt8], diffID: Digest?)
    }

    public var content: Content
    public var compression: LayerCompression
    /// The config history's `created_by` for this layer.
    public var createdBy: String
    /// Write tar names as `./etc/…` (Docker-built base layers) rather than `etc/…` (podman build layers).
    public var dotSlashPrefix: Bool
    public var longNames: TarWriter.LongNameStyle
    /// History steps that made no layer (`CMD`, `ENV`…), written after this layer's own step with `empty_layer`.
    public var emptyStepsAfter: [String] = []

    public init(_ entries: [TarEntry], compression: LayerCompression = .gzip, createdBy: String = "COPY . /",
                dotSlashPrefix: Bool = false, longNames: TarWriter.LongNameStyle = .pax) {
        self.content = .entries(entries)
        self.compression = compression
        self.createdBy = createdBy
        self.dotSlashPrefix = dotSlashPrefix
        self.longNames = longNames
    }

    public init(tar: [UInt8], compression: LayerCompression = .gzip, createdBy: String = "COPY . /") {
        self.content = .tar(tar)
        self.compression = compression
        self.createdBy = createdBy
        self.dotSlashPrefix = false
        self.longNames = .pax
    }

    /// A blob stored exactly as given; `compression` only picks the media type written for it.
    public init(blob: [UInt8], compression: LayerCompression, diffID: Digest? = nil, createdBy: String = "COPY . /") {
        self.content = .blob(blob, diffID: diffID)
        self.compression = compression
        self.createdBy = createdBy
        self.dotSlashPrefix = false
        self.longNames = .pax
    }

    /// The uncompressed tar, or nil for a `.blob` layer.
    public func tarBytes() -> [UInt8]? {
        switch content {
        case .entries(let entries): return TarWriter.archive(entries, dotSlashPrefix: dotSlashPrefix, longNames: longNames)
        case .tar(let bytes): return bytes
        case .blob: return nil
        }
    }
}

/// Which family of media types manifests and layers carry.
public enum FixtureMediaTypes: String, Sendable, Equatable {
    /// `application/vnd.oci.image.*` (what OCI layouts and Docker ≥ 25 write).
    case oci
    /// Docker v2 schema 2 (`application/vnd.docker.distribution.manifest.v2+json`, `…rootfs.diff.tar.gzip`).
    case docker
}

/// A deliberate defect in a written image, for tests of how a reader fails.
public enum FixtureCorruption: Sendable, Hashable {
    /// The config's `rootfs.diff_ids[layer]` is the digest of something else.
    case wrongDiffID(layer: Int)
    /// The layer blob is stored under (and referenced by) its real digest, but one byte of its content is flipped,
    /// so its bytes no longer hash to that digest. In a classic docker-archive this flips a byte of `layer.tar`.
    case wrongLayerDigest(layer: Int)
    /// The layer blob is cut to half its length (the manifest still gives the full size).
    case truncatedBlob(layer: Int)
    /// The layer blob is not written at all.
    case missingBlob(layer: Int)
    /// The config blob is not written at all.
    case missingConfig
    /// The stored manifest blob has a byte appended, so it no longer matches the digest `index.json` names.
    case wrongManifestDigest
    /// `manifest.json` (docker-archive) and `index.json` (OCI layout) are padded with spaces to at least `bytes`.
    case hugeManifest(bytes: Int)
}

/// An image described in code: layers from the base up, the config fields readers look at, tags and defects.
public struct ImageFixture: Sendable, Equatable {
    public var layers: [LayerFixture]
    /// Full references, e.g. `shrike/fixture:1.0`. In an OCI layout the tag part (`1.0`) becomes the
    /// `org.opencontainers.image.ref.name` annotation.
    public var tags: [String]
    public var architecture: String
    public var os: String
    public var variant: String?
    public var env: [String]
    public var cmd: [String]?
    public var entrypoint: [String]?
    public var user: String?
    public var workingDir: String?
    public var labels: [String: String]
    /// RFC 3339 creation time written into the config and its history.
    public var created: String
    public var mediaTypes: FixtureMediaTypes
    public var corruptions: [FixtureCorruption]

    public init(layers: [LayerFixture], tags: [String] = ["shrike/fixture:latest"], architecture: String = "amd64",
                os: String = "linux", variant: String? = nil,
                env: [String] = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
                cmd: [String]? = ["/bin/sh"], entrypoint: [String]? = nil, user: String? = nil, workingDir: String? = nil,
                labels: [String: String] = [:], created: String = "2024-01-01T00:00:00Z",
                mediaTypes: FixtureMediaTypes = .oci, corruptions: [FixtureCorruption] = []) {
        self.layers = layers
        self.tags = tags
        self.architecture = architecture
        self.os = os
        self.variant = variant
        self.env = env
        self.cmd = cmd
        self.entrypoint = entrypoint
        self.user = user
        self.workingDir = workingDir
        self.labels = labels
        self.created = created
        self.mediaTypes = mediaTypes
        self.corruptions = corruptions
    }

    /// The OCI `org.opencontainers.image.ref.name` for a full reference: the part after the last `:` that
    /// follows the last `/` (`registry:5000/a/b:1.0` → `1.0`), or `latest` when there is none.
    public static func refName(for reference: String) -> String {
        let afterSlash = reference.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? reference
        guard let colon = afterSlash.lastIndex(of: ":") else { return "latest" }
        return String(afterSlash[afterSlash.index(after: colon)...])
    }

    /// The repository part of a full reference (`shrike/fixture:1.0` → `shrike/fixture`).
    public static func repository(of reference: String) -> String {
        let name = refName(for: reference)
        guard reference.hasSuffix(":" + name) else { return reference }
        return String(reference.dropLast(name.count + 1))
    }
}

import ShrikeCore

/// One layer of an image, in order from the base up.
public struct LayerInfo: Sendable, Equatable, Codable {
    /// Position from the bottom (0 is the base layer).
    public var index: Int
    /// Digest of the blob as stored (compressed, if it is).
    public var digest: Digest
    /// Digest of the uncompressed tar (the config's `rootfs.diff_ids` entry).
    public var diffID: Digest
    public var mediaType: String
    /// Size in bytes of the blob as stored.
    public var size: Int64
    /// The Dockerfile instruction that made the layer, from the config's history, when recorded.
    public var createdBy: String?

    public init(index: Int, digest: Digest, diffID: Digest, mediaType: String, size: Int64, createdBy: String? = nil) {
        self.index = index
        self.digest = digest
        self.diffID = diffID
        self.mediaType = mediaType
        self.size = size
        self.createdBy = createdBy
    }
}

/// What was read: the `source` object of Shrike's JSON output.
public struct SourceDescription: Sendable, Equatable, Codable {
    /// `docker-archive`, `oci-dir`, `oci-archive`, `dir` (and later `registry`, `vm`).
    public var type: String
    /// The path (or reference) as the user gave it.
    public var path: String
    /// The image's manifest digest; nil for `dir:` sources.
    public var digest: Digest?
    /// The image id: the config blob's digest.
    public var imageID: Digest?
    /// Layer diff ids from the base up (empty for `dir:` sources).
    public var layers: [Digest]
    /// Tags the image carries in its archive or layout (`alpine:3.20`).
    public var tags: [String]
    public var architecture: String?
    public var os: String?

    public init(type: String, path: String, digest: Digest? = nil, imageID: Digest? = nil, layers: [Digest] = [],
                tags: [String] = [], architecture: String? = nil, os: String? = nil) {
        self.type = type
        self.path = path
        self.digest = digest
        self.imageID = imageID
        self.layers = layers
        self.tags = tags
        self.architecture = architecture
        self.os = os
    }
}

/// One entry of an image config's `history`: the instruction that made a layer, or changed only the config.
public struct ImageHistoryEntry: Sendable, Equatable, Codable {
    /// `created_by` as recorded (`/bin/sh -c #(nop)  CMD ["bash"]`, `RUN /bin/sh -c apt-get …`), nil when absent.
    public var createdBy: String?
    /// True when the step made no layer (`ENV`, `CMD`, `LABEL`…): it has no entry in `rootfs.diff_ids`.
    public var emptyLayer: Bool
    /// `created` as recorded (RFC 3339), nil when absent.
    public var created: String?
    public var comment: String?

    public init(createdBy: String?, emptyLayer: Bool, created: String? = nil, comment: String? = nil) {
        self.createdBy = createdBy
        self.emptyLayer = emptyLayer
        self.created = created
        self.comment = comment
    }
}

/// One layer: what made it, what it holds and what it changed.
///
/// Counts are of non-directory entries (files, links, devices); `deleted` counts entries of lower layers that this
/// layer's whiteouts and opaque directories removed, directories' contents included.
public struct LayerReport: Sendable, Equatable, Codable {
    public var index: Int
    public var digest: String
    public var diffID: String
    /// The history step that made the layer (`RUN /bin/sh -c …`), when the config records it.
    public var createdBy: String?
    /// Size of the layer blob as stored (compressed, if it is).
    public var blobSize: Int64
    /// Content bytes of the regular files in the layer's tar.
    public var contentBytes: Int64
    public var added: Int
    public var modified: Int
    public var deleted: Int
    /// Bytes of this layer that are still visible in the final tree.
    public var visibleBytes: Int64
    /// Files this layer re-wrote with unchanged content (only owner, group or mode changed, or nothing).
    public var metadataOnlyFiles: Int
    public var metadataOnlyBytes: Int64
    /// True when the base image brought this layer.
    public var inBase: Bool
    /// The largest files the layer wrote, largest first.
    public var largest: [SizedPath]

    public init(index: Int, digest: String, diffID: String, createdBy: String?, blobSize: Int64, contentBytes: Int64,
                added: Int, modified: Int, deleted: Int, visibleBytes: Int64, metadataOnlyFiles: Int,
                metadataOnlyBytes: Int64, inBase: Bool, largest: [SizedPath]) {
        self.index = index
        self.digest = digest
        self.diffID = diffID
        self.createdBy = createdBy
        self.blobSize = blobSize
        self.contentBytes = contentBytes
        self.added = added
        self.modified = modified
        self.deleted = deleted
        self.visibleBytes = visibleBytes
        self.metadataOnlyFiles = metadataOnlyFiles
        self.metadataOnlyBytes = metadataOnlyBytes
        self.inBase = inBase
        self.largest = largest
    }
}

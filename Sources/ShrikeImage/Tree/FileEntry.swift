import ShrikeCore

/// What kind of file system object an entry is.
public enum FileKind: String, Sendable, Codable {
    case regular, directory, symlink, characterDevice, blockDevice, fifo, socket
}

/// One path in a squashed file tree: its metadata and the layer that last wrote it.
public struct FileEntry: Sendable, Equatable {
    /// Absolute, normalised path inside the image root (`/etc/os-release`; the root itself is `/`).
    public var path: String
    public var kind: FileKind
    /// Size in bytes of a regular file's content; 0 for other kinds.
    public var size: Int64
    /// Permission bits and set-id/sticky bits (`0o4755`), without the file-type bits.
    public var mode: UInt32
    public var uid: Int
    public var gid: Int
    /// A symlink's target exactly as stored (may be relative or absolute); nil for other kinds.
    public var linkTarget: String?
    /// Index into the image's layers of the layer that last wrote this path; 0 for `dir:` sources.
    public var layer: Int
    /// For an entry that was a hard link in its layer, the path it was linked to (normalised).
    public var hardlinkTo: String?

    public init(path: String, kind: FileKind, size: Int64 = 0, mode: UInt32 = 0o644, uid: Int = 0, gid: Int = 0,
                linkTarget: String? = nil, layer: Int = 0, hardlinkTo: String? = nil) {
        self.path = path
        self.kind = kind
        self.size = size
        self.mode = mode
        self.uid = uid
        self.gid = gid
        self.linkTarget = linkTarget
        self.layer = layer
        self.hardlinkTo = hardlinkTo
    }
}

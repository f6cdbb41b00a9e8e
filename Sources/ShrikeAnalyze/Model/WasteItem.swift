/// How bytes of a layer ended up invisible in the final tree.
public enum WasteCause: String, Sendable, Codable, CaseIterable {
    /// A later copy at the same path replaced it (every copy but the last is waste).
    case overwritten
    /// A whiteout removed the file, or a directory above it (`rm -rf dir` counts every file below `dir`).
    case deleted
    /// An opaque directory (`.wh..wh..opq`) in a later layer hid what lower layers put below it.
    case hiddenByOpaqueDirectory
}

/// Bytes present in one layer but not visible in the final tree, grouped by the path the removal named.
///
/// `path` is what the whiteout, opaque marker or new copy named: for `rm -rf /opt/big` it is `/opt/big` and `files`
/// counts every file below it that `addedBy` had put there.
public struct WasteItem: Sendable, Equatable, Codable {
    public var path: String
    public var bytes: Int64
    public var files: Int
    public var cause: WasteCause
    /// The layer that added the bytes.
    public var addedBy: Int
    /// The layer that removed or replaced them (equal to `addedBy` when one layer wrote a path twice).
    public var removedBy: Int
    /// True when `removedBy` is a base layer: waste the base image brought, not the user's.
    public var inBase: Bool

    public init(path: String, bytes: Int64, files: Int, cause: WasteCause, addedBy: Int, removedBy: Int, inBase: Bool) {
        self.path = path
        self.bytes = bytes
        self.files = files
        self.cause = cause
        self.addedBy = addedBy
        self.removedBy = removedBy
        self.inBase = inBase
    }
}

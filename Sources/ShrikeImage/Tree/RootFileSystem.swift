/// A read-only view of a root file system — a squashed image or a directory — as catalogers see it.
///
/// Paths are absolute inside the root (`/var/lib/dpkg/status`). Symlinks are resolved inside the root: an absolute
/// link target means the image root, never the host's. Image sources only keep the content of files that the
/// `ContentSelector` given when the image was read asked for; `contents(of:)` returns nil for others.
public protocol RootFileSystem: Sendable {
    /// Every path in the root with its metadata and layer provenance.
    var tree: FileTree { get }
    /// The image's layers from the base up; empty for directory sources.
    var layers: [LayerInfo] { get }

    /// The bytes of the regular file at `path`, following symlinks inside the root.
    /// Returns nil when nothing is there or its content was not kept. Throws on unsafe paths (loops, escapes).
    func contents(of path: String) throws -> [UInt8]?

    /// A file on the local disk with the content of `path` (for readers that need a real file, such as SQLite).
    /// The file lives in the source's scratch directory or is the file itself for directory sources; read only.
    func localFile(for path: String) throws -> String?

    /// Each state `path` went through, oldest first: one per layer that wrote or deleted it.
    /// Directory sources return a single version at layer 0. Used to say which layer brought a package.
    func versions(of path: String) -> [FileVersion]

    /// The bytes of `path` as the given layer left it (a version listed by `versions(of:)`).
    func contents(of path: String, asOfLayer layer: Int) throws -> [UInt8]?
}

/// One state of a path: written by `layer`, or deleted by it.
public struct FileVersion: Sendable, Equatable {
    public var layer: Int
    public var deleted: Bool
    public init(layer: Int, deleted: Bool) {
        self.layer = layer
        self.deleted = deleted
    }
}

/// Decides which files' contents an image source keeps while it streams layers (everything else is metadata only).
/// Receives the normalised absolute path and the entry's size.
public typealias ContentSelector = @Sendable (_ path: String, _ size: Int64) -> Bool

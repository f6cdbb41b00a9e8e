import ShrikeCore

/// A squashed file tree: every path in a root file system with its metadata and the layer that last wrote it.
///
/// Immutable once built (`FileTreeBuilder` applies layers). Lookups are by normalised absolute path.
public struct FileTree: Sendable {
    /// Entries by normalised absolute path. The root `/` is always present.
    public let entries: [String: FileEntry]

    public init(entries: [String: FileEntry]) {
        var all = entries
        if all["/"] == nil { all["/"] = FileEntry(path: "/", kind: .directory, mode: 0o755) }
        self.entries = all
    }

    public var count: Int { entries.count }

    /// The entry stored at exactly `path` (symlinks not followed).
    public func entry(at path: String) -> FileEntry? { entries[path] }

    /// All entries sorted by path.
    public var sortedEntries: [FileEntry] { entries.values.sorted { $0.path < $1.path } }

    /// Total bytes of regular files.
    public var totalSize: Int64 { entries.values.reduce(0) { $0 + $1.size } }
}

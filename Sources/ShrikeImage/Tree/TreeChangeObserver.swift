import ShrikeCore

/// Why an entry left the squashed tree.
package enum TreeRemovalCause: String, Sendable, Codable {
    /// A whiteout (`.wh.NAME`) named the entry or a directory above it.
    case whiteout
    /// An opaque marker (`.wh..wh..opq`) in a directory above it hid everything lower layers put there.
    case opaqueDirectory
    /// A later entry at the same path replaced it (a new copy of a file, or a file where a directory was).
    case replaced
}

/// Receives every change a `FileTreeBuilder` makes while layers are applied, in order, so an analysis can account
/// for bytes layer by layer (what was written, what later layers removed or replaced, and why).
///
/// Called from the one thread that reads the image, between the builder's own edits; implementations need no locking
/// but must be `Sendable` to travel in `ImageReadOptions` (a class marks itself `@unchecked Sendable` and says why).
package protocol TreeChangeObserver: AnyObject, Sendable {
    /// Whether to hash the body of the regular file about to be written (the digest then goes to `wrote`).
    func wantsDigest(path: String, size: Int64, layer: Int) -> Bool
    /// `entry` was written by `entry.layer`. `previous` is what the path held before (nil when it was new);
    /// `digest` is the SHA-256 of a regular file's body when `wantsDigest` asked for it.
    func wrote(_ entry: FileEntry, previous: FileEntry?, digest: Digest?)
    /// `entry` left the tree because of `layer`; `root` is the path the whiteout, opaque marker or replacing entry
    /// named (`entry.path` itself, or a directory above it).
    func removed(_ entry: FileEntry, by layer: Int, cause: TreeRemovalCause, root: String)
}

import ShrikeCore

extension FileTree {
    /// How many symlinks one lookup may follow before it is called a loop (Linux allows 40).
    public static let maxSymlinkHops = 40

    /// Resolves `path` inside the root, following symlinks in every component (and in the last one when
    /// `followFinal`). Absolute link targets restart at the image root; `..` never climbs above it.
    /// Returns the resolved normalised path, which may not exist in the tree (a dangling link).
    /// Throws `unsafePath` when more than `maxSymlinkHops` links are followed (cycles and long chains).
    public func resolve(_ path: String, followFinal: Bool = true) throws -> String {
        try Self.resolve(path, followFinal: followFinal) { entries[$0] }
    }

    /// The resolution algorithm over any lookup, shared with `FileTreeBuilder` while layers are applied.
    static func resolve(_ path: String, followFinal: Bool, lookup: (String) -> FileEntry?) throws -> String {
        var hops = 0
        var pending = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        pending.reverse()
        var current: [String] = []
        while let part = pending.popLast() {
            if part == "." { continue }
            if part == ".." {
                if !current.isEmpty { current.removeLast() }
                continue
            }
            current.append(part)
            let candidate = "/" + current.joined(separator: "/")
            guard let entry = lookup(candidate), entry.kind == .symlink, let target = entry.linkTarget else { continue }
            if pending.isEmpty && !followFinal { break }
            hops += 1
            if hops > Self.maxSymlinkHops {
                throw ShrikeError(.unsafePath, "too many levels of symbolic links (a cycle or a chain longer than \(Self.maxSymlinkHops))", input: path)
            }
            current.removeLast()
            if target.hasPrefix("/") { current.removeAll() }
            for component in target.split(separator: "/", omittingEmptySubsequences: true).reversed() {
                pending.append(String(component))
            }
        }
        return "/" + current.joined(separator: "/")
    }

    /// The entry `path` leads to after following symlinks, or nil when nothing is there.
    public func resolvedEntry(_ path: String) throws -> FileEntry? {
        entries[try resolve(path)]
    }
}

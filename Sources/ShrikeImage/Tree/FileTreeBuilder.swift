import ShrikeCore

/// Builds a squashed `FileTree` by applying image layers in order, as the OCI image spec's changeset rules say.
///
/// - Whiteouts (`.wh.NAME`) delete NAME from lower layers; opaque markers (`.wh..wh..opq`) hide everything lower
///   layers put in their directory. Neither affects entries of the same layer.
/// - Every name is resolved inside the root: parent directories are looked up through symlinks already in the tree
///   (an absolute link target means the image root), names that climb above the root with `..` and names with NUL
///   bytes are refused, and symlink chains are bounded. Nothing here touches the host file system.
/// - Hard links copy their target's metadata (and kept content); a link to a path outside the image is refused.
/// - Contents of files the `ContentSelector` asks for are kept, once per layer that writes them, so catalogers can
///   read each version (`versions(of:)`).
public final class FileTreeBuilder {
    private(set) var entries: [String: FileEntry] = ["/": FileEntry(path: "/", kind: .directory, mode: 0o755)]
    private var children: [String: Set<String>] = [:]
    private(set) var history: [String: [(layer: Int, ref: ContentRef?)]] = [:]
    private let selector: ContentSelector?
    private let store: ContentStore?

    init(selector: ContentSelector?, store: ContentStore?) {
        self.selector = selector
        self.store = store
    }

    /// Applies one layer's tar stream. `what` names the layer in errors.
    func apply(layer: Int, from reader: TarReader, what: String) throws {
        while let entry = try reader.next() {
            try apply(entry, layer: layer, reader: reader, what: what)
        }
    }

    /// The finished tree.
    func build() -> FileTree { FileTree(entries: entries) }

    // MARK: - One entry

    private func apply(_ entry: TarEntry, layer: Int, reader: TarReader, what: String) throws {
        let shownName = entry.name.replacingNUL()
        if entry.name.utf8.contains(0) {
            throw ShrikeError(.unsafePath, "entry '\(shownName)' has a NUL byte in its name", input: what)
        }
        let (raw, escapes) = try PathNormalizer.normalizeReportingEscape(entry.name)
        if escapes {
            throw ShrikeError(.unsafePath, "entry '\(shownName)' climbs out of the image root with '..'", input: what)
        }
        if raw == "/" { return }
        let base = PathNormalizer.baseName(of: raw)
        let parent = try resolveDirectory(PathNormalizer.parent(of: raw), what: what)

        if base.hasPrefix(".wh.") {
            if base == ".wh..wh..opq" {
                hideLower(in: parent, layer: layer)
                return
            }
            let victim = String(base.dropFirst(4))
            guard !victim.isEmpty, victim != ".", victim != "..", !victim.hasPrefix(".wh.") else {
                throw ShrikeError(.unsafePath, "whiteout '\(shownName)' names no valid file", input: what)
            }
            let path = PathNormalizer.join(parent, victim)
            if let existing = entries[path], existing.layer < layer { remove(path, layer: layer) }
            return
        }

        let path = PathNormalizer.join(parent, base)
        try ensureDirectory(parent, layer: layer, what: what)

        switch entry.kind {
        case .directory:
            if entries[path]?.kind == .directory {
                entries[path] = FileEntry(path: path, kind: .directory, mode: entry.mode, uid: entry.uid, gid: entry.gid, layer: layer)
            } else {
                place(FileEntry(path: path, kind: .directory, mode: entry.mode, uid: entry.uid, gid: entry.gid, layer: layer), layer: layer)
            }
        case .regular, .other(UInt8(ascii: "S")):
            place(FileEntry(path: path, kind: .regular, size: entry.size, mode: entry.mode, uid: entry.uid, gid: entry.gid, layer: layer), layer: layer)
            if let selector, let store, selector(path, entry.size) {
                record(path, layer: layer, ref: try store.keep(from: reader, size: entry.size, what: what))
            } else {
                record(path, layer: layer, ref: nil)
            }
        case .symlink:
            place(FileEntry(path: path, kind: .symlink, mode: entry.mode, uid: entry.uid, gid: entry.gid,
                            linkTarget: entry.linkName, layer: layer), layer: layer)
        case .hardlink:
            let shownLink = entry.linkName.replacingNUL()
            if entry.linkName.utf8.contains(0) || PathNormalizer.escapesRoot(entry.linkName) {
                throw ShrikeError(.unsafePath, "hard link '\(shownName)' points outside the image root ('\(shownLink)')", input: what)
            }
            let targetPath = try FileTree.resolve(try PathNormalizer.normalize(entry.linkName), followFinal: false) { self.entries[$0] }
            guard let target = entries[targetPath], target.kind != .directory else {
                throw ShrikeError(.malformed, "hard link '\(shownName)' points to '\(shownLink)', which is not a file in the image", input: what)
            }
            var copy = target
            copy.path = path
            copy.layer = layer
            copy.hardlinkTo = targetPath
            place(copy, layer: layer)
            let kept = history[targetPath]?.last?.ref
            record(path, layer: layer, ref: selector?(path, copy.size) ?? false ? kept : nil)
        case .characterDevice, .blockDevice, .fifo:
            let kind: FileKind = entry.kind == .characterDevice ? .characterDevice : entry.kind == .blockDevice ? .blockDevice : .fifo
            place(FileEntry(path: path, kind: kind, mode: entry.mode, uid: entry.uid, gid: entry.gid, layer: layer), layer: layer)
        case .other:
            return
        }
    }

    // MARK: - Tree edits

    /// Puts `entry` at its path, replacing what was there (a directory replaced by a non-directory loses its subtree).
    private func place(_ entry: FileEntry, layer: Int) {
        if let existing = entries[entry.path], existing.kind == .directory, entry.kind != .directory {
            remove(entry.path, layer: layer)
        }
        if entry.kind != .regular { record(entry.path, layer: layer, ref: nil) }
        entries[entry.path] = entry
        children[PathNormalizer.parent(of: entry.path), default: []].insert(PathNormalizer.baseName(of: entry.path))
    }

    /// Notes a new version of a kept path: its content, or nil when it was deleted or replaced by something not kept.
    /// Paths never kept are not tracked; several writes in one layer leave only the last.
    private func record(_ path: String, layer: Int, ref: ContentRef?) {
        guard ref != nil || history[path] != nil else { return }
        if let last = history[path]?.last, last.layer == layer {
            history[path]?.removeLast()
        }
        history[path, default: []].append((layer, ref))
    }

    /// Deletes `path` and everything below it, recording deletions of kept files.
    private func remove(_ path: String, layer: Int) {
        guard entries.removeValue(forKey: path) != nil else { return }
        record(path, layer: layer, ref: nil)
        children[PathNormalizer.parent(of: path)]?.remove(PathNormalizer.baseName(of: path))
        if let names = children.removeValue(forKey: path) {
            for name in names { removeSubtree(PathNormalizer.join(path, name), layer: layer) }
        }
    }

    private func removeSubtree(_ path: String, layer: Int) {
        entries.removeValue(forKey: path)
        record(path, layer: layer, ref: nil)
        if let names = children.removeValue(forKey: path) {
            for name in names { removeSubtree(PathNormalizer.join(path, name), layer: layer) }
        }
    }

    /// Opaque directory: hides everything lower layers put below `directory`; this layer's entries stay.
    private func hideLower(in directory: String, layer: Int) {
        guard let names = children[directory] else { return }
        for name in names {
            let path = PathNormalizer.join(directory, name)
            guard let entry = entries[path] else { continue }
            if entry.layer < layer {
                remove(path, layer: layer)
            } else if entry.kind == .directory {
                hideLower(in: path, layer: layer)
            }
        }
    }

    /// Makes sure `directory` (already resolved) and its parents exist as directories, as tar extraction does.
    private func ensureDirectory(_ directory: String, layer: Int, what: String) throws {
        if let existing = entries[directory] {
            if existing.kind == .directory { return }
            remove(directory, layer: layer)
        }
        try ensureDirectory(PathNormalizer.parent(of: directory), layer: layer, what: what)
        entries[directory] = FileEntry(path: directory, kind: .directory, mode: 0o755, layer: layer)
        children[PathNormalizer.parent(of: directory), default: []].insert(PathNormalizer.baseName(of: directory))
    }

    /// Resolves a parent directory name through the symlinks already in the tree, staying inside the root.
    private func resolveDirectory(_ path: String, what: String) throws -> String {
        // Fast path: stored paths never run through symlinks, so an existing directory is already resolved.
        if let entry = entries[path], entry.kind == .directory { return path }
        do {
            return try FileTree.resolve(path, followFinal: true) { self.entries[$0] }
        } catch let error as ShrikeError {
            throw error.naming(what)
        }
    }
}

extension String {
    /// The string with NUL bytes shown as `\0`, for error messages.
    func replacingNUL() -> String {
        String(decoding: utf8.flatMap { $0 == 0 ? Array("\\0".utf8) : [$0] }, as: UTF8.self)
    }
}

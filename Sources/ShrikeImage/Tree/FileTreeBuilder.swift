import Crypto
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
/// - A `TreeChangeObserver`, when given, hears of every write and every removal (with its cause), in order.
public final class FileTreeBuilder {
    private(set) var entries: [String: FileEntry] = ["/": FileEntry(path: "/", kind: .directory, mode: 0o755)]
    private var children: [String: Set<String>] = [:]
    private(set) var history: [String: [(layer: Int, ref: ContentRef?)]] = [:]
    private let selector: ContentSelector?
    private let store: ContentStore?
    private let observer: (any TreeChangeObserver)?

    init(selector: ContentSelector?, store: ContentStore?, observer: (any TreeChangeObserver)? = nil) {
        self.selector = selector
        self.store = store
        self.observer = observer
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
        // Only error messages show the name: working it out for every entry cost ~10 % of reading a layer.
        var shownName: String { entry.name.replacingNUL() }
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
            if let existing = entries[path], existing.layer < layer { remove(path, layer: layer, cause: .whiteout, root: path) }
            return
        }

        let path = PathNormalizer.join(parent, base)
        try ensureDirectory(parent, layer: layer, what: what)
        let previous = entries[path]

        switch entry.kind {
        case .directory:
            let directory = FileEntry(path: path, kind: .directory, mode: entry.mode, uid: entry.uid, gid: entry.gid, layer: layer)
            if previous?.kind == .directory {
                entries[path] = directory
                observer?.wrote(directory, previous: previous, digest: nil)
            } else {
                place(directory, layer: layer, previous: previous)
            }
        case .regular, .other(UInt8(ascii: "S")):
            let file = FileEntry(path: path, kind: .regular, size: entry.size, mode: entry.mode, uid: entry.uid, gid: entry.gid, layer: layer)
            place(file, layer: layer, previous: previous, notify: false)
            let hash = observer?.wantsDigest(path: path, size: entry.size, layer: layer) ?? false
            var digest: ShrikeCore.Digest?
            if let selector, let store, selector(path, entry.size) {
                let ref = try store.keep(from: reader, size: entry.size, what: what)
                record(path, layer: layer, ref: ref)
                if hash { digest = try ref.sha256() }
            } else {
                record(path, layer: layer, ref: nil)
                if hash { digest = try Self.hashBody(of: reader) }
            }
            observer?.wrote(file, previous: previous, digest: digest)
        case .symlink:
            place(FileEntry(path: path, kind: .symlink, mode: entry.mode, uid: entry.uid, gid: entry.gid,
                            linkTarget: entry.linkName, layer: layer), layer: layer, previous: previous)
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
            place(copy, layer: layer, previous: previous)
            let kept = history[targetPath]?.last?.ref
            record(path, layer: layer, ref: selector?(path, copy.size) ?? false ? kept : nil)
        case .characterDevice, .blockDevice, .fifo:
            let kind: FileKind = entry.kind == .characterDevice ? .characterDevice : entry.kind == .blockDevice ? .blockDevice : .fifo
            place(FileEntry(path: path, kind: kind, mode: entry.mode, uid: entry.uid, gid: entry.gid, layer: layer), layer: layer,
                  previous: previous)
        case .other:
            return
        }
    }

    // MARK: - Tree edits

    /// Puts `entry` at its path, replacing `previous` (what was there; a directory replaced by a non-directory loses
    /// its subtree). `notify: false` leaves telling the observer to the caller, which still has a body to hash.
    private func place(_ entry: FileEntry, layer: Int, previous: FileEntry?, notify: Bool = true) {
        if let previous {
            if previous.kind == .directory, entry.kind != .directory {
                remove(entry.path, layer: layer, cause: .replaced, root: entry.path)
            } else if previous.kind != .directory {
                observer?.removed(previous, by: layer, cause: .replaced, root: entry.path)
            }
        }
        if entry.kind != .regular { record(entry.path, layer: layer, ref: nil) }
        entries[entry.path] = entry
        children[PathNormalizer.parent(of: entry.path), default: []].insert(PathNormalizer.baseName(of: entry.path))
        if notify { observer?.wrote(entry, previous: previous, digest: nil) }
    }

    /// Reads the rest of the current entry's body, returning its SHA-256.
    private static func hashBody(of reader: TarReader) throws -> ShrikeCore.Digest {
        var hasher = SHA256()
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        while true {
            let n = try reader.readBody(into: buffer)
            if n == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
        }
        return ShrikeCore.Digest(sha256Bytes: hasher.finalize())
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
    private func remove(_ path: String, layer: Int, cause: TreeRemovalCause, root: String) {
        guard let removed = entries.removeValue(forKey: path) else { return }
        observer?.removed(removed, by: layer, cause: cause, root: root)
        record(path, layer: layer, ref: nil)
        children[PathNormalizer.parent(of: path)]?.remove(PathNormalizer.baseName(of: path))
        if let names = children.removeValue(forKey: path) {
            for name in names { removeSubtree(PathNormalizer.join(path, name), layer: layer, cause: cause, root: root) }
        }
    }

    private func removeSubtree(_ path: String, layer: Int, cause: TreeRemovalCause, root: String) {
        if let removed = entries.removeValue(forKey: path) { observer?.removed(removed, by: layer, cause: cause, root: root) }
        record(path, layer: layer, ref: nil)
        if let names = children.removeValue(forKey: path) {
            for name in names { removeSubtree(PathNormalizer.join(path, name), layer: layer, cause: cause, root: root) }
        }
    }

    /// Opaque directory: hides everything lower layers put below `directory`; this layer's entries stay.
    private func hideLower(in directory: String, layer: Int) {
        guard let names = children[directory] else { return }
        for name in names {
            let path = PathNormalizer.join(directory, name)
            guard let entry = entries[path] else { continue }
            if entry.layer < layer {
                remove(path, layer: layer, cause: .opaqueDirectory, root: directory)
            } else if entry.kind == .directory {
                hideLower(in: path, layer: layer)
            }
        }
    }

    /// Makes sure `directory` (already resolved) and its parents exist as directories, as tar extraction does.
    private func ensureDirectory(_ directory: String, layer: Int, what: String) throws {
        if let existing = entries[directory] {
            if existing.kind == .directory { return }
            remove(directory, layer: layer, cause: .replaced, root: directory)
        }
        try ensureDirectory(PathNormalizer.parent(of: directory), layer: layer, what: what)
        let created = FileEntry(path: directory, kind: .directory, mode: 0o755, layer: layer)
        entries[directory] = created
        observer?.wrote(created, previous: nil, digest: nil)
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

#if canImport(Glibc)
import Glibc
#endif
import ShrikeCore

/// A root file system on local disk (`dir:` targets: an unpacked image, a mounted VM disk, or `/`).
///
/// The tree is built by walking with `lstat` (links are never followed while walking). Reads resolve symlinks
/// against the tree, so an absolute link inside `/mnt/vm` means `/mnt/vm/…`, never the host's file; the final
/// open refuses to follow a symlink. For the live host (`/`), the kernel's pseudo file systems are skipped.
public final class DirectoryFileSystem: RootFileSystem {
    public let root: String
    public let tree: FileTree
    public var layers: [LayerInfo] { [] }
    /// Largest file `contents(of:)` loads into memory.
    public static let maxFileSize: Int64 = 512 << 20

    static let hostPseudoFileSystems: Set<String> = ["/proc", "/sys", "/dev", "/run", "/tmp/.X11-unix"]

    public init(root: String, progress: any ProgressReporter = SilentProgress()) throws {
        var st = stat()
        guard stat(root, &st) == 0 else {
            throw ShrikeError(.badTarget, "does not exist", input: root)
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw ShrikeError(.badTarget, "is not a directory", input: root)
        }
        let normalizedRoot = root == "/" ? "" : (root.hasSuffix("/") ? String(root.dropLast()) : root)
        self.root = normalizedRoot
        var entries: [String: FileEntry] = [:]
        progress.begin("walking \(root)", total: nil)
        let skip = normalizedRoot.isEmpty ? Self.hostPseudoFileSystems : []
        try Self.walk(directory: normalizedRoot.isEmpty ? "/" : normalizedRoot, inside: "/", skip: skip, into: &entries, progress: progress)
        progress.end()
        tree = FileTree(entries: entries)
    }

    public func contents(of path: String) throws -> [UInt8]? {
        guard let real = try realPath(of: path) else { return nil }
        let file: ReadOnlyFile
        do { file = try ReadOnlyFile(path: real) } catch { return nil }
        guard file.size <= Self.maxFileSize else {
            throw ShrikeError(.limitExceeded, "is \(file.size) bytes, more than Shrike loads into memory", input: real)
        }
        return try file.read(at: 0, count: Int(file.size))
    }

    public func localFile(for path: String) throws -> String? { try realPath(of: path) }

    public func versions(of path: String) -> [FileVersion] {
        guard let resolved = try? tree.resolve(path), tree.entry(at: resolved)?.kind == .regular else { return [] }
        return [FileVersion(layer: 0, deleted: false)]
    }

    public func contents(of path: String, asOfLayer layer: Int) throws -> [UInt8]? { try contents(of: path) }

    /// The host path of a regular file inside the root, after resolving symlinks within the root.
    private func realPath(of path: String) throws -> String? {
        let resolved = try tree.resolve(path)
        guard let entry = tree.entry(at: resolved), entry.kind == .regular else { return nil }
        let real = root + resolved
        var st = stat()
        // The file must still be a regular file and not have turned into a link since the walk.
        guard lstat(real, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return real
    }

    private static func walk(directory: String, inside logical: String, skip: Set<String>,
                             into entries: inout [String: FileEntry], progress: any ProgressReporter) throws {
        guard let dir = opendir(directory) else { return }  // unreadable directories are skipped, as `find` does
        defer { closedir(dir) }
        var subdirectories: [(String, String)] = []
        let countBefore = entries.count
        while let item = readdir(dir) {
            let name = withUnsafeBytes(of: item.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let logicalPath = logical == "/" ? "/" + name : logical + "/" + name
            if skip.contains(logicalPath) { continue }
            let realPath = directory == "/" ? "/" + name : directory + "/" + name
            var st = stat()
            guard lstat(realPath, &st) == 0 else { continue }
            let kind: FileKind
            var linkTarget: String?
            switch st.st_mode & S_IFMT {
            case S_IFREG: kind = .regular
            case S_IFDIR: kind = .directory
            case S_IFLNK:
                kind = .symlink
                var buffer = [CChar](repeating: 0, count: 4096)
                let n = readlink(realPath, &buffer, buffer.count - 1)
                linkTarget = n >= 0 ? String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
            case S_IFCHR: kind = .characterDevice
            case S_IFBLK: kind = .blockDevice
            case S_IFIFO: kind = .fifo
            default: kind = .socket
            }
            entries[logicalPath] = FileEntry(path: logicalPath, kind: kind, size: kind == .regular ? Int64(st.st_size) : 0,
                                             mode: UInt32(st.st_mode) & 0o7777, uid: Int(st.st_uid), gid: Int(st.st_gid),
                                             linkTarget: linkTarget, layer: 0)
            if kind == .directory { subdirectories.append((realPath, logicalPath)) }
        }
        if countBefore / 4096 != entries.count / 4096 { progress.advance(to: Int64(entries.count)) }
        for (real, logicalPath) in subdirectories {
            try walk(directory: real, inside: logicalPath, skip: skip, into: &entries, progress: progress)
        }
    }
}

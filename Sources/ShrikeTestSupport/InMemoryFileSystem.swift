import Foundation
import ShrikeCore
import ShrikeImage

/// A root file system held in memory, for testing catalogers without images.
///
/// Every file and symlink gets its parent directories; all entries are at layer 0 and there are no layers.
/// `keepContent`, when given, plays the part of an image source's `ContentSelector`: files it rejects are in the
/// tree but `contents(of:)` returns nil for them, which is how a test proves a cataloger's `wants` is complete.
public struct InMemoryFileSystem: RootFileSystem {
    public let tree: FileTree
    public let layers: [LayerInfo] = []
    private let files: [String: [UInt8]]
    private let keepContent: ContentSelector?
    private let scratchDirectory: String?

    /// Paths may be given with or without a leading `/`; they are normalised.
    /// - Parameters:
    ///   - files: file contents by path.
    ///   - symlinks: link targets by link path, stored as given (relative or absolute).
    ///   - directories: extra (empty) directories.
    ///   - keepContent: which files' contents are kept; all when nil.
    ///   - scratchDirectory: where `localFile(for:)` writes copies; `localFile` returns nil when nil.
    public init(files: [String: [UInt8]] = [:], symlinks: [String: String] = [:], directories: [String] = [],
                keepContent: ContentSelector? = nil, scratchDirectory: String? = nil) throws {
        var entries: [String: FileEntry] = [:]
        func addParents(of path: String) {
            var parent = PathNormalizer.parent(of: path)
            while parent != "/", entries[parent] == nil {
                entries[parent] = FileEntry(path: parent, kind: .directory, mode: 0o755)
                parent = PathNormalizer.parent(of: parent)
            }
        }
        var normalizedFiles: [String: [UInt8]] = [:]
        for (rawPath, bytes) in files {
            let path = try PathNormalizer.normalize(rawPath)
            normalizedFiles[path] = bytes
            entries[path] = FileEntry(path: path, kind: .regular, size: Int64(bytes.count))
            addParents(of: path)
        }
        for (rawPath, target) in symlinks {
            let path = try PathNormalizer.normalize(rawPath)
            entries[path] = FileEntry(path: path, kind: .symlink, mode: 0o777, linkTarget: target)
            addParents(of: path)
        }
        for rawPath in directories {
            let path = try PathNormalizer.normalize(rawPath)
            entries[path] = FileEntry(path: path, kind: .directory, mode: 0o755)
            addParents(of: path)
        }
        self.tree = FileTree(entries: entries)
        self.files = normalizedFiles
        self.keepContent = keepContent
        self.scratchDirectory = scratchDirectory
    }

    /// The same, with file contents given as UTF-8 text.
    public init(textFiles: [String: String], symlinks: [String: String] = [:], directories: [String] = [],
                keepContent: ContentSelector? = nil, scratchDirectory: String? = nil) throws {
        try self.init(files: textFiles.mapValues { Array($0.utf8) }, symlinks: symlinks, directories: directories,
                      keepContent: keepContent, scratchDirectory: scratchDirectory)
    }

    public func contents(of path: String) throws -> [UInt8]? {
        let resolved = try tree.resolve(path)
        guard let entry = tree.entry(at: resolved), entry.kind == .regular, let bytes = files[resolved] else { return nil }
        if let keepContent, !keepContent(resolved, entry.size) { return nil }
        return bytes
    }

    public func localFile(for path: String) throws -> String? {
        guard let scratchDirectory, let bytes = try contents(of: path) else { return nil }
        let local = scratchDirectory + "/" + (try tree.resolve(path)).dropFirst().replacingOccurrences(of: "/", with: "_")
        do {
            try FileManager.default.createDirectory(atPath: scratchDirectory, withIntermediateDirectories: true)
            try Data(bytes).write(to: URL(fileURLWithPath: local))
        } catch {
            throw ShrikeError(.io, "cannot write a scratch copy: \(error.localizedDescription)", input: local)
        }
        return local
    }

    public func versions(of path: String) -> [FileVersion] {
        tree.entry(at: path) == nil ? [] : [FileVersion(layer: 0, deleted: false)]
    }

    public func contents(of path: String, asOfLayer layer: Int) throws -> [UInt8]? {
        layer == 0 ? try contents(of: path) : nil
    }
}

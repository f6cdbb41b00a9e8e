import ShrikeCore

/// A squashed image: its file tree, its layers and the kept contents of selected files, layer by layer.
public final class ImageFileSystem: RootFileSystem {
    public let tree: FileTree
    public let layers: [LayerInfo]
    public let source: SourceDescription
    /// The config's history, empty layers included, oldest first (empty when the config records none).
    public let history: [ImageHistoryEntry]
    private let kept: [String: [(layer: Int, ref: ContentRef?)]]
    /// Holds spilled files; removed when the file system is released.
    private let scratch: ScratchDirectory

    init(tree: FileTree, layers: [LayerInfo], source: SourceDescription,
         kept: [String: [(layer: Int, ref: ContentRef?)]], scratch: ScratchDirectory, history: [ImageHistoryEntry] = []) {
        self.tree = tree
        self.history = history
        self.layers = layers
        self.source = source
        self.kept = kept
        self.scratch = scratch
    }

    public func contents(of path: String) throws -> [UInt8]? {
        let resolved = try tree.resolve(path)
        guard let entry = tree.entry(at: resolved), entry.kind == .regular else { return nil }
        return try kept[resolved]?.last?.ref?.bytes()
    }

    public func localFile(for path: String) throws -> String? {
        let resolved = try tree.resolve(path)
        guard tree.entry(at: resolved)?.kind == .regular, let ref = kept[resolved]?.last?.ref else { return nil }
        switch ref {
        case .file(let path, _):
            return path
        case .memory(let bytes):
            let target = scratch.file(named: "mem-" + String(Digest.sha256(of: Array(resolved.utf8)).hex.prefix(24)))
            try LocalFiles.writeAtomically(bytes, to: target)
            return target
        }
    }

    public func versions(of path: String) -> [FileVersion] {
        guard let resolved = try? tree.resolve(path), let history = kept[resolved] else { return [] }
        return history.map { FileVersion(layer: $0.layer, deleted: $0.ref == nil) }
    }

    public func contents(of path: String, asOfLayer layer: Int) throws -> [UInt8]? {
        let resolved = try tree.resolve(path)
        guard let history = kept[resolved] else { return nil }
        return try history.last(where: { $0.layer <= layer })?.ref?.bytes()
    }
}

import ShrikeImage

/// Sizes of the final tree: bytes and file counts per directory (everything below it), the largest files and
/// directories, and a bounded nested view for the HTML tree and treemap.
struct SizeTree: Sendable {
    struct Totals: Sendable {
        var bytes: Int64 = 0
        var files = 0
    }

    private(set) var directories: [String: Totals] = [:]
    private(set) var children: [String: [String]] = [:]
    private(set) var fileSizes: [String: Int64] = [:]
    private(set) var largestFiles: LargestEntries
    private(set) var totalBytes: Int64 = 0
    private(set) var totalFiles = 0

    /// Sizes every regular file of `tree` (hard links count nothing of their own: their content is their target's).
    init(_ tree: FileTree, largest: Int) {
        largestFiles = LargestEntries(capacity: largest)
        var direct: [String: Totals] = [:]
        for entry in tree.entries.values where entry.path != "/" {
            children[PathNormalizer.parent(of: entry.path), default: []].append(entry.path)
            guard entry.kind == .regular else {
                if entry.kind == .directory, directories[entry.path] == nil { directories[entry.path] = Totals() }
                continue
            }
            let size = LayerLedger.contentBytes(of: entry)
            fileSizes[entry.path] = size
            totalBytes += size
            totalFiles += 1
            largestFiles.offer(SizedPath(path: entry.path, size: size, layer: entry.layer))
            direct[PathNormalizer.parent(of: entry.path), default: Totals()].bytes += size
            direct[PathNormalizer.parent(of: entry.path), default: Totals()].files += 1
        }
        if directories["/"] == nil { directories["/"] = Totals() }
        // Each directory's own files, then everything below it: deepest first, each adds its total to its parent.
        for (path, totals) in direct {
            directories[path, default: Totals()].bytes += totals.bytes
            directories[path, default: Totals()].files += totals.files
        }
        let deepestFirst = directories.keys.filter { $0 != "/" }
            .map { path in (path, path.utf8.reduce(0) { $1 == UInt8(ascii: "/") ? $0 + 1 : $0 }) }
            .sorted { $0.1 > $1.1 }
        for (path, _) in deepestFirst {
            guard let totals = directories[path], totals.files > 0 else { continue }
            let parent = PathNormalizer.parent(of: path)
            directories[parent, default: Totals()].bytes += totals.bytes
            directories[parent, default: Totals()].files += totals.files
        }
    }

    /// The `count` largest directories (the root excluded), largest first.
    func largestDirectories(_ count: Int) -> [SizedPath] {
        var top = LargestEntries(capacity: count)
        for (path, totals) in directories where path != "/" {
            top.offer(SizedPath(path: path, size: totals.bytes, files: totals.files))
        }
        return top.items
    }

    /// A nested view holding at most about `budget` nodes: the biggest directory not yet opened is opened first,
    /// showing its children largest first; children that do not fit are folded into one `… N more` node with their
    /// total. `complete` is false when anything was folded or left unopened.
    func view(budget: Int) -> (root: TreeNode, complete: Bool) {
        struct Flat {
            var path: String
            var node: TreeNode
            var children: [Int] = []
            var opened = false
        }
        var flat = [Flat(path: "/", node: leaf("/"))]
        var used = 1
        var complete = true
        while true {
            // The biggest directory not yet opened that has children.
            var best: Int?
            for index in flat.indices where !flat[index].opened && flat[index].node.directory
                && !(children[flat[index].path] ?? []).isEmpty {
                if best.map({ flat[index].node.size > flat[$0].node.size }) ?? true { best = index }
            }
            guard let open = best else { break }
            let kids = (children[flat[open].path] ?? []).map { ($0, fileSizes[$0] ?? directories[$0]?.bytes ?? 0) }
                .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            let room = budget - used
            guard room > 1 else {
                complete = false
                break
            }
            flat[open].opened = true
            let shown = kids.count <= room ? kids.count : room - 1
            for (child, _) in kids.prefix(shown) {
                flat[open].children.append(flat.count)
                flat.append(Flat(path: child, node: leaf(child)))
            }
            used += shown
            if shown < kids.count {
                complete = false
                let rest = kids.dropFirst(shown)
                let files = rest.reduce(0) { $0 + (fileSizes[$1.0] != nil ? 1 : directories[$1.0]?.files ?? 0) }
                flat[open].children.append(flat.count)
                flat.append(Flat(path: "", node: TreeNode(name: "… \(rest.count) more", size: rest.reduce(Int64(0)) { $0 + $1.1 },
                                                         files: files, directory: false), opened: true))
                used += 1
            }
        }
        func assemble(_ index: Int) -> TreeNode {
            var node = flat[index].node
            node.children = flat[index].children.map(assemble)
            return node
        }
        return (assemble(0), complete)
    }

    /// The node of `path` without children.
    private func leaf(_ path: String) -> TreeNode {
        let name = path == "/" ? "/" : PathNormalizer.baseName(of: path)
        if let size = fileSizes[path] { return TreeNode(name: name, size: size, files: 1, directory: false) }
        let totals = directories[path] ?? Totals()
        return TreeNode(name: name, size: totals.bytes, files: totals.files, directory: directories[path] != nil)
    }
}

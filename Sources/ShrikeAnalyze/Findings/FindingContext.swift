import ShrikeImage

/// What the finding rules look at: the final tree with its sizes, the waste, the layers and the installed packages.
struct FindingContext: Sendable {
    var tree: FileTree
    var sizes: SizeTree
    /// Every waste group, before the report's list is cut.
    var waste: [WasteItem]
    var layers: [LayerReport]
    var baseLayers: Int
    var baseBytes: Int64
    var distro: String?
    var distroVersion: String?
    var packages: [InstalledPackage]
    var limits: AnalysisLimits

    func isBase(_ layer: Int) -> Bool { layer < baseLayers }

    /// The history step of `layer`, shortened for a finding's text.
    func command(of layer: Int) -> String {
        guard layers.indices.contains(layer), let createdBy = layers[layer].createdBy else { return "layer \(layer)" }
        return "layer \(layer) (`\(ByteFormat.shortCommand(createdBy))`)"
    }
}

/// A package the image's package database lists as installed.
struct InstalledPackage: Sendable, Equatable {
    var name: String
    /// `Installed-Size` (dpkg, in bytes) when recorded.
    var installedBytes: Int64?
}

/// Files of the final tree that match one rule, grouped by the layer that wrote them.
struct PathMatches: Sendable {
    var bytes: Int64 = 0
    var files = 0
    var layers: Set<Int> = []
    var largest: LargestEntries

    init(capacity: Int) { largest = LargestEntries(capacity: capacity) }

    mutating func add(_ entry: FileEntry) {
        let size = LayerLedger.contentBytes(of: entry)
        bytes += size
        files += 1
        layers.insert(entry.layer)
        largest.offer(SizedPath(path: entry.path, size: size, layer: entry.layer))
    }
}

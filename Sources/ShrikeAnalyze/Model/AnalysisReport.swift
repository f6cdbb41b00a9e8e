import ShrikeImage

/// Everything `shrike analyze` found in one image or root file system: the JSON document of `-o json`.
public struct AnalysisReport: Sendable, Equatable, Codable {
    public var source: SourceDescription
    /// The distribution of the final tree (`debian`, `alpine`…), when its os-release says.
    public var distro: String?
    public var distroVersion: String?
    /// The config's history, empty layers included, each step matched to its layer.
    public var history: [HistoryStep]
    public var layers: [LayerReport]
    public var base: BaseImageReport
    /// Nil for `dir:` targets, which have no layers.
    public var summary: WasteSummary?
    /// Wasted bytes by path and pair of layers, largest first (at most `AnalysisLimits.wasteItems`).
    public var waste: [WasteItem]
    public var duplicates: [DuplicateGroup]
    public var findings: [Finding]
    /// The largest files and directories of the final tree.
    public var largestFiles: [SizedPath]
    public var largestDirectories: [SizedPath]
    /// The final tree's size view, bounded (see `TreeNode`).
    public var tree: TreeNode
    /// Regular files and bytes in the final tree.
    public var finalFiles: Int
    public var finalBytes: Int64
    /// What was cut to stay within the limits, in words (empty when nothing was).
    public var truncated: [String]

    public init(source: SourceDescription, distro: String?, distroVersion: String?, history: [HistoryStep],
                layers: [LayerReport], base: BaseImageReport, summary: WasteSummary?, waste: [WasteItem],
                duplicates: [DuplicateGroup], findings: [Finding], largestFiles: [SizedPath],
                largestDirectories: [SizedPath], tree: TreeNode, finalFiles: Int, finalBytes: Int64, truncated: [String]) {
        self.source = source
        self.distro = distro
        self.distroVersion = distroVersion
        self.history = history
        self.layers = layers
        self.base = base
        self.summary = summary
        self.waste = waste
        self.duplicates = duplicates
        self.findings = findings
        self.largestFiles = largestFiles
        self.largestDirectories = largestDirectories
        self.tree = tree
        self.finalFiles = finalFiles
        self.finalBytes = finalBytes
        self.truncated = truncated
    }
}

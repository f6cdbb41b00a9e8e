/// Bounds that keep `shrike analyze` within memory on hostile images (millions of files, millions of overwrites).
///
/// Totals stay exact past every bound; only the detail lists are cut, and `AnalysisReport.truncated` says what.
public struct AnalysisLimits: Sendable, Equatable {
    /// Distinct (path, adding layer, removing layer, cause) waste records kept; the rest are summed per layer pair.
    public var wasteRecords: Int
    /// Waste items listed in the report, largest first.
    public var wasteItems: Int
    /// Paths whose content digest is kept (for duplicates and metadata-only layers); later paths are not hashed.
    public var hashedPaths: Int
    /// Files smaller than this are not hashed (their duplicates cost less than the hashing).
    public var minimumHashedSize: Int64
    public var duplicateGroups: Int
    public var pathsPerDuplicateGroup: Int
    /// Largest entries listed per layer, and largest files and directories of the final tree.
    public var largestEntries: Int
    /// Nodes of the tree view and treemap.
    public var treeNodes: Int
    /// Paths listed per finding.
    public var pathsPerFinding: Int

    public init(wasteRecords: Int = 200_000, wasteItems: Int = 200, hashedPaths: Int = 2_000_000,
                minimumHashedSize: Int64 = 1, duplicateGroups: Int = 100, pathsPerDuplicateGroup: Int = 20,
                largestEntries: Int = 10, treeNodes: Int = 1_500, pathsPerFinding: Int = 10) {
        self.wasteRecords = wasteRecords
        self.wasteItems = wasteItems
        self.hashedPaths = hashedPaths
        self.minimumHashedSize = minimumHashedSize
        self.duplicateGroups = duplicateGroups
        self.pathsPerDuplicateGroup = pathsPerDuplicateGroup
        self.largestEntries = largestEntries
        self.treeNodes = treeNodes
        self.pathsPerFinding = pathsPerFinding
    }
}

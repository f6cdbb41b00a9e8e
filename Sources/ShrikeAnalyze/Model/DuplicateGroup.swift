/// Files in the final tree with the same content under different paths (hard links excluded: they share storage).
///
/// Not counted as waste: each copy is visible. `reclaimableBytes` is what keeping one copy would save.
public struct DuplicateGroup: Sendable, Equatable, Codable {
    /// SHA-256 of the content (`sha256:…`).
    public var digest: String
    public var size: Int64
    /// Every path with this content, sorted (at most `AnalysisLimits.pathsPerDuplicateGroup`; `count` says how many).
    public var paths: [String]
    public var count: Int
    /// The layers that wrote the copies, sorted.
    public var layers: [Int]
    public var reclaimableBytes: Int64

    public init(digest: String, size: Int64, paths: [String], count: Int, layers: [Int]) {
        self.digest = digest
        self.size = size
        self.paths = paths
        self.count = count
        self.layers = layers
        self.reclaimableBytes = size * Int64(max(count - 1, 0))
    }
}

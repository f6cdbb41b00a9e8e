/// Which layers came from the base image, and how Shrike decided.
public struct BaseImageReport: Sendable, Equatable, Codable {
    /// How the base was found.
    public enum Method: String, Sendable, Codable {
        /// `--base IMAGE`: the layers whose diff ids start the given image's list.
        case diffIDs = "diff-ids"
        /// The last `CMD`/`ENTRYPOINT` step of the history that more layers follow (where the base's Dockerfile ended).
        case historyBoundary = "history-boundary"
        /// No boundary, but the first layer adds a root file system (`ADD file:… in /`).
        case rootFileSystemLayer = "root-file-system-layer"
        /// Nothing says which layers are the base: every layer counts as the user's.
        case none
    }

    public var method: Method
    /// Number of layers from the bottom that belong to the base.
    public var layerCount: Int
    /// Content bytes of those layers.
    public var bytes: Int64
    /// The image given with `--base`, or the history step that marked the boundary.
    public var evidence: String?

    public init(method: Method, layerCount: Int, bytes: Int64, evidence: String?) {
        self.method = method
        self.layerCount = layerCount
        self.bytes = bytes
        self.evidence = evidence
    }
}

/// Something to change in how the image is built, with the bytes it would save.
public struct Finding: Sendable, Equatable, Codable {
    /// What kind of waste the finding is about.
    public enum Kind: String, Sendable, Codable {
        case packageCache = "package-cache"
        case buildToolchain = "build-toolchain"
        case removedInLaterLayer = "removed-in-later-layer"
        case overwrittenInLaterLayer = "overwritten-in-later-layer"
        case metadataOnlyLayer = "metadata-only-layer"
        case documentation
        case smallerBase = "smaller-base"
    }

    public var kind: Kind
    /// Stable id of the rule within its kind (`apt-lists`, `pip-cache`, `gcc`…).
    public var rule: String
    /// One line: what is wrong, with paths and layers.
    public var title: String
    /// What to change in the Dockerfile.
    public var fix: String
    /// Bytes the fix would remove from the image.
    public var bytes: Int64
    /// The layers concerned.
    public var layers: [Int]
    /// The paths concerned (a bounded sample, largest first).
    public var paths: [String]
    /// True when every layer concerned is a base layer (the fix is a different base, not a Dockerfile edit).
    public var inBase: Bool

    public init(kind: Kind, rule: String, title: String, fix: String, bytes: Int64, layers: [Int], paths: [String],
                inBase: Bool) {
        self.kind = kind
        self.rule = rule
        self.title = title
        self.fix = fix
        self.bytes = bytes
        self.layers = layers
        self.paths = paths
        self.inBase = inBase
    }
}

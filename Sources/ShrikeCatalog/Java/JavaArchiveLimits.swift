/// Bounds on what reading one Java archive may cost. Archives are hostile input: a zip bomb or a jar nested in
/// itself must end in a skipped archive, not in exhausted memory.
public struct JavaArchiveLimits: Sendable, Equatable {
    /// Levels of archives inside archives read below the file itself (a war's `WEB-INF/lib/*.jar` is level 1).
    public var maxDepth: Int
    /// Largest archive file opened.
    public var maxArchiveSize: Int64
    /// Largest nested archive loaded into memory (uncompressed).
    public var maxNestedSize: Int64
    /// Bytes decompressed out of one file, nested archives and metadata together.
    public var maxTotalUncompressed: Int64
    /// Entries looked at per archive.
    public var maxEntries: Int
    /// Largest `pom.properties` or `MANIFEST.MF` read.
    public var maxMetadataSize: Int64

    public init(maxDepth: Int = 4, maxArchiveSize: Int64 = 1 << 30, maxNestedSize: Int64 = 256 << 20,
                maxTotalUncompressed: Int64 = 1 << 30, maxEntries: Int = 250_000, maxMetadataSize: Int64 = 1 << 20) {
        self.maxDepth = maxDepth
        self.maxArchiveSize = maxArchiveSize
        self.maxNestedSize = maxNestedSize
        self.maxTotalUncompressed = maxTotalUncompressed
        self.maxEntries = maxEntries
        self.maxMetadataSize = maxMetadataSize
    }

    public static let `default` = JavaArchiveLimits()
}

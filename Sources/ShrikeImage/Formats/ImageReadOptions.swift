import ShrikeCore

/// How to read an image: which platform, which limits, which file contents to keep.
public struct ImageReadOptions: Sendable {
    /// The platform to pick from a multi-platform index.
    public var platform: Platform
    /// True when the user asked for `platform` (otherwise a single-platform image of another platform is accepted).
    public var platformIsExplicit: Bool
    /// The most bytes one layer may expand to (guards against decompression bombs).
    public var maxLayerSize: Int64
    /// The most bytes an index, manifest or config may have.
    public var maxMetadataSize: Int
    /// Which file contents to keep while streaming layers.
    public var selector: ContentSelector?
    /// Where to create the scratch directory (default: `$TMPDIR` or /tmp).
    public var scratchParent: String?
    public var progress: any ProgressReporter
    /// How to reach a registry for `registry:` targets.
    public var registry: RegistryOptions
    /// Hears every change to the squashed tree while layers are applied (`shrike analyze` counts bytes with it).
    package var changeObserver: (any TreeChangeObserver)?

    public init(platform: Platform = .linuxAMD64, platformIsExplicit: Bool = false,
                maxLayerSize: Int64 = 32 << 30, maxMetadataSize: Int = 4 << 20,
                selector: ContentSelector? = nil, scratchParent: String? = nil,
                progress: any ProgressReporter = SilentProgress(), registry: RegistryOptions = RegistryOptions()) {
        self.platform = platform
        self.platformIsExplicit = platformIsExplicit
        self.maxLayerSize = maxLayerSize
        self.maxMetadataSize = maxMetadataSize
        self.selector = selector
        self.scratchParent = scratchParent
        self.progress = progress
        self.registry = registry
    }
}

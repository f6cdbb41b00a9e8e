import ShrikeCore
import ShrikeImage

/// Everything known about what is inside a target: the document `shrike sbom` writes.
public struct SBOM: Sendable, Equatable {
    public var source: SourceDescription
    /// The layers behind `source.layers`, with media types, sizes and the instruction that made each.
    public var layers: [LayerInfo]
    public var distro: Distro?
    /// Packages sorted by type, name, version.
    public var packages: [Package]

    public init(source: SourceDescription, layers: [LayerInfo] = [], distro: Distro?, packages: [Package]) {
        self.source = source
        self.layers = layers
        self.distro = distro
        self.packages = packages
    }
}

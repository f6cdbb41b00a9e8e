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
    /// Language packages whose records an OS package installed (each with `ownedBy` set): not reported again as
    /// packages and not matched, because the OS package and its distribution's advisories already cover them.
    public var ownedLanguagePackages: [Package]

    public init(source: SourceDescription, layers: [LayerInfo] = [], distro: Distro?, packages: [Package],
                ownedLanguagePackages: [Package] = []) {
        self.source = source
        self.layers = layers
        self.distro = distro
        self.packages = packages
        self.ownedLanguagePackages = ownedLanguagePackages
    }
}

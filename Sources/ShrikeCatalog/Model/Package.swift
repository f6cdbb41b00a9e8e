import ShrikeCore

/// One installed package, as a cataloger found it.
public struct Package: Sendable, Equatable, Hashable, Codable {
    public var name: String
    public var version: String
    public var type: PackageType
    public var purl: PackageURL
    /// The source package it was built from (dpkg `Source:`, apk `o:`, rpm SOURCERPM name) when known.
    public var sourceName: String?
    /// The source package's version when it differs from `version` (dpkg `Source: name (version)`).
    public var sourceVersion: String?
    /// Diff id of the layer that brought this package; nil for directory sources.
    public var layer: Digest?
    /// Files that record this package (its database), absolute inside the root.
    public var locations: [String]
    public var licenses: [String]
    public var architecture: String?
    /// rpm epoch, when set.
    public var epoch: Int?
    /// rpm release, when set (version holds `VERSION-RELEASE` as rpm prints it, with `EPOCH:` in front when set).
    public var release: String?
    public var vendor: String?
    /// rpm MODULARITYLABEL, when set.
    public var modularityLabel: String?
    /// Files the package manager says this package owns (not part of the JSON output; used to skip OS-owned files).
    public var ownedFiles: [String]
    /// For a language package whose record an OS package installed: that OS package's purl. Such packages are kept
    /// out of `SBOM.packages` (and so out of matching) and listed in `SBOM.ownedLanguagePackages` instead.
    public var ownedBy: String?

    public init(name: String, version: String, type: PackageType, purl: PackageURL, sourceName: String? = nil,
                sourceVersion: String? = nil, layer: Digest? = nil, locations: [String] = [], licenses: [String] = [],
                architecture: String? = nil, epoch: Int? = nil, release: String? = nil, vendor: String? = nil,
                modularityLabel: String? = nil, ownedFiles: [String] = [], ownedBy: String? = nil) {
        self.name = name
        self.version = version
        self.type = type
        self.purl = purl
        self.sourceName = sourceName
        self.sourceVersion = sourceVersion
        self.layer = layer
        self.locations = locations
        self.licenses = licenses
        self.architecture = architecture
        self.epoch = epoch
        self.release = release
        self.vendor = vendor
        self.modularityLabel = modularityLabel
        self.ownedFiles = ownedFiles
        self.ownedBy = ownedBy
    }

    enum CodingKeys: String, CodingKey {
        case name, version, type, purl, sourceName, sourceVersion, layer, locations, licenses, architecture, epoch,
             release, vendor, modularityLabel, ownedBy
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            name: try c.decode(String.self, forKey: .name),
            version: try c.decode(String.self, forKey: .version),
            type: try c.decode(PackageType.self, forKey: .type),
            purl: try c.decode(PackageURL.self, forKey: .purl),
            sourceName: try c.decodeIfPresent(String.self, forKey: .sourceName),
            sourceVersion: try c.decodeIfPresent(String.self, forKey: .sourceVersion),
            layer: try c.decodeIfPresent(Digest.self, forKey: .layer),
            locations: try c.decodeIfPresent([String].self, forKey: .locations) ?? [],
            licenses: try c.decodeIfPresent([String].self, forKey: .licenses) ?? [],
            architecture: try c.decodeIfPresent(String.self, forKey: .architecture),
            epoch: try c.decodeIfPresent(Int.self, forKey: .epoch),
            release: try c.decodeIfPresent(String.self, forKey: .release),
            vendor: try c.decodeIfPresent(String.self, forKey: .vendor),
            modularityLabel: try c.decodeIfPresent(String.self, forKey: .modularityLabel),
            ownedBy: try c.decodeIfPresent(String.self, forKey: .ownedBy))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encode(version, forKey: .version)
        try c.encode(type, forKey: .type)
        try c.encode(purl, forKey: .purl)
        try c.encodeIfPresent(sourceName, forKey: .sourceName)
        try c.encodeIfPresent(sourceVersion, forKey: .sourceVersion)
        try c.encodeIfPresent(layer, forKey: .layer)
        try c.encode(locations, forKey: .locations)
        try c.encode(licenses, forKey: .licenses)
        try c.encodeIfPresent(architecture, forKey: .architecture)
        try c.encodeIfPresent(epoch, forKey: .epoch)
        try c.encodeIfPresent(release, forKey: .release)
        try c.encodeIfPresent(vendor, forKey: .vendor)
        try c.encodeIfPresent(modularityLabel, forKey: .modularityLabel)
        try c.encodeIfPresent(ownedBy, forKey: .ownedBy)
    }
}

import ShrikeCore
import ShrikeImage

/// Finds installed Ruby gems from their specifications: `…/specifications/*.gemspec` (gems installed by
/// `gem install` or Bundler, and Debian's `/usr/share/rubygems-integration/*/specifications`) and
/// `…/specifications/default/*.gemspec` (default gems shipped with Ruby).
public struct GemspecCataloger: Cataloger {
    public static let maxFileSize: Int64 = 1 << 20

    public let name = "ruby"

    public init() {}

    public func wants(path: String, size: Int64) -> Bool {
        guard size <= Self.maxFileSize, path.hasSuffix(".gemspec") else { return false }
        var parent = PathNormalizer.parent(of: path)
        if PathNormalizer.baseName(of: parent) == "default" { parent = PathNormalizer.parent(of: parent) }
        return PathNormalizer.baseName(of: parent) == "specifications"
    }

    public func catalog(_ fs: any RootFileSystem, distro: Distro?) throws -> [Package] {
        LanguageFiles.wanted(by: self, in: fs).compactMap { path in
            guard let bytes = LanguageFiles.read(path, in: fs) else { return nil }
            let fields = GemspecParser.parse(bytes)
            guard let name = fields.name, let version = fields.version, !name.isEmpty, !version.isEmpty else { return nil }
            return Package(name: name, version: version, type: .ruby, purl: Self.purl(name: name, version: version),
                           locations: [path], licenses: fields.licenses)
        }
    }

    public static func purl(name: String, version: String) -> PackageURL {
        PackageURL(type: PackageType.ruby.purlType, name: name, version: version)
    }
}

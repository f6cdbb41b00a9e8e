import ShrikeCore
import ShrikeImage

/// Finds the PHP packages a project locks in `composer.lock` (`packages` and `packages-dev`). For `dir:` targets;
/// lockfiles under `vendor/` belong to installed packages and are skipped.
public struct ComposerLockCataloger: Cataloger {
    public static let maxFileSize: Int64 = 64 << 20

    public let name = "php-lock"

    public init() {}

    public func wants(path: String, size: Int64) -> Bool {
        size <= Self.maxFileSize && PathNormalizer.baseName(of: path) == "composer.lock" && !path.contains("/vendor/")
    }

    public func catalog(_ fs: any RootFileSystem, distro: Distro?) throws -> [Package] {
        var packages: [Package] = []
        for path in LanguageFiles.wanted(by: self, in: fs) {
            guard let bytes = LanguageFiles.read(path, in: fs), let document = LanguageFiles.jsonObject(bytes) else { continue }
            for section in ["packages", "packages-dev"] {
                packages += ComposerPackageReader.packages(document[section] as? [Any] ?? [], location: path)
            }
        }
        return packages
    }
}

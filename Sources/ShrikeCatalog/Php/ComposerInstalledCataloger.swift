import Foundation
import ShrikeCore
import ShrikeImage

/// Finds the PHP packages Composer installed, from `vendor/composer/installed.json`: a bare array (Composer 1) or
/// `{"packages": [...]}` (Composer 2).
public struct ComposerInstalledCataloger: Cataloger {
    public static let maxFileSize: Int64 = 64 << 20

    public let name = "php"

    public init() {}

    public func wants(path: String, size: Int64) -> Bool {
        size <= Self.maxFileSize && path.hasSuffix("/vendor/composer/installed.json")
    }

    public func catalog(_ fs: any RootFileSystem, distro: Distro?) throws -> [Package] {
        var packages: [Package] = []
        for path in LanguageFiles.wanted(by: self, in: fs) {
            guard let bytes = LanguageFiles.read(path, in: fs) else { continue }
            packages += ComposerPackageReader.packages(Self.packageObjects(bytes), location: path)
        }
        return packages
    }

    static func packageObjects(_ bytes: [UInt8]) -> [Any] {
        guard let document = try? JSONSerialization.jsonObject(with: Data(bytes)) else { return [] }
        if let list = document as? [Any] { return list }
        return (document as? [String: Any])?["packages"] as? [Any] ?? []
    }
}

import ShrikeCore
import ShrikeImage

/// Finds Alpine (and other apk-based: Wolfi, Chainguard, postmarketOS) packages from apk's installed database.
///
/// apk-tools 2 keeps the database at `/lib/apk/db/installed`; apk-tools 3 on merged-usr systems at
/// `/usr/lib/apk/db/installed`. The first one present is read.
public struct ApkCataloger: Cataloger {
    public static let databasePaths = ["/lib/apk/db/installed", "/usr/lib/apk/db/installed"]

    public let name = "apk"

    public init() {}

    public func wants(path: String, size: Int64) -> Bool {
        Self.databasePaths.contains(path)
    }

    public func catalog(_ fs: any RootFileSystem, distro: Distro?) throws -> [Package] {
        for path in Self.databasePaths {
            let bytes: [UInt8]?
            do {
                bytes = try fs.contents(of: path)
            } catch let error as ShrikeError {
                throw error.naming(path)
            }
            guard let bytes else { continue }
            return ApkInstalledParser.parse(bytes).map { package($0, database: path, distro: distro) }
        }
        return []
    }

    /// The purl syft writes for an apk package: namespace from the distribution (`alpine` when unknown), `arch`,
    /// `distro` (`alpine-3.20.3`) and `upstream` (the origin) when the origin differs from the name.
    public static func purl(for entry: ApkInstalledEntry, distro: Distro?) -> PackageURL {
        var qualifiers: [String: String] = [:]
        if let architecture = entry.architecture { qualifiers["arch"] = architecture }
        if let distro { qualifiers["distro"] = distro.purlQualifier }
        if let origin = entry.origin, origin != entry.name { qualifiers["upstream"] = origin }
        return PackageURL(type: PackageType.apk.purlType, namespace: distro?.id.lowercased() ?? "alpine",
                          name: entry.name, version: entry.version, qualifiers: qualifiers)
    }

    func package(_ entry: ApkInstalledEntry, database: String, distro: Distro?) -> Package {
        Package(name: entry.name, version: entry.version, type: .apk, purl: Self.purl(for: entry, distro: distro),
                sourceName: entry.origin ?? entry.name, locations: [database],
                licenses: DeclaredLicenseSplitter.split(entry.license), architecture: entry.architecture,
                ownedFiles: entry.files)
    }
}

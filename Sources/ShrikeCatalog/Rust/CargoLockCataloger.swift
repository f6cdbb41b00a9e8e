import ShrikeCore
import ShrikeImage

/// Finds the crates a Rust project locks in `Cargo.lock` (format versions 1–4: `[[package]]` tables). For `dir:`
/// targets.
///
/// Only packages whose `source` is crates.io (`registry+https://github.com/rust-lang/crates.io-index` or
/// `sparse+https://index.crates.io/`) are reported: workspace members have no source (they are the project), and git
/// or alternative-registry crates are not the crates.io releases advisories speak of.
public struct CargoLockCataloger: Cataloger {
    public static let maxFileSize: Int64 = 32 << 20
    static let cratesIOSources: Set<String> = [
        "registry+https://github.com/rust-lang/crates.io-index", "sparse+https://index.crates.io/",
    ]

    public let name = "rust-lock"

    public init() {}

    public func wants(path: String, size: Int64) -> Bool {
        size <= Self.maxFileSize && PathNormalizer.baseName(of: path) == "Cargo.lock"
    }

    public func catalog(_ fs: any RootFileSystem, distro: Distro?) throws -> [Package] {
        var packages: [Package] = []
        for path in LanguageFiles.wanted(by: self, in: fs) {
            guard let bytes = LanguageFiles.read(path, in: fs) else { continue }
            for entry in TOMLArrayTables.entries(named: "package", in: String(decoding: bytes, as: UTF8.self)) {
                guard let name = entry["name"], let version = entry["version"], let source = entry["source"],
                      Self.cratesIOSources.contains(source) else { continue }
                packages.append(Package(name: name, version: version, type: .rust,
                                        purl: PackageURL(type: PackageType.rust.purlType, name: name, version: version),
                                        locations: [path]))
            }
        }
        return packages
    }
}

import ShrikeCore
import ShrikeImage

/// Finds installed npm packages: `package.json` files directly inside a package directory under `node_modules`
/// (`…/node_modules/<name>/package.json`, `…/node_modules/@scope/<name>/package.json`), plus the global directories
/// Debian's `node-*` packages install into (`/usr/share/nodejs`, `/usr/lib/nodejs`, `/usr/lib/<triplet>/nodejs`).
///
/// A `package.json` anywhere else is a project, a workspace root or a file inside a package (`lib/package.json`
/// markers), not a dependency, and is ignored. The purl carries the scope as its namespace
/// (`pkg:npm/%40babel/core@7.12.3`); `name` is the full npm name (`@babel/core`).
public struct NpmInstalledCataloger: Cataloger {
    /// Old npm versions copied the README into installed package.json files; a few MB at most.
    public static let maxFileSize: Int64 = 8 << 20
    static let debianRoots: Set<String> = ["/usr/share/nodejs", "/usr/lib/nodejs"]

    public let name = "npm"

    public init() {}

    public func wants(path: String, size: Int64) -> Bool {
        guard size <= Self.maxFileSize, path.hasSuffix("/package.json") else { return false }
        return Self.isInstalledManifest(path)
    }

    /// True when `path`'s directory is a package directory inside a `node_modules` (or Debian's global) directory.
    static func isInstalledManifest(_ path: String) -> Bool {
        let packageDirectory = PathNormalizer.parent(of: path)
        guard !PathNormalizer.baseName(of: packageDirectory).hasPrefix(".") else { return false }
        var container = PathNormalizer.parent(of: packageDirectory)
        if PathNormalizer.baseName(of: container).hasPrefix("@") { container = PathNormalizer.parent(of: container) }
        return PathNormalizer.baseName(of: container) == "node_modules" || isDebianRoot(container)
    }

    static func isDebianRoot(_ directory: String) -> Bool {
        if debianRoots.contains(directory) { return true }
        // /usr/lib/x86_64-linux-gnu/nodejs holds the architecture-dependent modules.
        return directory.hasPrefix("/usr/lib/") && directory.hasSuffix("/nodejs")
            && directory.dropFirst("/usr/lib/".count).dropLast("/nodejs".count).allSatisfy { $0 != "/" }
    }

    public func catalog(_ fs: any RootFileSystem, distro: Distro?) throws -> [Package] {
        var packages: [Package] = []
        for path in LanguageFiles.wanted(by: self, in: fs) {
            guard let bytes = LanguageFiles.read(path, in: fs), let manifest = LanguageFiles.jsonObject(bytes),
                  let name = manifest["name"] as? String, let version = manifest["version"] as? String,
                  !name.isEmpty, !version.isEmpty else { continue }
            packages.append(Package(name: name, version: version, type: .npm, purl: Self.purl(name: name, version: version),
                                    locations: [path], licenses: Self.licenses(manifest)))
        }
        return packages
    }

    /// `pkg:npm/%40scope/name@version` for scoped names, `pkg:npm/name@version` otherwise.
    public static func purl(name: String, version: String) -> PackageURL {
        if name.hasPrefix("@"), let slash = name.firstIndex(of: "/") {
            return PackageURL(type: PackageType.npm.purlType, namespace: String(name[..<slash]),
                              name: String(name[name.index(after: slash)...]), version: version)
        }
        return PackageURL(type: PackageType.npm.purlType, name: name, version: version)
    }

    /// `license: "MIT"`, the old `license: {type: "MIT"}`, or the older `licenses: [{type: "MIT"}, …]`.
    static func licenses(_ manifest: [String: Any]) -> [String] {
        var found: [String] = []
        func add(_ value: Any?) {
            if let text = value as? String, !text.isEmpty {
                found.append(text)
            } else if let object = value as? [String: Any], let type = object["type"] as? String, !type.isEmpty {
                found.append(type)
            }
        }
        add(manifest["license"])
        if found.isEmpty, let list = manifest["licenses"] as? [Any] { list.forEach(add) }
        return found
    }
}

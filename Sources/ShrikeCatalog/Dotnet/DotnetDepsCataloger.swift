import ShrikeCore
import ShrikeImage

/// Finds the NuGet packages a .NET application was built with, from its `<app>.deps.json`: the `libraries` of
/// type `package` (`"Newtonsoft.Json/13.0.1": {"type": "package", …}`). Projects and reference assemblies are the
/// application itself, not packages.
public struct DotnetDepsCataloger: Cataloger {
    public static let maxFileSize: Int64 = 32 << 20

    public let name = "dotnet"

    public init() {}

    public func wants(path: String, size: Int64) -> Bool {
        size <= Self.maxFileSize && path.hasSuffix(".deps.json")
    }

    public func catalog(_ fs: any RootFileSystem, distro: Distro?) throws -> [Package] {
        var packages: [Package] = []
        for path in LanguageFiles.wanted(by: self, in: fs) {
            guard let bytes = LanguageFiles.read(path, in: fs), let document = LanguageFiles.jsonObject(bytes),
                  let libraries = document["libraries"] as? [String: Any] else { continue }
            for (key, value) in libraries.sorted(by: { $0.key < $1.key }) {
                guard (value as? [String: Any])?["type"] as? String == "package",
                      let slash = key.lastIndex(of: "/") else { continue }
                let name = String(key[..<slash])
                let version = String(key[key.index(after: slash)...])
                guard !name.isEmpty, !version.isEmpty else { continue }
                packages.append(Package(name: name, version: version, type: .dotnet,
                                        purl: PackageURL(type: PackageType.dotnet.purlType, name: name, version: version),
                                        locations: [path]))
            }
        }
        return packages
    }
}

import ShrikeCore

/// Turns Composer package objects (as `installed.json` and `composer.lock` write them) into packages.
enum ComposerPackageReader {
    /// `{"name": "vendor/name", "version": "v5.4.3", "license": ["MIT"], …}`; objects without both fields are skipped.
    static func packages(_ objects: [Any], location: String) -> [Package] {
        objects.compactMap { value in
            guard let object = value as? [String: Any], let name = object["name"] as? String,
                  let version = object["version"] as? String, !name.isEmpty, !version.isEmpty else { return nil }
            let licenses = (object["license"] as? [Any])?.compactMap { $0 as? String } ?? ((object["license"] as? String).map { [$0] } ?? [])
            return Package(name: name, version: version, type: .php, purl: purl(name: name, version: version),
                           locations: [location], licenses: licenses)
        }
    }

    /// `pkg:composer/vendor/name@version`.
    static func purl(name: String, version: String) -> PackageURL {
        guard let slash = name.firstIndex(of: "/") else {
            return PackageURL(type: PackageType.php.purlType, name: name, version: version)
        }
        return PackageURL(type: PackageType.php.purlType, namespace: String(name[..<slash]),
                          name: String(name[name.index(after: slash)...]), version: version)
    }
}

import Foundation
import ShrikeCore
import ShrikeImage

/// Finds the npm dependencies a project locks: `package-lock.json` / `npm-shrinkwrap.json` (lockfile versions 1–3),
/// `yarn.lock` (classic v1 and berry), and `pnpm-lock.yaml` (v5, v6, v9). For `dir:` targets.
///
/// Lockfiles inside `node_modules` belong to installed packages (npm ignores them) and are skipped. Workspace
/// members, links, patches and non-registry sources (git, file, tarball URLs) are not registry packages and are
/// skipped. Each distinct name and version is one package per lockfile.
public struct NpmLockfileCataloger: Cataloger {
    public static let maxFileSize: Int64 = 64 << 20
    static let fileNames: Set<String> = ["package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml"]

    public let name = "npm-lock"

    public init() {}

    public func wants(path: String, size: Int64) -> Bool {
        size <= Self.maxFileSize && Self.fileNames.contains(PathNormalizer.baseName(of: path))
            && !path.contains("/node_modules/")
    }

    public func catalog(_ fs: any RootFileSystem, distro: Distro?) throws -> [Package] {
        var packages: [Package] = []
        for path in LanguageFiles.wanted(by: self, in: fs) {
            guard let bytes = LanguageFiles.read(path, in: fs) else { continue }
            let locked: [NpmLockedPackage]
            switch PathNormalizer.baseName(of: path) {
            case "yarn.lock": locked = YarnLockParser.packages(bytes)
            case "pnpm-lock.yaml": locked = PnpmLockParser.packages(bytes)
            default: locked = PackageLockParser.packages(bytes)
            }
            var seen = Set<NpmLockedPackage>()
            for package in locked where seen.insert(package).inserted {
                packages.append(Package(name: package.name, version: package.version, type: .npm,
                                        purl: NpmInstalledCataloger.purl(name: package.name, version: package.version),
                                        locations: [path]))
            }
        }
        return packages
    }
}

/// One name and version a lockfile pins.
struct NpmLockedPackage: Hashable, Sendable {
    var name: String
    var version: String
}

/// `package-lock.json`: v2/v3 list installed paths under `packages` (`node_modules/a/node_modules/b`); v1 nests
/// `dependencies` objects. v2 carries both; `packages` is preferred.
enum PackageLockParser {
    static func packages(_ bytes: [UInt8]) -> [NpmLockedPackage] {
        guard let document = LanguageFiles.jsonObject(bytes) else { return [] }
        if let packages = document["packages"] as? [String: Any] {
            return packages.sorted { $0.key < $1.key }.compactMap { key, value in
                guard let entry = value as? [String: Any], let range = key.range(of: "node_modules/", options: .backwards)
                else { return nil }  // "" is the project, other keys are workspace members
                if entry["link"] as? Bool == true { return nil }
                guard let version = entry["version"] as? String, LanguageFiles.isRegistryVersion(version) else { return nil }
                let name = entry["name"] as? String ?? String(key[range.upperBound...])
                return NpmLockedPackage(name: name, version: version)
            }
        }
        var found: [NpmLockedPackage] = []
        func walk(_ dependencies: [String: Any]) {
            for (name, value) in dependencies.sorted(by: { $0.key < $1.key }) {
                guard let entry = value as? [String: Any] else { continue }
                if var version = entry["version"] as? String {
                    var realName = name
                    // Aliases: "version": "npm:real-name@1.2.3".
                    if version.hasPrefix("npm:"), let at = version.dropFirst(5).lastIndex(of: "@") {
                        realName = String(version[version.index(version.startIndex, offsetBy: 4)..<at])
                        version = String(version[version.index(after: at)...])
                    }
                    if LanguageFiles.isRegistryVersion(version) { found.append(NpmLockedPackage(name: realName, version: version)) }
                }
                if let nested = entry["dependencies"] as? [String: Any] { walk(nested) }
            }
        }
        walk(document["dependencies"] as? [String: Any] ?? [:])
        return found
    }
}

/// `yarn.lock`. Classic: `"name@^1.0.0", name@~1.0.0:` then `  version "1.0.3"`. Berry (has `__metadata:`):
/// `"name@npm:^1.0.0":` then `  version: 1.0.3`, with `@workspace:`, `@patch:`, `@link:`, `@portal:`, `@file:`
/// descriptors for things that are not registry packages.
enum YarnLockParser {
    static let nonRegistryProtocols = ["@workspace:", "@patch:", "@link:", "@portal:", "@file:", "@exec:", "@git", "@https:", "@http:"]

    static func packages(_ bytes: [UInt8]) -> [NpmLockedPackage] {
        var found: [NpmLockedPackage] = []
        var currentName: String?
        for line in LanguageFiles.lines(bytes) {
            guard let first = line.first, first != "#" else { continue }
            if first != " " {
                currentName = nil
                guard line.hasSuffix(":"), !line.hasPrefix("__metadata") else { continue }
                let descriptor = line.dropLast().split(separator: ",").first.map { $0.trimmingSpaces().unquoted() } ?? ""
                if nonRegistryProtocols.contains(where: { descriptor.contains($0) }) { continue }
                currentName = packageName(fromDescriptor: descriptor)
                continue
            }
            guard let name = currentName else { continue }
            let trimmed = line.trimmingSpaces()
            guard trimmed.hasPrefix("version") else { continue }
            var value = trimmed.dropFirst("version".count)
            if value.first == ":" { value = value.dropFirst() }
            let version = value.trimmingSpaces().unquoted()
            if LanguageFiles.isRegistryVersion(version) { found.append(NpmLockedPackage(name: name, version: version)) }
            currentName = nil
        }
        return found
    }

    /// `@babel/core@^7.0.0` → `@babel/core`; `lodash@npm:^4.17.21` → `lodash`.
    static func packageName(fromDescriptor descriptor: String) -> String? {
        guard let at = descriptor.dropFirst().firstIndex(of: "@") else { return nil }
        let name = String(descriptor[..<at])
        return name.isEmpty ? nil : name
    }
}

/// `pnpm-lock.yaml`: the keys of the top-level `packages:` map. v5: `/name/1.2.3_peer@x`; v6: `/name@1.2.3(peer@x)`;
/// v9: `name@1.2.3` (peers only under `snapshots:`).
enum PnpmLockParser {
    static func packages(_ bytes: [UInt8]) -> [NpmLockedPackage] {
        var found: [NpmLockedPackage] = []
        var inPackages = false
        var majorVersion = 9
        for line in LanguageFiles.lines(bytes) {
            guard let first = line.first else { continue }
            if first != " " {
                inPackages = line.trimmingSpaces() == "packages:"
                if line.hasPrefix("lockfileVersion:") {
                    let value = line.dropFirst("lockfileVersion:".count).trimmingSpaces().unquoted()
                    majorVersion = Int(value.prefix { $0.isNumber }) ?? majorVersion
                }
                continue
            }
            guard inPackages, line.hasPrefix("  "), !line.hasPrefix("   "), line.hasSuffix(":") else { continue }
            let key = line.dropLast().trimmingSpaces().unquoted()
            if let package = package(fromKey: key, majorVersion: majorVersion) { found.append(package) }
        }
        return found
    }

    static func package(fromKey rawKey: String, majorVersion: Int) -> NpmLockedPackage? {
        var key = Substring(rawKey)
        if key.first == "/" { key = key.dropFirst() }
        let name: Substring
        var version: Substring
        if majorVersion < 6 {
            // v5: name/version, with the version possibly followed by _peer@x suffixes.
            let parts = key.split(separator: "/", omittingEmptySubsequences: false)
            let nameParts = parts.first?.hasPrefix("@") == true ? 2 : 1
            guard parts.count == nameParts + 1 else { return nil }
            name = key[..<parts[nameParts - 1].endIndex]
            version = parts[nameParts]
            if let underscore = version.firstIndex(of: "_") { version = version[..<underscore] }
        } else {
            if let paren = key.firstIndex(of: "(") { key = key[..<paren] }
            guard let at = key.dropFirst().lastIndex(of: "@") else { return nil }
            name = key[..<at]
            version = key[key.index(after: at)...]
        }
        guard !name.isEmpty, LanguageFiles.isRegistryVersion(String(version)) else { return nil }
        return NpmLockedPackage(name: String(name), version: String(version))
    }
}

import ShrikeCore
import ShrikeImage

/// Finds the gems a Bundler project locks in `Gemfile.lock`: the `specs:` of its `GEM` (rubygems.org or another
/// gem server) and `GIT` sections. `PATH` sections are local gems (usually the project itself) and are skipped.
/// Platform suffixes (`nokogiri (1.13.10-x86_64-linux)`) are dropped from the version. For `dir:` targets.
public struct GemfileLockCataloger: Cataloger {
    public static let maxFileSize: Int64 = 16 << 20

    public let name = "ruby-lock"

    public init() {}

    public func wants(path: String, size: Int64) -> Bool {
        size <= Self.maxFileSize && PathNormalizer.baseName(of: path) == "Gemfile.lock"
    }

    public func catalog(_ fs: any RootFileSystem, distro: Distro?) throws -> [Package] {
        var packages: [Package] = []
        for path in LanguageFiles.wanted(by: self, in: fs) {
            guard let bytes = LanguageFiles.read(path, in: fs) else { continue }
            for (name, version) in Self.lockedGems(bytes) {
                packages.append(Package(name: name, version: version, type: .ruby,
                                        purl: GemspecCataloger.purl(name: name, version: version), locations: [path]))
            }
        }
        return packages
    }

    static func lockedGems(_ bytes: [UInt8]) -> [(name: String, version: String)] {
        var gems: [(name: String, version: String)] = []
        var section = ""
        var inSpecs = false
        for line in LanguageFiles.lines(bytes) {
            guard let first = line.first else { continue }
            if first != " " {
                section = line.trimmingSpaces()
                inSpecs = false
                continue
            }
            if line.trimmingSpaces() == "specs:" {
                inSpecs = section == "GEM" || section == "GIT"
                continue
            }
            // Gems sit at four spaces; their dependencies at six.
            guard inSpecs, line.hasPrefix("    "), !line.hasPrefix("     ") else { continue }
            let text = line.trimmingSpaces()
            guard let open = text.firstIndex(of: "("), text.hasSuffix(")") else { continue }
            let name = text[..<open].trimmingSpaces()
            var version = text[text.index(after: open)..<text.index(before: text.endIndex)]
            if let dash = version.firstIndex(of: "-") { version = version[..<dash] }
            if !name.isEmpty, !version.isEmpty { gems.append((name, String(version))) }
        }
        return gems
    }
}

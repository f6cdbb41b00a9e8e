/// A package ecosystem, named as OSV names it; decides which version rules apply.
///
/// Parsing is case-insensitive and accepts the aliases `deb`, `apk` and `rpm` (DESIGN.md's CLI contract).
public enum Ecosystem: String, Sendable, Codable, CaseIterable, CustomStringConvertible {
    case debian = "Debian"
    case alpine = "Alpine"
    case redHat = "Red Hat"
    case pypi = "PyPI"
    case npm
    case go = "Go"
    case maven = "Maven"
    case cratesIO = "crates.io"
    case rubyGems = "RubyGems"
    case packagist = "Packagist"
    case nuget = "NuGet"
    case hex = "Hex"

    public var description: String { rawValue }

    /// Parses an OSV ecosystem name or alias. OSV suffixes such as `Debian:12` or `Alpine:v3.20` are accepted and
    /// the suffix ignored. Throws `usage` naming the known ecosystems.
    public init(parsing name: String) throws {
        let base = name.split(separator: ":", maxSplits: 1).first.map(String.init) ?? name
        let key = base.lowercased()
        let aliases: [String: Ecosystem] = [
            "deb": .debian, "dpkg": .debian, "ubuntu": .debian, "apk": .alpine, "rpm": .redHat, "redhat": .redHat,
            "red hat": .redHat, "rhel": .redHat, "golang": .go, "cargo": .cratesIO, "rust": .cratesIO,
            "gem": .rubyGems, "composer": .packagist, "pip": .pypi, "python": .pypi,
        ]
        if let match = Ecosystem.allCases.first(where: { $0.rawValue.lowercased() == key }) ?? aliases[key] {
            self = match
            return
        }
        throw ShrikeError(.usage,
                          "unknown ecosystem (known: \(Ecosystem.allCases.map(\.rawValue).joined(separator: ", ")), and deb, apk, rpm)",
                          input: name)
    }

    /// The ecosystem whose version rules apply to packages of `type`.
    public init(packageType: PackageType) {
        switch packageType {
        case .apk: self = .alpine
        case .deb: self = .debian
        case .rpm: self = .redHat
        case .python: self = .pypi
        case .npm: self = .npm
        case .go: self = .go
        case .java: self = .maven
        case .rust: self = .cratesIO
        case .ruby: self = .rubyGems
        case .php: self = .packagist
        case .dotnet: self = .nuget
        }
    }
}

/// The kind of package a cataloger found: the `type` field of Shrike's SBOM JSON.
public enum PackageType: String, Sendable, Codable, CaseIterable, Comparable {
    case apk, deb, rpm, python, npm, go, java, rust, ruby, php, dotnet

    /// The purl type the purl specification assigns to this kind of package.
    public var purlType: String {
        switch self {
        case .apk: "apk"
        case .deb: "deb"
        case .rpm: "rpm"
        case .python: "pypi"
        case .npm: "npm"
        case .go: "golang"
        case .java: "maven"
        case .rust: "cargo"
        case .ruby: "gem"
        case .php: "composer"
        case .dotnet: "nuget"
        }
    }

    /// True for packages managed by the operating system's package manager.
    public var isOSPackage: Bool { self == .apk || self == .deb || self == .rpm }

    public static func < (lhs: PackageType, rhs: PackageType) -> Bool { lhs.rawValue < rhs.rawValue }
}

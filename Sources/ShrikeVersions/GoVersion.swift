/// A Go module version, ordered as `golang.org/x/mod/semver` orders it.
///
/// SemVer with a `v` prefix, which OSV's Go data leaves out, so it is optional here. Pseudo-versions
/// (`v0.0.0-20191109021931-daa7c04131f5`, `v1.2.4-0.2019…`, `v1.2.3-pre.0.2019…`) are pre-releases whose labels
/// begin with a UTC timestamp, so plain SemVer precedence already orders them by commit time and below the release
/// they lead to. `+incompatible` is build metadata and does not affect ordering.
public struct GoVersion: ParsedVersion, CustomStringConvertible {
    let semantic: SemanticVersion

    /// The string as given.
    public var description: String { semantic.description }

    public init(parsing version: String) throws {
        semantic = try SemanticVersion(parsing: version, ecosystem: "Go", leading: ["v"])
    }

    /// True for a pseudo-version: a pre-release whose last two identifiers are a 14-digit timestamp and a
    /// 12-hex-digit commit (joined by `-`), as the go command writes them.
    public var isPseudoVersion: Bool {
        guard case let .alphanumeric(last)? = semantic.prerelease.last else { return false }
        let pieces = last.split(separator: "-")
        guard let commit = pieces.last, commit.count == 12, commit.allSatisfy(\.isHexDigit),
              pieces.count >= 2 else { return false }
        let time = pieces[pieces.count - 2]
        return time.count == 14 && time.allSatisfy(\.isASCII) && time.allSatisfy(\.isNumber)
    }

    public static func < (a: GoVersion, b: GoVersion) -> Bool { a.semantic < b.semantic }
    public static func == (a: GoVersion, b: GoVersion) -> Bool { a.semantic == b.semantic }
}

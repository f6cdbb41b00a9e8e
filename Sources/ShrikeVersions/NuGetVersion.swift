/// A NuGet package version, ordered as NuGet's `NuGetVersion` (SemVer 2 with a fourth number).
///
/// `MAJOR[.MINOR[.PATCH[.REVISION]]][-LABEL][+METADATA]`: missing numbers are 0 and leading zeros don't count
/// (`1.0.01 == 1.0.1.0`); the release label compares like SemVer's but case-insensitively; metadata is ignored.
public struct NuGetVersion: ParsedVersion, CustomStringConvertible {
    /// The string as given.
    public let description: String
    let release: [VersionNumeral]
    let prerelease: [PrereleaseIdentifier]

    public init(parsing version: String) throws {
        let example = "1.2.3, 1.2.3.4 or 1.0.0-beta.1"
        var text = try VersionOrdering.trimmed(version, ecosystem: "NuGet", example: example)
        description = version
        if let plus = text.firstIndex(of: "+") {
            guard PrereleaseIdentifier.parseList(text[text.index(after: plus)...]) != nil else {
                throw VersionOrdering.malformed(version, "NuGet", "bad metadata after '+'", example: example)
            }
            text = text[..<plus]
        }
        var label: [PrereleaseIdentifier] = []
        if let hyphen = text.firstIndex(of: "-") {
            guard let parsed = PrereleaseIdentifier.parseList(text[text.index(after: hyphen)...].lowercased()[...])
            else {
                throw VersionOrdering.malformed(version, "NuGet", "bad release label after '-'", example: example)
            }
            label = parsed
            text = text[..<hyphen]
        }
        prerelease = label
        let numbers = text.split(separator: ".", omittingEmptySubsequences: false).map { VersionNumeral($0) }
        guard (1...4).contains(numbers.count), numbers.allSatisfy({ $0 != nil }) else {
            throw VersionOrdering.malformed(version, "NuGet", "the version must be one to four dot-separated numbers",
                                            example: example)
        }
        let given = numbers.compactMap { $0 }
        release = given + Array(repeating: .zero, count: 4 - given.count)
    }

    /// True when the version has a release label.
    public var isPrerelease: Bool { !prerelease.isEmpty }

    func order(_ other: NuGetVersion) -> Int {
        let numbers = VersionOrdering.compareLexicographically(release, other.release) { VersionOrdering.compare($0, $1) }
        return numbers != 0 ? numbers : PrereleaseIdentifier.compare(prerelease, other.prerelease)
    }

    public static func < (a: NuGetVersion, b: NuGetVersion) -> Bool { a.order(b) < 0 }
    public static func == (a: NuGetVersion, b: NuGetVersion) -> Bool { a.order(b) == 0 }
}

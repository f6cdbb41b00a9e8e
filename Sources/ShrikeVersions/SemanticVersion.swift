/// A SemVer 2.0 version (npm, crates.io, Hex), ordered by SemVer precedence.
///
/// `MAJOR.MINOR.PATCH[-PRERELEASE][+BUILD]`: build metadata is ignored; pre-release identifiers compare numerically
/// when all digits, else by ASCII, numeric before alphanumeric. npm's loose leading `v`, `V` and `=` are accepted.
/// Advisory data also holds versions with fewer than three numbers (`1.2`, missing numbers count as 0) or more than
/// three (`1.2.3.4`); the extra numbers compare as further release numbers rather than being thrown away.
/// Numbers may have any length.
public struct SemanticVersion: ParsedVersion, CustomStringConvertible {
    /// The string as given.
    public let description: String
    /// The release numbers, at least three (missing ones are 0).
    let release: [VersionNumeral]
    let prerelease: [PrereleaseIdentifier]
    /// Build metadata without the `+`, or nil. Never affects ordering.
    public let build: String?

    public init(parsing version: String) throws {
        try self.init(parsing: version, ecosystem: "SemVer", leading: ["v", "V", "="])
    }

    /// Parses after dropping any run of the characters in `leading` (npm tolerates `=v1.2.3`; Go only `v`).
    init(parsing version: String, ecosystem: String, leading: Set<Character>) throws {
        let example = "1.2.3 or 1.0.0-rc.1"
        var text = try VersionOrdering.trimmed(version, ecosystem: ecosystem, example: example)
        text = text.drop { leading.contains($0) }
        description = version

        if let plus = text.firstIndex(of: "+") {
            let metadata = text[text.index(after: plus)...]
            guard PrereleaseIdentifier.parseList(metadata) != nil else {
                throw VersionOrdering.malformed(version, ecosystem, "bad build metadata after '+'", example: example)
            }
            build = String(metadata)
            text = text[..<plus]
        } else {
            build = nil
        }

        var label: [PrereleaseIdentifier] = []
        if let hyphen = text.firstIndex(of: "-") {
            guard let parsed = PrereleaseIdentifier.parseList(text[text.index(after: hyphen)...]) else {
                throw VersionOrdering.malformed(version, ecosystem, "bad pre-release label after '-'", example: example)
            }
            label = parsed
            text = text[..<hyphen]
        }
        prerelease = label

        let numbers = text.split(separator: ".", omittingEmptySubsequences: false).map { VersionNumeral($0) }
        guard !numbers.isEmpty, numbers.allSatisfy({ $0 != nil }) else {
            throw VersionOrdering.malformed(version, ecosystem, "the release must be dot-separated numbers",
                                            example: example)
        }
        let release = numbers.compactMap { $0 }
        self.release = release + Array(repeating: .zero, count: max(0, 3 - release.count))
    }

    /// True when the version has a pre-release label.
    public var isPrerelease: Bool { !prerelease.isEmpty }

    func order(_ other: SemanticVersion) -> Int {
        let length = max(release.count, other.release.count)
        for i in 0..<length {
            let a = i < release.count ? release[i] : .zero
            let b = i < other.release.count ? other.release[i] : .zero
            if a != b { return VersionOrdering.compare(a, b) }
        }
        return PrereleaseIdentifier.compare(prerelease, other.prerelease)
    }

    public static func < (a: SemanticVersion, b: SemanticVersion) -> Bool { a.order(b) < 0 }
    public static func == (a: SemanticVersion, b: SemanticVersion) -> Bool { a.order(b) == 0 }
}

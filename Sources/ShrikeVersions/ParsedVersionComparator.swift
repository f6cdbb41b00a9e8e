/// A version type that parses itself from a string and orders itself; `ParsedVersionComparator` turns one into a
/// `VersionComparator`.
protocol ParsedVersion: Comparable, Sendable {
    /// Throws `ShrikeError(.malformed, …)` naming `version` when it is not a version of this ecosystem.
    init(parsing version: String) throws
}

/// Compares two version strings by parsing both as `Version`.
struct ParsedVersionComparator<Version: ParsedVersion>: VersionComparator {
    func compare(_ a: String, _ b: String) throws -> Int {
        try VersionOrdering.compare(Version(parsing: a), Version(parsing: b))
    }

    func validate(_ version: String) throws {
        _ = try Version(parsing: version)
    }
}

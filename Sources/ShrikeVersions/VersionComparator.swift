import ShrikeCore

/// Orders version strings the way one ecosystem's own tools do.
///
/// Invalid versions throw `ShrikeError(.malformed, …)` naming the version: they are reported, never treated as 0.
public protocol VersionComparator: Sendable {
    /// Negative when `a < b`, zero when equal, positive when `a > b`.
    func compare(_ a: String, _ b: String) throws -> Int
    /// Throws when `version` is not a valid version of this ecosystem.
    func validate(_ version: String) throws
}

/// The comparators, one per ecosystem.
public enum Versions {
    /// The comparator for `ecosystem`.
    public static func comparator(for ecosystem: Ecosystem) -> any VersionComparator {
        VersionComparators.table[ecosystem] ?? UnsupportedComparator(ecosystem: ecosystem)
    }

    /// SemVer 2.0 ordering, whatever the ecosystem: what OSV `SEMVER` ranges are written in.
    public static let semanticVersioning: any VersionComparator = ParsedVersionComparator<SemanticVersion>()
}

/// Stands in for an ecosystem whose comparator is not written yet: every comparison fails loudly.
struct UnsupportedComparator: VersionComparator {
    let ecosystem: Ecosystem
    func compare(_ a: String, _ b: String) throws -> Int {
        throw ShrikeError(.unsupportedFormat, "comparing \(ecosystem) versions is not supported yet", input: a)
    }
    func validate(_ version: String) throws {
        throw ShrikeError(.unsupportedFormat, "comparing \(ecosystem) versions is not supported yet", input: version)
    }
}

import ShrikeCatalog
import ShrikeCore
import ShrikeVulnDB

/// Everything `shrike scan` reports: what was scanned, the matches still reported after filters and VEX, the
/// suppressed ones, and the warnings from matching.
public struct ScanReport: Sendable, Equatable {
    /// The scanned target's SBOM (its source and distro head the JSON; CycloneDX lists its packages).
    public var sbom: SBOM
    /// Matches reported: after `--severity`, `--ignore-unfixed` and VEX.
    public var matches: [Match]
    /// Matches a VEX statement suppressed (after the same filters).
    public var suppressed: [SuppressedMatch]
    /// Whether table and JSON output list `suppressed` (`--show-suppressed`); CycloneDX always carries them with an
    /// analysis state, which is how that format records VEX.
    public var showSuppressed: Bool
    public var warnings: [MatchWarning]
    /// Packages that were not checked (no distribution, unknown release, no advisory data for the release).
    public var unchecked: [UncheckedPackages]

    public init(sbom: SBOM, matches: [Match], suppressed: [SuppressedMatch] = [], showSuppressed: Bool = false,
                warnings: [MatchWarning] = [], unchecked: [UncheckedPackages] = []) {
        self.sbom = sbom
        self.matches = matches
        self.suppressed = suppressed
        self.showSuppressed = showSuppressed
        self.warnings = warnings
        self.unchecked = unchecked
    }

    /// How many packages were not checked.
    public var uncheckedCount: Int { unchecked.reduce(0) { $0 + $1.count } }

    /// Applies `filter`, then `vex` (when given), to a matcher's result.
    public init(sbom: SBOM, result: MatchResult, filter: MatchFilter = MatchFilter(), vex: VEXSuppressor? = nil,
                showSuppressed: Bool = false) {
        let kept = filter.apply(result.matches)
        let split = vex?.apply(to: kept) ?? (kept: kept, suppressed: [])
        self.init(sbom: sbom, matches: split.kept, suppressed: split.suppressed, showSuppressed: showSuppressed,
                  warnings: result.warnings, unchecked: result.unchecked)
    }

    /// Counts of reported matches per severity.
    public var summary: ScanSummary { ScanSummary(matches) }
}

/// Counts per severity: the `summary` object of `shrike scan -o json`.
public struct ScanSummary: Sendable, Equatable, Encodable {
    public var counts: [Severity: Int]

    public init(_ matches: [Match]) {
        var counts = Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0, 0) })
        for match in matches { counts[match.vulnerability.severity, default: 0] += 1 }
        self.counts = counts
    }

    public subscript(severity: Severity) -> Int { counts[severity] ?? 0 }

    /// Most severe first: `critical, high, medium, low, negligible, unknown`.
    public static let order: [Severity] = [.critical, .high, .medium, .low, .negligible, .unknown]

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for severity in Self.order { try c.encode(self[severity], forKey: Key(stringValue: severity.rawValue)) }
    }
}

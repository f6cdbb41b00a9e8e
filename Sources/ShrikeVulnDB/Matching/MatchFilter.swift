import Foundation
import ShrikeCore

/// The scan options that narrow what is reported: `--severity`, `--ignore-unfixed`, and the `--fail-on` gate.
public struct MatchFilter: Sendable, Equatable {
    /// Report only these severities; nil reports all.
    public var severities: Set<Severity>?
    /// Drop matches with no fix to install (`not-fixed` and `wont-fix`).
    public var ignoreUnfixed: Bool

    public init(severities: Set<Severity>? = nil, ignoreUnfixed: Bool = false) {
        self.severities = severities
        self.ignoreUnfixed = ignoreUnfixed
    }

    /// True when `match` is reported under these options.
    public func keeps(_ match: Match) -> Bool {
        if let severities, !severities.contains(match.vulnerability.severity) { return false }
        if ignoreUnfixed && match.vulnerability.status != .fixed { return false }
        return true
    }

    /// The matches reported, in their order.
    public func apply(_ matches: [Match]) -> [Match] { matches.filter(keeps) }

    /// Parses `--severity`'s comma-separated list (`high,critical`), case-insensitive. Throws `usage` naming the
    /// word it does not know.
    public static func severities(parsing list: String) throws -> Set<Severity> {
        var result = Set<Severity>()
        for word in list.split(separator: ",") {
            let trimmed = word.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            result.insert(try severity(parsing: trimmed))
        }
        guard !result.isEmpty else {
            throw ShrikeError(.usage, "--severity wants a comma-separated list such as high,critical", input: list)
        }
        return result
    }

    /// Parses one severity name (`critical`, `High`, …). Throws `usage` listing the known names.
    public static func severity(parsing word: String) throws -> Severity {
        guard let severity = Severity(rawValue: word.lowercased()) else {
            let known = Severity.allCases.reversed().map(\.rawValue).joined(separator: ", ")
            throw ShrikeError(.usage, "unknown severity (known: \(known))", input: word)
        }
        return severity
    }
}

/// `--fail-on`: a scan fails when any reported match is at or above a threshold.
public struct FailureThreshold: Sendable, Equatable {
    public var severity: Severity

    public init(_ severity: Severity) { self.severity = severity }

    /// The matches at or above the threshold (`unknown` ranks lowest, so it only fails `--fail-on unknown`).
    public func offending(_ matches: [Match]) -> [Match] {
        matches.filter { $0.vulnerability.severity >= severity }
    }

    public func fails(_ matches: [Match]) -> Bool { !offending(matches).isEmpty }
}

import ShrikeCore
import ShrikeVersions

/// Decides whether one version falls in an OSV range, the way OSV's specification evaluates events.
///
/// Events are sorted by version (`introduced: "0"` first: it means "from the beginning"); walking them in order,
/// `introduced ≤ v` turns affected on, `fixed ≤ v` turns it off, `last_affected < v` turns it off. `limit` events
/// bound the whole range: the version must be below one of them (`*` is no limit). Several introduced/fixed pairs
/// in one range describe several affected spans. Comparison errors (an invalid version on either side) are thrown,
/// never treated as "not affected".
public struct AffectedRangeEvaluator: Sendable {
    public let comparator: any VersionComparator
    /// Whose version spelling applies: Go's comparator wants `v1.2.3`, OSV SEMVER ranges write `1.2.3`.
    public let ecosystem: Ecosystem?

    public init(comparator: any VersionComparator, ecosystem: Ecosystem? = nil) {
        self.comparator = comparator
        self.ecosystem = ecosystem
    }

    /// The verdict for one version against one range.
    public struct Verdict: Sendable, Equatable {
        public var affected: Bool
        /// The `fixed` event that closes the span holding the version (as the advisory spells it), when affected
        /// and a fix exists.
        public var fixedVersion: String?
    }

    /// Evaluates `version` against `range`. GIT ranges cannot be evaluated against installed versions: not affected.
    public func evaluate(_ version: String, in range: AffectedRange) throws -> Verdict {
        guard range.kind != .git else { return Verdict(affected: false, fixedVersion: nil) }
        let kind = range.kind
        var limits: [String] = []
        var events: [AffectedRange.Event] = []
        for event in range.events {
            if case .limit(let limit) = event {
                if limit != "*" { limits.append(limit) }
            } else {
                events.append(event)
            }
        }
        if !limits.isEmpty {
            var belowAnyLimit = false
            for limit in limits where try compare(version, limit, kind) < 0 { belowAnyLimit = true }
            if !belowAnyLimit { return Verdict(affected: false, fixedVersion: nil) }
        }
        let ordered = try sorted(events, kind)
        var affected = false
        // Events above the version cannot change the verdict; the first `fixed` among them (before any
        // `last_affected`) is the fix for the span holding the version.
        var fixedVersion: String?
        var lookingForFix = true
        for event in ordered {
            switch event {
            case .introduced(let introduced):
                if try compare(version, introduced, kind) >= 0 { affected = true }
            case .fixed(let fixed):
                if try compare(version, fixed, kind) >= 0 {
                    affected = false
                } else if lookingForFix {
                    fixedVersion = fixed
                    lookingForFix = false
                }
            case .lastAffected(let last):
                if try compare(version, last, kind) > 0 {
                    affected = false
                } else {
                    lookingForFix = false
                }
            case .limit:
                break
            }
        }
        return Verdict(affected: affected, fixedVersion: affected ? fixedVersion : nil)
    }

    /// True when `version` equals one of `versions` (OSV's explicit list): the same string, or equal by the
    /// ecosystem's rules when both parse.
    public func isListed(_ version: String, in versions: [String]) -> Bool {
        if versions.contains(version) { return true }
        return versions.contains { (try? comparator.compare(version, $0)) == 0 }
    }

    /// `0` sorts before every version without asking the comparator (`introduced: "0"` = from the beginning).
    private func compare(_ a: String, _ b: String, _ kind: AffectedRange.Kind) throws -> Int {
        if a == b { return 0 }
        if b == "0" { return 1 }
        if a == "0" { return -1 }
        return try comparator.compare(spelled(a, kind), spelled(b, kind))
    }

    /// SEMVER ranges in OSV carry no `v` prefix (Go's included), while Go reports `v1.2.3`: Go's comparator gets both
    /// sides with the prefix, other SemVer comparisons get both without it.
    private func spelled(_ version: String, _ kind: AffectedRange.Kind) -> String {
        guard kind == .semver else { return version }
        let bare = version.hasPrefix("v") ? String(version.dropFirst()) : version
        return ecosystem == .go ? "v" + bare : bare
    }

    /// Insertion sort by event version: comparisons may throw, and ranges hold a handful of events.
    private func sorted(_ events: [AffectedRange.Event], _ kind: AffectedRange.Kind) throws -> [AffectedRange.Event] {
        var result: [AffectedRange.Event] = []
        for event in events {
            var index = result.count
            while index > 0, try precedes(event, result[index - 1], kind) { index -= 1 }
            result.insert(event, at: index)
        }
        return result
    }

    /// Orders by version; at equal versions `introduced` comes first, so `introduced X, fixed X` affects nothing.
    private func precedes(_ a: AffectedRange.Event, _ b: AffectedRange.Event, _ kind: AffectedRange.Kind) throws -> Bool {
        let order = try compare(Self.version(of: a), Self.version(of: b), kind)
        if order != 0 { return order < 0 }
        return Self.rank(a) < Self.rank(b)
    }

    private static func version(of event: AffectedRange.Event) -> String {
        switch event {
        case .introduced(let v), .fixed(let v), .lastAffected(let v), .limit(let v): v
        }
    }

    private static func rank(_ event: AffectedRange.Event) -> Int {
        switch event {
        case .introduced: 0
        case .lastAffected: 1
        case .fixed: 2
        case .limit: 3
        }
    }
}

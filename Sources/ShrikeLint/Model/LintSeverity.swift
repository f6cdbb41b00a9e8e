/// How much a finding matters, as hadolint spells it: `error > warning > info > style`, and `ignore` (never shown).
public enum LintSeverity: String, Sendable, Codable, CaseIterable, Comparable {
    case ignore, style, info, warning, error

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (lhs: LintSeverity, rhs: LintSeverity) -> Bool { lhs.rank < rhs.rank }

    /// Parses a level as `.hadolint.yaml` and `--fail-on` write it (`none` is hadolint's other name for `ignore`).
    public init?(name: String) {
        let lowered = name.lowercased()
        if lowered == "none" { self = .ignore; return }
        self.init(rawValue: lowered)
    }
}

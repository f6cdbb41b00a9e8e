/// How bad a vulnerability is, ordered `unknown < negligible < low < medium < high < critical`.
public enum Severity: String, Sendable, Codable, CaseIterable, Comparable {
    case unknown, negligible, low, medium, high, critical

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }
    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

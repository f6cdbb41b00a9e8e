/// An OpenVEX statement's status; raw values are OpenVEX's spellings.
public enum VEXStatus: String, Sendable, Codable, CaseIterable {
    case notAffected = "not_affected"
    case affected
    case fixed
    case underInvestigation = "under_investigation"

    /// `not_affected` and `fixed` suppress a match; `affected` and `under_investigation` keep it.
    public var suppresses: Bool { self == .notAffected || self == .fixed }
}

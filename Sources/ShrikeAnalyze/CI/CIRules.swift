/// The thresholds of `shrike analyze --ci`, with dive's names and meanings; nil disables a rule.
public struct CIRules: Sendable, Equatable {
    /// Fail when `efficiency` (visible / all layer bytes) is below this ratio (0…1).
    public var lowestEfficiency: Double?
    /// Fail when wasted bytes (base and user) exceed this.
    public var highestWastedBytes: Int64?
    /// Fail when the user's wasted bytes exceed this ratio (0…1) of all layer bytes.
    public var highestUserWastedPercent: Double?

    public init(lowestEfficiency: Double? = nil, highestWastedBytes: Int64? = nil, highestUserWastedPercent: Double? = nil) {
        self.lowestEfficiency = lowestEfficiency
        self.highestWastedBytes = highestWastedBytes
        self.highestUserWastedPercent = highestUserWastedPercent
    }

    /// dive's defaults (`lowestEfficiency: 0.9`, `highestWastedBytes: disabled`, `highestUserWastedPercent: 0.1`).
    public static let defaults = CIRules(lowestEfficiency: 0.9, highestWastedBytes: nil, highestUserWastedPercent: 0.1)
}

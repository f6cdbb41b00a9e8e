import ShrikeRules

/// One output with the least severe priority it takes: a route with `minimumPriority: .warning` gets Emergency …
/// Warning alerts and skips Notice, Informational and Debug.
public struct AlertRoute: Sendable {
    public var output: any AlertOutput
    /// The least severe priority delivered; nil takes every alert.
    public var minimumPriority: RulePriority?

    public init(output: any AlertOutput, minimumPriority: RulePriority? = nil) {
        self.output = output
        self.minimumPriority = minimumPriority
    }

    /// True when `priority` is at least as severe as the minimum (Falco's `priority` setting semantics).
    public func accepts(_ priority: RulePriority) -> Bool {
        guard let minimumPriority else { return true }
        return priority <= minimumPriority
    }
}

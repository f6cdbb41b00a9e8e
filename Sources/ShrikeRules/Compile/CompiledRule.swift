/// A rule ready to evaluate: its condition compiled into a predicate and its output into a format.
public struct CompiledRule: Sendable {
    public let name: String
    public let description: String
    public let priority: RulePriority
    public let tags: [String]
    public let source: String
    public let enabled: Bool
    /// False for disabled rules, rules of other sources and rules skipped by `skip-if-unknown-filter`.
    public let active: Bool
    /// Why an enabled rule is inactive (other source, unknown field), nil otherwise.
    public let inactiveReason: String?
    /// The event types the condition can match; nil when it has no restriction (evaluated for every event).
    public let eventTypes: Set<String>?
    /// Fields the rule (condition, output, exceptions) uses that Shrike leaves `<NA>`.
    public let unavailableFields: [String]
    public let captureBefore: Double?
    public let captureAfter: Double?
    public let location: SourceLocation
    /// The effective definition (after overrides and appends), for `rules list -o yaml`.
    public let definition: RuleDefinition
    let predicate: Predicate
    /// `predicate` with the `evt.type` checks the engine's bucketing already guarantees folded away.
    let enginePredicate: Predicate
    /// The node tree behind `enginePredicate` (the engine calls it directly).
    let engineRoot: PredicateNode
    let output: OutputFormat
    /// The rule's `response:` compiled for the kernel; nil when it only alerts (or is inactive).
    public internal(set) var response: CompiledResponse? = nil

    /// True when the rule matches the event the context holds (ignores `active`).
    public func matches(_ context: EvaluationContext) -> Bool { predicate(context) }
}

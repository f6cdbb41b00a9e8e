/// One broken rule, with a message that names the image's offending value.
public struct PolicyViolation: Sendable, Equatable, CustomStringConvertible {
    /// The policy key (`forbidRoot`, `maxSeverity`, …).
    public var rule: String
    public var message: String

    public init(rule: String, message: String) {
        self.rule = rule
        self.message = message
    }

    public var description: String { "\(rule): \(message)" }
}

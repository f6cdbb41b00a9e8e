/// One rule that failed on one instruction of one Dockerfile.
public struct LintFinding: Sendable, Equatable, Hashable {
    /// The path as given on the command line.
    public var file: String
    /// The 1-based line the instruction starts on (hadolint's convention).
    public var line: Int
    /// `DL3008`, `SHL1001`, …
    public var rule: String
    public var severity: LintSeverity
    public var message: String

    public init(file: String, line: Int, rule: String, severity: LintSeverity, message: String) {
        self.file = file
        self.line = line
        self.rule = rule
        self.severity = severity
        self.message = message
    }
}

/// How serious a rule says its alert is, in Falco's eight syslog-like levels (most severe first).
public enum RulePriority: Int, Sendable, Comparable, CaseIterable, Codable {
    case emergency = 0, alert, critical, error, warning, notice, informational, debug

    /// Parses Falco's spellings, case-insensitively: `EMERGENCY`, `Error`, `info`/`informational`, `warn`/`warning`, ….
    public init?(name: String) {
        switch name.lowercased() {
        case "emergency": self = .emergency
        case "alert": self = .alert
        case "critical": self = .critical
        case "error": self = .error
        case "warning", "warn": self = .warning
        case "notice": self = .notice
        case "informational", "info": self = .informational
        case "debug": self = .debug
        default: return nil
        }
    }

    /// The name as Falco prints it in alerts (`Error`, `Warning`, …).
    public var name: String {
        switch self {
        case .emergency: "Emergency"
        case .alert: "Alert"
        case .critical: "Critical"
        case .error: "Error"
        case .warning: "Warning"
        case .notice: "Notice"
        case .informational: "Informational"
        case .debug: "Debug"
        }
    }

    /// The syslog severity (RFC 5424): emergency 0 … debug 7.
    public var syslogSeverity: Int { rawValue }

    /// More severe sorts first: `.critical < .warning`.
    public static func < (lhs: RulePriority, rhs: RulePriority) -> Bool { lhs.rawValue < rhs.rawValue }
}

import ShrikeRules

/// Formats an alert as Falco's text line: `10:20:05.408091526: Warning Sensitive file opened … (user=root …)`.
///
/// The time is the event's time of day in UTC with nanoseconds (Falco prints `%evt.time`, in the host's zone),
/// then the priority as Falco names it, then the rule's filled-in output. Shrike appends ` (count=N)` when
/// de-duplication folded N alerts into this one and ` (incident=inc-…)` once the recorder filed it, so nothing is
/// silently merged. With `color`, only the priority word is coloured (ANSI SGR), by severity.
public struct AlertTextFormatter: Sendable {
    public var color: Bool

    public init(color: Bool = false) {
        self.color = color
    }

    /// One line, without a trailing newline.
    public func format(_ alert: Alert) -> String {
        var line = AlertClock.timeOfDay(alert.time) + ": "
        if color {
            line += Self.colorCode(alert.priority) + alert.priority.name + Self.reset
        } else {
            line += alert.priority.name
        }
        line += " " + alert.output + Self.suffix(alert)
        return line
    }

    /// Falco's `output` property: the uncoloured line without Shrike's count/incident suffix.
    public static func falcoOutput(_ alert: Alert) -> String {
        AlertClock.timeOfDay(alert.time) + ": " + alert.priority.name + " " + alert.output
    }

    /// `Priority Output (count=N)` — the line without its time, for outputs that carry their own timestamp (syslog).
    public static func message(_ alert: Alert) -> String {
        alert.priority.name + " " + alert.output + suffix(alert)
    }

    static func suffix(_ alert: Alert) -> String {
        var parts: [String] = []
        if alert.count > 1 { parts.append("count=\(alert.count)") }
        if let response = alert.response { parts.append("response=\(response)") }
        if let incident = alert.incident { parts.append("incident=\(incident)") }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: " ") + ")"
    }

    static let reset = "\u{1b}[0m"

    /// Bold red for the three most severe, red for errors, yellow warnings, cyan notices, green info, dim debug.
    static func colorCode(_ priority: RulePriority) -> String {
        switch priority {
        case .emergency, .alert, .critical: "\u{1b}[1;31m"
        case .error: "\u{1b}[31m"
        case .warning: "\u{1b}[33m"
        case .notice: "\u{1b}[36m"
        case .informational: "\u{1b}[32m"
        case .debug: "\u{1b}[2m"
        }
    }
}

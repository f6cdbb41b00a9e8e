import ShrikeRules

/// An alert as an incident keeps it: what the rule said and which process it came from.
public struct IncidentAlert: Codable, Sendable, Equatable {
    /// Nanoseconds since the Unix epoch.
    public var time: UInt64
    public var rule: String
    /// Falco's spelling (`Error`, `Warning`, …).
    public var priority: String
    public var source: String
    public var tags: [String]
    public var output: String
    public var outputFields: [String: String]
    public var hostname: String
    public var pid: Int32
    public var tid: Int32
    public var processName: String
    public var eventType: String
    public var count: Int

    public init(_ alert: Alert) {
        time = alert.time
        rule = alert.rule
        priority = alert.priority.name
        source = alert.source
        tags = alert.tags
        output = alert.output
        outputFields = alert.outputFields
        hostname = alert.hostname
        pid = alert.event.process.pid
        tid = alert.event.process.tid
        processName = alert.event.process.name
        eventType = alert.event.type
        count = alert.count
    }
}

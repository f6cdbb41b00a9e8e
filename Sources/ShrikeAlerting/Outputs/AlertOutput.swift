import ShrikeRules

/// One destination for alerts: the terminal, a file, syslog, a webhook.
///
/// `emit` is called on the sensor's thread for every alert that passes the output's priority filter, so it must
/// return quickly: outputs that can stall (a terminal nobody reads, a slow endpoint) hand the alert to their own
/// queue or thread and drop — and count — what does not fit rather than block. `flush` waits (briefly) until what
/// was emitted so far is written; `close` flushes, releases the resources, and makes later `emit`s no-ops.
public protocol AlertOutput: AnyObject, Sendable {
    /// A short name for statistics and messages: `stdout`, `file:/var/log/shrike.json`, `syslog:daemon`, `webhook:URL`.
    var name: String { get }
    func emit(_ alert: Alert)
    func flush()
    func close()
    /// Counters since the output was created.
    func statistics() -> AlertOutputStatistics
}

/// How an output writes an alert: Falco's text line or Falco's JSON object.
public enum AlertFormat: String, Sendable, Equatable, CaseIterable {
    case text, json
}

/// What one output did with the alerts it was given.
public struct AlertOutputStatistics: Sendable, Equatable {
    public var name: String
    /// Alerts handed to the output (after its priority filter).
    public var emitted: Int = 0
    /// Alerts written or delivered.
    public var sent: Int = 0
    /// Alerts given up on: a write error, an HTTP 4xx, retries exhausted.
    public var failed: Int = 0
    /// Alerts dropped because the output's queue was full (the oldest go first where the output queues).
    public var dropped: Int = 0
    /// Alerts not handed to the output because they were below its minimum priority.
    public var filtered: Int = 0
    /// Delivery attempts repeated after a transient failure (webhook).
    public var retries: Int = 0
    /// HTTP 4xx answers (webhook); each such alert is also counted in `failed`.
    public var rejected: Int = 0

    public init(name: String) {
        self.name = name
    }

    /// `webhook:https://… sent 10, failed 1 (4xx 1), dropped 0, retries 3`.
    public var summary: String {
        var text = "\(name): sent \(sent), failed \(failed)"
        if rejected > 0 { text += " (4xx \(rejected))" }
        text += ", dropped \(dropped)"
        if retries > 0 { text += ", retries \(retries)" }
        if filtered > 0 { text += ", below min priority \(filtered)" }
        return text
    }
}

import ShrikeSensor

/// One rule firing on one event: what every output writes and what the flight recorder opens an incident for.
///
/// Alerts of the same rule and process within the de-duplication window are folded into one with `count > 1`
/// rather than dropped.
public struct Alert: Sendable {
    /// When the triggering event happened, nanoseconds since the Unix epoch (UTC).
    public var time: UInt64
    public var rule: String
    public var priority: RulePriority
    /// The rule's `source` (`syscall` for everything the sensor sees).
    public var source: String
    public var tags: [String]
    /// The rule's `output` with every `%field` filled in.
    public var output: String
    /// The fields the output names, with their values (`<NA>` when Shrike could not fill one), as Falco's
    /// `output_fields`.
    public var outputFields: [String: String]
    public var hostname: String
    /// The event that made the rule fire (its process, container, file and network parts scope incidents).
    public var event: Event
    /// How many alerts of this rule and process this one stands for (de-duplication); 1 for a single one.
    public var count: Int
    /// Seconds of history before and after the alert the rule asks the recorder to keep (`capture_duration` and
    /// friends); nil means the recorder's defaults.
    public var captureBefore: Double?
    public var captureAfter: Double?
    /// The incident the flight recorder filed this alert under, once it has.
    public var incident: String?
    /// What the rule's `response:` did to the event: `killed`, `would-kill` (dry run), `denied`, `would-deny`, or
    /// `unenforced` (the kernel could not decide, e.g. a relative path); nil for rules without a response.
    public var response: String?

    public init(time: UInt64, rule: String, priority: RulePriority, source: String = "syscall", tags: [String] = [],
                output: String, outputFields: [String: String] = [:], hostname: String, event: Event, count: Int = 1,
                captureBefore: Double? = nil, captureAfter: Double? = nil, incident: String? = nil,
                response: String? = nil) {
        self.time = time
        self.rule = rule
        self.priority = priority
        self.source = source
        self.tags = tags
        self.output = output
        self.outputFields = outputFields
        self.hostname = hostname
        self.event = event
        self.count = count
        self.captureBefore = captureBefore
        self.captureAfter = captureAfter
        self.incident = incident
        self.response = response
    }
}

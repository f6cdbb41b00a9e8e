import Foundation
import ShrikeSensor

/// Everything `shrike watch` was asked for on its command line (settings files are read by the session).
public struct WatchOptions: Sendable {
    /// Print every event instead of evaluating rules.
    public var events = false
    public var json = false
    public var rules: [String] = []
    /// `--output` specs, unparsed.
    public var outputs: [String] = []
    public var configPath: String?
    public var minimumPriority: String?
    public var dedupWindow: Double?
    public var firstMatch = false
    public var noKernelFilter = false
    public var recordDirectory: String?
    public var before: Double?
    public var after: Double?
    public var recordMaxBytes: Int?
    public var noRecord = false
    public var noDNS = false
    /// Seconds; nil runs until SIGINT/SIGTERM.
    public var duration: Double?
    public var pids: [Int32] = []
    public var containers: [String] = []
    /// Comma-separated event types.
    public var types: String?
    public var verbose = false
    public var ringBufferMiB: Int?
    public var dryRunResponses = false
    public var wakeupBytes = 256 * 1024
    /// Set to ship alerts, incidents and heartbeats to `shrike server`.
    public var agent: AgentConfiguration?

    public init() {}

    /// The `--pid`, `--container` and `--type` filter.
    public var eventFilter: EventFilter {
        let typeSet = Set((types ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty })
        return EventFilter(pids: Set(pids), containers: Set(containers), types: typeSet)
    }
}

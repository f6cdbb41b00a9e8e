import Foundation

/// Counters of a running sensor.
public struct SensorStatistics: Sendable, Equatable {
    /// Records read from the ring buffer, per category.
    public var received: [EventCategory: UInt64] = [:]
    /// Records the kernel could not queue (ring buffer full), per category.
    public var dropped: [EventCategory: UInt64] = [:]
    /// Events that passed the filter and reached the sink.
    public var delivered: UInt64 = 0
    /// Read-only opens the in-kernel read filter kept out of the ring buffer (not losses: no loaded rule wants them).
    public var filtered: UInt64 = 0
    /// Records that could not be decoded (should stay 0).
    public var malformed: UInt64 = 0
    /// Processes in the table.
    public var processes: Int = 0
    /// Seconds since the sensor started.
    public var elapsed: Double = 0
    /// DNS answer packets read (nil when DNS answers are not captured) and the addresses named now.
    public var dnsAnswers: UInt64?
    public var hostNames: Int = 0

    public init() {}

    public var totalReceived: UInt64 { received.values.reduce(0, +) }
    public var totalDropped: UInt64 { dropped.values.reduce(0, +) }

    /// One line: totals, drops per category and the event rate.
    public var summary: String {
        let rate = elapsed > 0 ? Double(totalReceived) / elapsed : 0
        let drops = EventCategory.allCases.map { "\($0.rawValue)=\(dropped[$0] ?? 0)" }.joined(separator: " ")
        return "events=\(totalReceived) delivered=\(delivered) drops=\(totalDropped) (\(drops)) "
            + String(format: "rate=%.0f/s", rate) + " filtered=\(filtered) processes=\(processes)"
            + (dnsAnswers.map { " dns=\($0) hostnames=\(hostNames)" } ?? "") + " elapsed=" + String(format: "%.1fs", elapsed)
    }
}

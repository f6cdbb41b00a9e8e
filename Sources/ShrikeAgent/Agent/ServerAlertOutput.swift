import ShrikeAlerting
import ShrikeRules
import Synchronization

/// The alert output of `shrike watch --server`: spools each alert as the JSON `--json` prints (Falco's shape with
/// `incident` and `hostname`), through a `SpoolWriter`, so the sensor's thread never waits for the disk or the
/// network. As the dispatcher's durable output it tells the other outputs of an alert once it is in the spool.
public final class ServerAlertOutput: DurableAlertOutput, Sendable {
    public let name: String
    private let writer: SpoolWriter
    private let encoder = Mutex(AlertJSONEncoder())
    private let emitted = Atomic<Int>(0)

    public init(writer: SpoolWriter, url: String) {
        self.writer = writer
        name = "server:" + url
    }

    public func emit(_ alert: Alert) {
        emit(alert, then: nil)
    }

    public func emit(_ alert: Alert, then: @escaping @Sendable () -> Void) {
        emit(alert, then: Optional(then))
    }

    private func emit(_ alert: Alert, then: SpoolWriter.Completion?) {
        var body: [UInt8] = []
        body.reserveCapacity(1024)
        encoder.withLock { $0.encode(alert, into: &body) }
        emitted.add(1, ordering: .relaxed)
        writer.submit(.alert, body: body, then: then)
    }

    public func flush() {
        writer.flush()
    }

    /// The writer belongs to the agent session, which closes it after the last incident is spooled.
    public func close() {}

    public func statistics() -> AlertOutputStatistics {
        var statistics = AlertOutputStatistics(name: name)
        let writerStatistics = writer.statistics
        statistics.emitted = emitted.load(ordering: .relaxed)
        statistics.dropped = writerStatistics.dropped
        statistics.failed = writerStatistics.failed
        statistics.sent = max(0, statistics.emitted - statistics.dropped - statistics.failed)
        return statistics
    }
}

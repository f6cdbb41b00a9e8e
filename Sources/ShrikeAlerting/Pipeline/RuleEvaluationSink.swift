import Foundation
import ShrikeRules
import ShrikeSensor

/// The sensor sink of `shrike watch` with rules: records each event, evaluates the rules on it, files alerts with the
/// recorder and hands them to the outputs — all on the sensor thread, in event order.
///
/// Folded repeats (de-duplication) and the recorder's clock are driven from `flush()`, which the sensor calls after
/// every drained batch (at least every poll interval), so they advance even when no events arrive.
public final class RuleEvaluationSink: EventSink, @unchecked Sendable {
    // @unchecked: everything is touched on the sensor thread only, and `finish()` runs after the sensor stopped.
    public let engine: RuleEngine
    public let dispatcher: AlertDispatcher
    public let recorder: (any AlertRecorder)?
    /// Set when rules have responses: it sees every event's container and reports `response` events.
    public let responses: ResponseMonitor?
    private var lastHousekeeping: UInt64 = 0

    public init(engine: RuleEngine, dispatcher: AlertDispatcher, recorder: (any AlertRecorder)? = nil,
                responses: ResponseMonitor? = nil) {
        self.engine = engine
        self.dispatcher = dispatcher
        self.recorder = recorder
        self.responses = responses
    }

    public func receive(_ event: Event) {
        receive(event, processes: ProcessTable())
    }

    public func receive(_ event: Event, processes: ProcessTable) {
        withUnsafePointer(to: event) { eventPointer in
            withUnsafePointer(to: processes) { receive(eventAt: eventPointer, processesAt: $0) }
        }
    }

    public func receive(eventAt event: UnsafePointer<Event>, processesAt processes: UnsafePointer<ProcessTable>) {
        recorder?.record(event.pointee, processes: processes.pointee)
        if let responses {
            // A response is Shrike's own act, not something a rule should match: it goes to the timeline and stderr.
            if event.pointee.type == "response" {
                responses.report(event.pointee)
                return
            }
            responses.observe(event.pointee.process.container)
        }
        let alerts = engine.evaluate(at: event, processes: processes)
        for alert in alerts { emit(alert, processes: processes.pointee) }
    }

    public func flush() {
        let now = Self.now()
        // Folded repeats and incident windows are measured in hundreds of milliseconds; check them every 100 ms.
        guard now >= lastHousekeeping &+ 100_000_000 else { return }
        lastHousekeeping = now
        for alert in engine.flushSuppressed(now: now) { emit(alert, processes: nil) }
        recorder?.tick(now: now)
    }

    /// Emits the repeats still folded and closes the recorder's incidents; call once after the sensor stopped.
    public func finish() {
        for alert in engine.flushSuppressed(now: .max) { emit(alert, processes: nil) }
        recorder?.shutdown()
    }

    private func emit(_ alert: Alert, processes: ProcessTable?) {
        var filed = alert
        filed.incident = recorder?.alert(alert, processes: processes)
        dispatcher.emit(filed)
    }

    static func now() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
    }
}

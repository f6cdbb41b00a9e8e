import ShrikeRules
import ShrikeSensor

/// What the alerting pipeline needs from a flight recorder: every event, each alert (which answers with the
/// incident it was filed under), a clock tick, and a last call at exit. `ShrikeRecorder`'s recorder is one.
///
/// Called on the sensor thread only.
public protocol AlertRecorder: AnyObject {
    func record(_ event: Event, processes: ProcessTable)
    /// Files `alert` under an incident (a new one or an open one of the same scope) and returns its id. `processes`
    /// is the table as of the alert's event, or nil for alerts of folded repeats emitted later.
    func alert(_ alert: Alert, processes: ProcessTable?) -> String?
    /// Closes incidents whose after-window ended by `now` (nanoseconds since the Unix epoch).
    func tick(now: UInt64)
    /// Closes and saves every open incident.
    func shutdown()
}

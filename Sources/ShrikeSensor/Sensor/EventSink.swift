/// Receives the sensor's events on the sensor's own thread, in order.
///
/// `receive` must be quick (format and buffer, don't block on slow I/O): while it runs, the ring buffer fills.
/// `flush` is called after every drained batch and when the sensor stops.
public protocol EventSink: AnyObject {
    func receive(_ event: Event)
    /// Like `receive(_:)`, with the process table as it stands after the event, for sinks that look at a process's
    /// ancestors (the rules engine's `proc.aname[N]`). The table is only valid during the call.
    func receive(_ event: Event, processes: ProcessTable)
    /// Like `receive(_:processes:)`, with both handed over in place; what the sensor calls. Sinks on the hot path
    /// (the rules engine) implement it to avoid a copy of the event per call (a copy retains each of its strings);
    /// the default forwards to `receive(_:processes:)`. Both pointees are only valid during the call.
    func receive(eventAt event: UnsafePointer<Event>, processesAt processes: UnsafePointer<ProcessTable>)
    func flush()
}

extension EventSink {
    public func receive(_ event: Event, processes: ProcessTable) {
        receive(event)
    }

    public func receive(eventAt event: UnsafePointer<Event>, processesAt processes: UnsafePointer<ProcessTable>) {
        receive(event.pointee, processes: processes.pointee)
    }
}

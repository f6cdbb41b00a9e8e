/// Receives the sensor's events on the sensor's own thread, in order.
///
/// `receive` must be quick (format and buffer, don't block on slow I/O): while it runs, the ring buffer fills.
/// `flush` is called after every drained batch and when the sensor stops.
public protocol EventSink: AnyObject {
    func receive(_ event: Event)
    func flush()
}

#if canImport(Glibc)
import Glibc
#endif
import ShrikeSensor
import Synchronization

/// Buffers formatted events and writes them to stdout in large writes, once per drained batch.
public final class StandardOutputEventSink: EventSink, @unchecked Sendable {
    // @unchecked: receive/flush run on the sensor thread only; `closed` is atomic.
    private let json: Bool
    private var encoder = EventJSONEncoder()
    private let formatter = EventLineFormatter()
    private var buffer: [UInt8] = []
    private let closed = Atomic<Bool>(false)

    public init(json: Bool) {
        self.json = json
        buffer.reserveCapacity(1 << 20)
        // A closed pipe (`shrike watch | head`) must end the watch, not kill it.
        signal(SIGPIPE, SIG_IGN)
    }

    public var outputClosed: Bool { closed.load(ordering: .relaxed) }

    public func receive(_ event: Event) {
        if json {
            encoder.encode(event, into: &buffer)
        } else {
            buffer += formatter.format(event).utf8
        }
        buffer.append(0x0A)
        if buffer.count >= 1 << 20 { flush() }
    }

    public func flush() {
        guard !buffer.isEmpty else { return }
        let ok = StandardStream.write(bytes: buffer)
        if !ok { closed.store(true, ordering: .relaxed) }
        buffer.removeAll(keepingCapacity: true)
    }
}

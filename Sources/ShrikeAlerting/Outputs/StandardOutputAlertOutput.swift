#if canImport(Glibc)
import Glibc
#endif
import ShrikeRules
import Synchronization

/// Writes one line per alert to standard output, each with its own `write(2)`: nothing waits in a buffer, so
/// `kubectl logs -f` and pipes see an alert the moment it fires (Falco's users need `-U` for that).
///
/// Writes run on the output's own queue; when the reader stops reading, at most `capacity` alerts wait and newer ones
/// are dropped and counted. A closed pipe (`shrike watch | head`) ends the output: `outputClosed` turns true.
public final class StandardOutputAlertOutput: AlertOutput {
    public let name: String
    private let fd: Int32
    private let writer: SerialLineWriter
    private let state: Mutex<State>
    private let closedPipe = Atomic<Bool>(false)

    private struct State: Sendable {
        var encoder: AlertLineEncoder
        var statistics: AlertOutputStatistics
        var closed = false
    }

    /// - Parameters:
    ///   - format: text lines (Falco's default) or JSON objects.
    ///   - color: colour the priority in text lines; callers decide with `AlertColorPolicy` (TTY, `NO_COLOR`).
    ///   - fd: the descriptor to write (1; tests pass a pipe).
    ///   - capacity: alerts that may wait for a slow reader before new ones are dropped.
    public init(format: AlertFormat = .text, color: Bool = false, fd: Int32 = 1, capacity: Int = 10_000) {
        name = format == .json ? "stdout:json" : "stdout"
        self.fd = fd
        writer = SerialLineWriter(label: "shrike.alerts.stdout", capacity: capacity)
        state = Mutex(State(encoder: AlertLineEncoder(format: format, color: color),
                            statistics: AlertOutputStatistics(name: name)))
        // A closed pipe must end the output, not the process.
        signal(SIGPIPE, SIG_IGN)
    }

    /// True once a write failed because nobody reads standard output any more.
    public var outputClosed: Bool { closedPipe.load(ordering: .relaxed) }

    public func emit(_ alert: Alert) {
        let open = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            state.statistics.emitted += 1
            return true
        }
        guard open else { return }
        writer.submit { [self] in
            let line = state.withLock { $0.encoder.line(alert) }
            let ok = !outputClosed && FileDescriptorWriting.writeAll(line, to: fd)
            if !ok && errno == EPIPE { closedPipe.store(true, ordering: .relaxed) }
            state.withLock { ok ? ($0.statistics.sent += 1) : ($0.statistics.failed += 1) }
        }
    }

    public func flush() {
        writer.flush()
    }

    public func close() {
        state.withLock { $0.closed = true }
        writer.flush()
    }

    public func statistics() -> AlertOutputStatistics {
        var statistics = state.withLock { $0.statistics }
        statistics.dropped = writer.dropped
        return statistics
    }
}

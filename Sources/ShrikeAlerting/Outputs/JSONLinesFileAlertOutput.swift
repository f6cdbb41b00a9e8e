#if canImport(Glibc)
import Glibc
#endif
import ShrikeCore
import ShrikeRules
import Synchronization

/// Appends one alert per line (JSON by default) to a file, created with mode 0600, and reopens the path after log
/// rotation: when `reopenSignal` has seen a SIGHUP since the file was opened, the next write goes to a fresh file at
/// the same path (so `logrotate`'s `postrotate kill -HUP` works, and the alerts written in between land in the
/// renamed file, none lost).
///
/// Each line is written with one `write(2)` on an `O_APPEND` descriptor, so lines are never interleaved or
/// half-buffered; writes run on the output's own queue.
public final class JSONLinesFileAlertOutput: AlertOutput {
    public let name: String
    public let path: String
    private let reopenSignal: LogReopenSignal?
    private let writer: SerialLineWriter
    private let state: Mutex<State>

    private struct State: Sendable {
        var fd: Int32
        var generation: Int
        var encoder: AlertLineEncoder
        var statistics: AlertOutputStatistics
        var closed = false
        var lastError: String?
    }

    /// Opens (or creates, 0600) `path` for appending.
    ///
    /// - Parameter reopenSignal: the reopen requests to follow; `LogReopenSignal.shared` is the one SIGHUP feeds
    ///   (the caller installs its handler). Nil never reopens.
    /// - Throws: `ShrikeError(.io)` naming the path when it cannot be opened.
    public init(path: String, format: AlertFormat = .json, reopenSignal: LogReopenSignal? = .shared,
                capacity: Int = 10_000) throws {
        name = "file:" + path
        self.path = path
        self.reopenSignal = reopenSignal
        writer = SerialLineWriter(label: "shrike.alerts.file", capacity: capacity)
        let generation = reopenSignal?.generation ?? 0
        let fd = try Self.open(path)
        state = Mutex(State(fd: fd, generation: generation, encoder: AlertLineEncoder(format: format),
                            statistics: AlertOutputStatistics(name: name)))
    }

    deinit {
        state.withLock { state in
            if state.fd >= 0 { Glibc.close(state.fd) }
        }
    }

    public func emit(_ alert: Alert) {
        let open = state.withLock { state -> Bool in
            guard !state.closed else { return false }
            state.statistics.emitted += 1
            return true
        }
        guard open else { return }
        writer.submit { [self] in
            state.withLock { state in
                let wanted = reopenSignal?.generation ?? state.generation
                if wanted != state.generation || state.fd < 0 {
                    reopen(&state, generation: wanted)
                }
                let line = state.encoder.line(alert)
                if state.fd >= 0 && FileDescriptorWriting.writeAll(line, to: state.fd) {
                    state.statistics.sent += 1
                } else {
                    state.statistics.failed += 1
                    state.lastError = "cannot write: \(String(cString: strerror(errno)))"
                }
            }
        }
    }

    /// Reopens the path now (after the queued writes), as a SIGHUP would before the next write.
    public func reopen() {
        writer.flush()
        state.withLock { state in
            reopen(&state, generation: reopenSignal?.generation ?? state.generation)
        }
    }

    /// The last open or write error, for the watch command's exit summary.
    public var lastError: String? { state.withLock { $0.lastError } }

    public func flush() {
        writer.flush()
    }

    public func close() {
        state.withLock { $0.closed = true }
        writer.flush()
        state.withLock { state in
            if state.fd >= 0 { Glibc.close(state.fd) }
            state.fd = -1
        }
    }

    public func statistics() -> AlertOutputStatistics {
        var statistics = state.withLock { $0.statistics }
        statistics.dropped = writer.dropped
        return statistics
    }

    private func reopen(_ state: inout State, generation: Int) {
        state.generation = generation
        if state.fd >= 0 { Glibc.close(state.fd) }
        state.fd = -1
        do {
            state.fd = try Self.open(path)
        } catch {
            state.lastError = String(describing: error)
        }
    }

    private static func open(_ path: String) throws -> Int32 {
        let fd = Glibc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw ShrikeError(.io, "cannot open the alert file: \(String(cString: strerror(errno))); check that its "
                                + "directory exists and is writable", input: path)
        }
        return fd
    }
}

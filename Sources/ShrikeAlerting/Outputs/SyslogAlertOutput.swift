#if canImport(Glibc)
import Glibc
#endif
import ShrikeRules
import Synchronization

/// Sends each alert as one syslog message to the local syslog socket (`/dev/log`), as `syslog(3)` would, with the
/// rule's priority as the message severity.
///
/// The socket is a datagram socket (rsyslog, syslog-ng, journald); when the path turns out to be a stream socket,
/// the output uses a stream connection and ends every message with a NUL byte, as glibc does. Sends never block:
/// a full socket buffer drops the alert (counted). When the daemon restarts and the socket goes away, the next alert
/// reconnects; until it can, alerts are counted as failed.
public final class SyslogAlertOutput: AlertOutput {
    public let name: String
    public let socketPath: String
    private let state: Mutex<State>

    private struct State: Sendable {
        var fd: Int32 = -1
        var socketType = Int32(SOCK_DGRAM.rawValue)
        var formatter: SyslogMessageFormatter
        var statistics: AlertOutputStatistics
        var closed = false
        var lastError: String?
    }

    /// - Parameters:
    ///   - facility: the facility of every message (`daemon` by default).
    ///   - format: the message body: Falco's text (`Priority output`) or the alert's JSON object.
    ///   - framing: RFC 3164 (glibc's) or RFC 5424 headers.
    ///   - socketPath: the syslog socket; tests point it at their own.
    public init(facility: SyslogFacility = .daemon, format: AlertFormat = .text,
                framing: SyslogMessageFormatter.Framing = .rfc3164, socketPath: String = "/dev/log",
                tag: String = "shrike") {
        name = "syslog:" + facility.name
        self.socketPath = socketPath
        let formatter = SyslogMessageFormatter(facility: facility, format: format, framing: framing, tag: tag,
                                               pid: getpid())
        state = Mutex(State(formatter: formatter, statistics: AlertOutputStatistics(name: name)))
        state.withLock { Self.connect(&$0, path: socketPath) }
    }

    deinit {
        state.withLock { state in
            if state.fd >= 0 { Glibc.close(state.fd) }
        }
    }

    /// True while a connection to the socket is open.
    public var isConnected: Bool { state.withLock { $0.fd >= 0 } }

    /// The last connect or send error.
    public var lastError: String? { state.withLock { $0.lastError } }

    public func emit(_ alert: Alert) {
        state.withLock { state in
            guard !state.closed else { return }
            state.statistics.emitted += 1
            var message = state.formatter.message(alert)
            if state.fd < 0 { Self.connect(&state, path: socketPath) }
            if state.socketType == Int32(SOCK_STREAM.rawValue) { message.append(0) }
            switch Self.send(message, on: state.fd) {
            case .sent:
                state.statistics.sent += 1
            case .wouldBlock:
                state.statistics.dropped += 1
            case .disconnected:
                // The daemon restarted (or the socket was replaced): reconnect once and resend.
                Self.connect(&state, path: socketPath)
                if state.fd >= 0, case .sent = Self.send(message, on: state.fd) {
                    state.statistics.sent += 1
                } else {
                    state.statistics.failed += 1
                }
            case .failed(let reason):
                state.lastError = "cannot send to \(socketPath): \(reason)"
                state.statistics.failed += 1
            }
        }
    }

    public func flush() {}

    public func close() {
        state.withLock { state in
            state.closed = true
            if state.fd >= 0 { Glibc.close(state.fd) }
            state.fd = -1
        }
    }

    public func statistics() -> AlertOutputStatistics {
        state.withLock { $0.statistics }
    }

    private enum SendResult { case sent, wouldBlock, disconnected, failed(String) }

    private static func send(_ message: [UInt8], on fd: Int32) -> SendResult {
        guard fd >= 0 else { return .disconnected }
        return message.withUnsafeBytes { raw -> SendResult in
            guard let base = raw.baseAddress else { return .sent }
            var offset = 0
            while offset < raw.count {
                let n = Glibc.send(fd, base + offset, raw.count - offset, Int32(MSG_DONTWAIT | MSG_NOSIGNAL))
                if n < 0 {
                    switch errno {
                    case EINTR: continue
                    case EAGAIN, ENOBUFS: return .wouldBlock
                    case ECONNREFUSED, ENOTCONN, EPIPE, ENOENT, ECONNRESET, EBADF, EDESTADDRREQ: return .disconnected
                    default: return .failed(String(cString: strerror(errno)))
                    }
                }
                offset += n
            }
            return .sent
        }
    }

    /// Connects a datagram socket to `path`, or a stream socket when the path is one (EPROTOTYPE).
    private static func connect(_ state: inout State, path: String) {
        if state.fd >= 0 { Glibc.close(state.fd) }
        state.fd = -1
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard bytes.count < capacity else {
            state.lastError = "the socket path \(path) is longer than \(capacity - 1) bytes"
            return
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() { raw[index] = byte }
        }
        for type in [SOCK_DGRAM, SOCK_STREAM] {
            let fd = socket(AF_UNIX, Int32(type.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else {
                state.lastError = "cannot create a socket: \(String(cString: strerror(errno)))"
                return
            }
            let result = withUnsafePointer(to: &address) { pointer in
                pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            if result == 0 {
                state.fd = fd
                state.socketType = Int32(type.rawValue)
                state.lastError = nil
                return
            }
            let error = errno
            Glibc.close(fd)
            if error == EPROTOTYPE && type == SOCK_DGRAM { continue }
            state.lastError = "cannot connect to \(path): \(String(cString: strerror(error)))"
            return
        }
    }
}

import Foundation
import Testing
import ShrikeRules
@testable import ShrikeAlerting

/// The syslog output against a datagram socket bound in a temporary directory, standing in for `/dev/log`.
@Suite(.serialized)
struct SyslogOutputTests {
    /// A bound AF_UNIX socket (datagram, or listening stream) that tests read messages from.
    final class SyslogSocket {
        let path: String
        let fd: Int32
        let type: Int32

        init(path: String, type: Int32 = Int32(SOCK_DGRAM.rawValue)) {
            self.path = path
            self.type = type
            unlink(path)
            fd = socket(AF_UNIX, type, 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in path.utf8.enumerated() { raw[index] = byte }
            }
            _ = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            if type == Int32(SOCK_STREAM.rawValue) { listen(fd, 4) }
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        /// The next datagram, or nil after 5 s.
        func receive() -> String? {
            var buffer = [UInt8](repeating: 0, count: 65536)
            let n = recv(fd, &buffer, buffer.count, 0)
            guard n > 0 else { return nil }
            return String(decoding: buffer[0..<n], as: UTF8.self)
        }

        func close() {
            Glibc.close(fd)
            unlink(path)
        }
    }

    private func withSocket(_ body: (String, SyslogSocket) throws -> Void) throws {
        let directory = try AlertFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/log"
        let server = SyslogSocket(path: path)
        defer { server.close() }
        try body(path, server)
    }

    @Test("PRI is facility * 8 + the priority's severity", arguments: RulePriority.allCases)
    func priPerPriority(_ priority: RulePriority) throws {
        try withSocket { path, server in
            let output = SyslogAlertOutput(facility: .daemon, socketPath: path)
            defer { output.close() }
            output.emit(AlertFixtures.alert(priority: priority, output: "Something happened"))
            let message = try #require(server.receive())
            #expect(message.hasPrefix("<\(3 * 8 + priority.rawValue)>"))
            #expect(message.hasSuffix(": \(priority.name) Something happened"))
        }
    }

    @Test("RFC 3164 framing: timestamp, tag[pid], then the message; facility from the spec")
    func rfc3164() throws {
        try withSocket { path, server in
            let output = SyslogAlertOutput(facility: .local3, socketPath: path)
            defer { output.close() }
            #expect(output.name == "syslog:local3")
            output.emit(AlertFixtures.alert(priority: .warning, output: "Shell in container", count: 2))
            let message = try #require(server.receive())
            #expect(message == "<\(19 * 8 + 4)>Nov 29 10:00:00 shrike[\(getpid())]: Warning Shell in container (count=2)")
            #expect(output.statistics().sent == 1)
        }
    }

    @Test("RFC 5424 framing with a JSON body")
    func rfc5424Json() throws {
        try withSocket { path, server in
            let output = SyslogAlertOutput(facility: .auth, format: .json, framing: .rfc5424, socketPath: path)
            defer { output.close() }
            output.emit(AlertFixtures.alert(priority: .critical))
            let message = try #require(server.receive())
            let prefix = "<\(4 * 8 + 2)>1 2026-11-29T10:00:00.123456Z node-1 shrike \(getpid()) - - "
            #expect(message.hasPrefix(prefix))
            let object = try AlertFixtures.jsonObject(String(message.dropFirst(prefix.count)))
            #expect(object["rule"] as? String == "Write below binary dir")
            #expect(object["priority"] as? String == "Critical")
        }
    }

    @Test("when the socket goes away and comes back, the output reconnects")
    func reconnects() throws {
        let directory = try AlertFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/log"
        var server = SyslogSocket(path: path)
        let output = SyslogAlertOutput(socketPath: path)
        defer { output.close() }
        output.emit(AlertFixtures.alert(output: "one"))
        #expect(server.receive()?.hasSuffix("Error one") == true)

        server.close()
        output.emit(AlertFixtures.alert(output: "lost"))
        #expect(output.statistics().failed == 1, "no daemon: counted, not thrown")

        server = SyslogSocket(path: path)
        defer { server.close() }
        output.emit(AlertFixtures.alert(output: "two"))
        #expect(server.receive()?.hasSuffix("Error two") == true)
        let statistics = output.statistics()
        #expect(statistics.sent == 2)
        #expect(statistics.emitted == 3)
    }

    @Test("a stream socket at the path is used as a stream, messages ending in NUL (as glibc does)")
    func streamFallback() throws {
        let directory = try AlertFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/log"
        let server = SyslogSocket(path: path, type: Int32(SOCK_STREAM.rawValue))
        defer { server.close() }
        let output = SyslogAlertOutput(socketPath: path)
        defer { output.close() }
        #expect(output.isConnected)
        let connection = accept(server.fd, nil, nil)
        #expect(connection >= 0)
        defer { close(connection) }
        output.emit(AlertFixtures.alert(output: "over a stream"))
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = recv(connection, &buffer, buffer.count, 0)
        #expect(n > 0)
        let received = Array(buffer[0..<max(0, n)])
        #expect(received.last == 0)
        #expect(String(decoding: received.dropLast(), as: UTF8.self).hasSuffix("Error over a stream"))
    }

    @Test("facility names parse like logger(1)'s", arguments: [
        ("daemon", SyslogFacility.daemon), ("LOCAL0", .local0), ("local7", .local7), ("auth", .auth),
        ("security", .auth), ("authpriv", .authpriv), ("user", .user), ("kern", .kern),
    ])
    func facilityNames(_ name: String, _ facility: SyslogFacility) {
        #expect(SyslogFacility(name: name) == facility)
    }
}

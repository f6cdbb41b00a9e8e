import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ShrikeCore
import ShrikeTestSupport

/// Support/webhook_server.py on 127.0.0.1, running until `stop()` (or deinit): records every POST it gets.
final class WebhookServer {
    let root: String
    let port: Int
    let scheme: String
    private let server: PortFileServer

    struct Request: Decodable {
        var method: String
        var path: String
        var status: Int
        var body: String
        var headers: [String: String]
    }

    /// Starts the server; with `certificate`/`key` (PEM files) it speaks HTTPS.
    init(certificate: String? = nil, key: String? = nil) throws {
        root = try AlertFixtures.temporaryDirectory()
        var arguments = ["--log", root + "/requests.log"]
        if let certificate, let key { arguments += ["--cert", certificate, "--key", key] }
        scheme = certificate == nil ? "http" : "https"
        server = try PortFileServer(script: "Tests/ShrikeAlertingTests/Support/webhook_server.py",
                                    arguments: arguments, portFile: root + "/port", what: "webhook server")
        port = server.port
    }

    /// Stops the server (never waits unbounded) and removes its files.
    func stop() {
        server.stop()
        try? FileManager.default.removeItem(atPath: root)
    }

    deinit { stop() }

    func url(_ path: String, host: String = "127.0.0.1") -> String { "\(scheme)://\(host):\(port)/\(path)" }

    /// Every request served so far, in order.
    func requests() throws -> [Request] {
        guard let data = FileManager.default.contents(atPath: root + "/requests.log") else { return [] }
        return try data.split(separator: UInt8(ascii: "\n")).map { try JSONDecoder().decode(Request.self, from: Data($0)) }
    }

    /// Waits until at least `count` requests were served, at most `timeout` seconds.
    func waitForRequests(_ count: Int, timeout: Double = 10) throws -> [Request] {
        let deadline = Date().addingTimeInterval(timeout)
        var seen = try requests()
        while seen.count < count && Date() < deadline {
            usleep(20_000)
            seen = try requests()
        }
        return seen
    }
}

/// A TCP port on 127.0.0.1 where nothing listens (bound, then closed again).
func unusedLoopbackPort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    _ = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

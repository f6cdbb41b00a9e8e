import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real registry (Debian's `docker-registry`, distribution 2.8) on 127.0.0.1 for tests, with its storage in a
/// temporary directory.
///
/// The registry runs under a small shell guard that reads its standard input from a pipe this object holds: when
/// the pipe closes — `stop()`, `deinit`, or this test process dying in any way — the guard kills the registry and
/// waits for it, so a server cannot outlive the test that started it. Prefer `RegistryServer.with { … }`.
public final class RegistryServer: @unchecked Sendable {
    // @unchecked: mutable state (`stopped`) is only touched by the owning test, and stop() is idempotent.
    /// Basic-auth credentials the server requires, when started with `htpasswd`.
    public struct User: Sendable {
        public var name: String
        public var password: String
        public init(name: String, password: String) {
            self.name = name
            self.password = password
        }
    }

    public let root: String
    public let port: Int
    public let user: User?
    /// The PEM file of the CA that signed the server's certificate, when started with `tls`.
    public let caFile: String?
    private let guardProcess: Process
    private let lifeline: Pipe
    private var stopped = false

    /// True when `docker-registry` is installed (tests that need one are skipped otherwise).
    public static var isAvailable: Bool { ExternalTool.find("docker-registry") != nil }
    /// True when `htpasswd` (apache2-utils) is installed, for basic-auth servers.
    public static var canMakeHtpasswd: Bool { ExternalTool.find("htpasswd") != nil }

    /// `127.0.0.1:PORT`.
    public var host: String { "127.0.0.1:\(port)" }
    /// Where the registry keeps blobs: `<storage>/docker/registry/v2/blobs/sha256/<ab>/<hex>/data`.
    public var storage: String { root + "/storage" }

    /// Starts a registry; with `user`, every request needs basic auth (an htpasswd file made with bcrypt); with
    /// `tls`, it serves HTTPS with a certificate for 127.0.0.1 signed by a fresh CA (`caFile`, made with openssl).
    /// Waits (at most 15 s) until `/v2/` answers.
    public init(user: User? = nil, tls: Bool = false) throws {
        guard let binary = ExternalTool.find("docker-registry") else {
            throw RegistryServerError("docker-registry is not installed (apt-get install docker-registry)")
        }
        root = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-registry-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/storage", withIntermediateDirectories: true)
        self.user = user
        port = try Self.freePort()
        var tlsConfig = ""
        if tls {
            caFile = root + "/ca.pem"
            try Self.makeCertificates(in: root)
            tlsConfig = """
              tls:
                certificate: \(root)/server.pem
                key: \(root)/server.key
            """
        } else {
            caFile = nil
        }
        var auth = ""
        if let user {
            let made = try ExternalTool.run(["htpasswd", "-Bbn", user.name, user.password])
            guard made.status == 0 else { throw RegistryServerError("htpasswd failed: \(made.stderr)") }
            try made.stdout.write(toFile: root + "/htpasswd", atomically: true, encoding: .utf8)
            auth = """
            auth:
              htpasswd:
                realm: shrike-test
                path: \(root)/htpasswd

            """
        }
        let config = """
        version: 0.1
        log:
          level: error
          accesslog:
            disabled: true
        storage:
          filesystem:
            rootdirectory: \(root)/storage
          delete:
            enabled: true
        http:
          addr: 127.0.0.1:\(port)
          secret: shrike-test-secret
        \(tlsConfig)
        \(auth)
        """
        try config.write(toFile: root + "/config.yml", atomically: true, encoding: .utf8)
        // The guard: start the registry, block on stdin; EOF (our pipe closed, or we died) means kill and wait.
        let script = """
        "$1" serve "$2" >"$3/registry.log" 2>&1 &
        child=$!
        echo $child > "$3/registry.pid"
        cat >/dev/null
        kill -TERM $child 2>/dev/null
        wait $child
        """
        lifeline = Pipe()
        guardProcess = Process()
        guardProcess.executableURL = URL(fileURLWithPath: "/bin/sh")
        guardProcess.arguments = ["-c", script, "registry-guard", binary, root + "/config.yml", root]
        guardProcess.standardInput = lifeline
        guardProcess.standardOutput = FileHandle.nullDevice
        guardProcess.standardError = FileHandle.nullDevice
        try guardProcess.run()
        var ready = false
        for _ in 0..<300 {
            if Self.answers(port: port) { ready = true; break }
            if !guardProcess.isRunning { break }
            usleep(50_000)
        }
        guard ready else {
            let log = (try? String(contentsOfFile: root + "/registry.log", encoding: .utf8)) ?? ""
            stop()
            throw RegistryServerError("docker-registry did not start on port \(port): \(log.prefix(500))")
        }
    }

    deinit { stop() }

    /// A CA (`ca.pem`) and a server certificate for 127.0.0.1/localhost signed by it (`server.pem`, `server.key`).
    private static func makeCertificates(in dir: String) throws {
        let extensions = dir + "/server.ext"
        try "subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n"
            .write(toFile: extensions, atomically: true, encoding: .utf8)
        let steps: [[String]] = [
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", dir + "/ca.key", "-out", dir + "/ca.pem",
             "-days", "2", "-subj", "/CN=Shrike test CA"],
            ["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-keyout", dir + "/server.key", "-out", dir + "/server.csr",
             "-subj", "/CN=127.0.0.1"],
            ["openssl", "x509", "-req", "-in", dir + "/server.csr", "-CA", dir + "/ca.pem", "-CAkey", dir + "/ca.key",
             "-CAcreateserial", "-out", dir + "/server.pem", "-days", "2", "-extfile", extensions],
        ]
        for step in steps {
            let result = try ExternalTool.run(step)
            guard result.status == 0 else { throw RegistryServerError("\(step.prefix(3).joined(separator: " ")) failed: \(result.stderr)") }
        }
    }

    /// Runs `body` with a fresh server and stops it afterwards, whatever happens.
    public static func with<T>(user: User? = nil, tls: Bool = false, _ body: (RegistryServer) throws -> T) throws -> T {
        let server = try RegistryServer(user: user, tls: tls)
        defer { server.stop() }
        return try body(server)
    }

    /// Stops the registry (closing the lifeline makes the guard SIGTERM it and wait), then removes its files.
    /// Never waits unbounded: after 5 s the registry and the guard are killed.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        try? lifeline.fileHandleForWriting.close()
        for _ in 0..<100 where guardProcess.isRunning { usleep(50_000) }
        if guardProcess.isRunning {
            if let text = try? String(contentsOfFile: root + "/registry.pid", encoding: .utf8),
               let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                kill(pid, SIGKILL)
            }
            kill(guardProcess.processIdentifier, SIGKILL)
            guardProcess.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: root)
    }

    /// The pid of the running registry process (for tests of the harness itself).
    public var registryPID: Int32? {
        (try? String(contentsOfFile: root + "/registry.pid", encoding: .utf8))
            .flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }

    /// The data file of a blob in the registry's storage (to corrupt it in tests).
    public func blobDataPath(hex: String) -> String {
        "\(storage)/docker/registry/v2/blobs/sha256/\(hex.prefix(2))/\(hex)/data"
    }

    /// A port that was free a moment ago (bound to 0, then released).
    public static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw RegistryServerError("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(fd, pointer, length) == 0 else { return -1 }
                return getsockname(fd, pointer, &length)
            }
        }
        guard bound == 0 else { throw RegistryServerError("cannot bind a port on 127.0.0.1") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// True when something on 127.0.0.1:`port` answers `GET /v2/` with an HTTP status line.
    public static func answers(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return false }
        let request = Array("GET /v2/ HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)
        guard send(fd, request, request.count, 0) == request.count else { return false }
        var reply = [UInt8](repeating: 0, count: 16)
        let n = recv(fd, &reply, reply.count, 0)
        return n >= 8 && String(decoding: reply[0..<8], as: UTF8.self).hasPrefix("HTTP/1.")
    }
}

/// Why a test registry could not start.
public struct RegistryServerError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

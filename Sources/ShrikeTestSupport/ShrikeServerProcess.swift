import Foundation

/// A real `shrike server` process (SQLite in `directory`) on a loopback port the kernel picks, or on `port`, over
/// plain HTTP or, with `tls`, HTTPS. Its own process, so it never shares a thread pool with the tests that load it.
public final class ShrikeServerProcess: @unchecked Sendable {
    public let process = Process()
    public let port: Int
    public let database: String
    /// `http` or `https`.
    public let scheme: String
    private let errors = Pipe()
    /// curl and its TLS options.
    private let curl: [String]

    /// `--tls-cert`, `--tls-key` and, when given, `--tls-client-ca`.
    public struct TLS: Sendable {
        public var certificate: String
        public var key: String
        public var clientCA: String?
        /// The CA that signed `certificate`, which `get` and `post` trust (curl's `--cacert`), and a client
        /// certificate and key they present (for `clientCA`).
        public var trusted: String
        public var clientCertificate: (certificate: String, key: String)?

        public init(certificate: String, key: String, trusted: String, clientCA: String? = nil,
                    clientCertificate: (certificate: String, key: String)? = nil) {
            self.certificate = certificate
            self.key = key
            self.trusted = trusted
            self.clientCA = clientCA
            self.clientCertificate = clientCertificate
        }

        /// curl's options for talking to the server.
        var curl: [String] {
            ["--cacert", trusted] + (clientCertificate.map { ["--cert", $0.certificate, "--key", $0.key] } ?? [])
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) { self.description = description }
    }

    public init(directory: String, port listenPort: Int = 0, tls: TLS? = nil) throws {
        guard let shrike = ShrikeExecutable.path else { throw Failure(description: "the shrike executable is not built") }
        database = "sqlite:\(directory)/server.sqlite"
        process.executableURL = URL(fileURLWithPath: shrike)
        process.arguments = ["server", "--listen", "127.0.0.1:\(listenPort)", "--database", database,
                             "--db", directory + "/advisories.sqlite"]
        if let tls {
            process.arguments? += ["--tls-cert", tls.certificate, "--tls-key", tls.key]
            if let ca = tls.clientCA { process.arguments? += ["--tls-client-ca", ca] }
        }
        scheme = tls == nil ? "http" : "https"
        curl = ["curl"] + (tls?.curl ?? [])
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var text = "", found: Int?
        let deadline = Date().addingTimeInterval(60)
        while found == nil, Date() < deadline {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if let range = text.range(of: "\(scheme)://127.0.0.1:") {
                found = Int(text[range.upperBound...].prefix { $0.isNumber })
            }
        }
        guard let found else {
            process.terminate()
            throw Failure(description: "shrike server did not start: \(text)")
        }
        port = found
        // Keep draining stderr so the server never blocks on a full pipe.
        errors.fileHandleForReading.readabilityHandler = { handle in _ = handle.availableData }
    }

    deinit {
        errors.fileHandleForReading.readabilityHandler = nil
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    public var url: String { "\(scheme)://127.0.0.1:\(port)" }

    /// SIGKILL: no shutdown, no flush.
    public func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// A new token, created as a user does (`shrike server token create`); the secret is the last line printed.
    public func token(_ name: String, role: String) throws -> String {
        guard let shrike = ShrikeExecutable.path else { throw Failure(description: "the shrike executable is not built") }
        let result = try ExternalTool.run([shrike, "server", "token", "create", "--name", name, "--role", role,
                                           "--database", database])
        guard result.status == 0 else { throw Failure(description: "token create failed: \(result.stderr)") }
        return String(result.stdout.split(separator: "\n").last ?? "")
    }

    /// `GET path` with the token, through curl; the JSON object answered (empty when it is not one).
    public func get(_ path: String, token: String) throws -> [String: Any] {
        let result = try ExternalTool.run(curl + ["-sf", "-H", "Authorization: Bearer \(token)", url + path])
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
    }

    /// `POST path` with a JSON body; the HTTP status.
    public func post(_ path: String, token: String, json: Any) throws -> Int {
        let body = try JSONSerialization.data(withJSONObject: json)
        let result = try ExternalTool.run(curl + ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H",
                                           "Authorization: Bearer \(token)", "-H", "Content-Type: application/json",
                                           "--data-binary", "@-", url + path], input: Array(body))
        return Int(result.stdout) ?? 0
    }
}

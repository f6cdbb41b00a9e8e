import Foundation

/// A real `shrike server` process (SQLite in `directory`) on a loopback port the kernel picks, or on `port`.
/// Its own process, so it never shares a thread pool with the tests that load it.
public final class ShrikeServerProcess: @unchecked Sendable {
    public let process = Process()
    public let port: Int
    public let database: String
    private let errors = Pipe()

    public struct Failure: Error, CustomStringConvertible {
        public var description: String

        public init(description: String) { self.description = description }
    }

    public init(directory: String, port listenPort: Int = 0) throws {
        guard let shrike = ShrikeExecutable.path else { throw Failure(description: "the shrike executable is not built") }
        database = "sqlite:\(directory)/server.sqlite"
        process.executableURL = URL(fileURLWithPath: shrike)
        process.arguments = ["server", "--listen", "127.0.0.1:\(listenPort)", "--database", database,
                             "--db", directory + "/advisories.sqlite"]
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var text = "", found: Int?
        let deadline = Date().addingTimeInterval(60)
        while found == nil, Date() < deadline {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
            if let range = text.range(of: "http://127.0.0.1:") {
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

    public var url: String { "http://127.0.0.1:\(port)" }

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
        let result = try ExternalTool.run(["curl", "-sf", "-H", "Authorization: Bearer \(token)", url + path])
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
    }

    /// `POST path` with a JSON body; the HTTP status.
    public func post(_ path: String, token: String, json: Any) throws -> Int {
        let body = try JSONSerialization.data(withJSONObject: json)
        let result = try ExternalTool.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H",
                                           "Authorization: Bearer \(token)", "-H", "Content-Type: application/json",
                                           "--data-binary", "@-", url + path], input: Array(body))
        return Int(result.stdout) ?? 0
    }
}

import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ShrikeCore

/// A test server script run with python3 that binds 127.0.0.1 port 0 and writes the port it got to `--port-file`
/// once it listens (the tests' webhook and feed servers): started and waited for, then stopped without ever
/// waiting unbounded.
public final class PortFileServer: @unchecked Sendable {
    // @unchecked: `stopped` is only touched by the test that owns the server.
    public let process = Process()
    public let port: Int
    private var stopped = false

    /// Runs `script` (a repository path) with `arguments` plus `--port-file portFile`; waits at most 10 s for the port.
    /// `what` names the server in the error when it does not start.
    public init(script: String, arguments: [String], portFile: String, what: String) throws {
        process.executableURL = URL(fileURLWithPath: ExternalTool.find("python3") ?? "/usr/bin/python3")
        process.arguments = [RepositoryFiles.path(script)] + arguments + ["--port-file", portFile]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        var found: Int?
        for _ in 0..<200 {
            if let text = try? String(contentsOfFile: portFile, encoding: .utf8),
               let value = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                found = value
                break
            }
            if !process.isRunning { break }
            usleep(50_000)
        }
        guard let found else {
            if process.isRunning { process.terminate() }
            process.waitUntilExit()
            throw ShrikeError(.io, "the \(what) did not start", input: portFile)
        }
        port = found
    }

    /// SIGTERM, then SIGKILL if the server is still there after 2 s.
    public func stop() {
        guard !stopped else { return }
        stopped = true
        if process.isRunning { process.terminate() }
        for _ in 0..<40 where process.isRunning { usleep(50_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for _ in 0..<40 where process.isRunning { usleep(50_000) }
    }

    deinit { stop() }
}

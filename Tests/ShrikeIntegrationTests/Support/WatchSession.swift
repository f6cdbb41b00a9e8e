import Foundation
import ShrikeTestSupport

/// A `shrike watch --json` running in the background as a user runs it, whose alert lines the test reads back.
///
/// The watch is scoped (`--pid` or `--container`) so that other tests running at the same time cannot add alerts.
final class WatchSession {
    let process = Process()
    let outputPath: String
    private let errors = Pipe()
    private var errorText = Data()
    private let directory: String

    /// Starts `shrike watch --json ARGUMENTS` and returns once it printed that it is watching.
    init(_ arguments: [String]) throws {
        guard let path = ShrikeExecutable.path else { throw WatchSessionError("the shrike executable is not built") }
        directory = try ImageSourceFixtures.temporaryDirectory()
        outputPath = directory + "/alerts.jsonl"
        FileManager.default.createFile(atPath: outputPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["watch", "--json"] + arguments
        process.standardOutput = FileHandle(forWritingAtPath: outputPath)
        process.standardError = errors
        try process.run()
        let deadline = Date().addingTimeInterval(30)
        while !String(decoding: errorText, as: UTF8.self).contains("watching") {
            let chunk = errors.fileHandleForReading.availableData
            if chunk.isEmpty || Date() > deadline {
                process.terminate()
                throw WatchSessionError("shrike watch did not start: \(String(decoding: errorText, as: UTF8.self))")
            }
            errorText += chunk
        }
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// The alert objects written so far.
    var alerts: [[String: Any]] {
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    /// Waits until an alert of `rule` satisfying `matching` was written (or `timeout` passed) and returns it.
    func waitForAlert(_ rule: String, timeout: TimeInterval = 10,
                      matching: ([String: Any]) -> Bool = { _ in true }) -> [String: Any]? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if let alert = alerts.first(where: { $0["rule"] as? String == rule && matching($0) }) { return alert }
            Thread.sleep(forTimeInterval: 0.05)
        } while Date() < deadline
        return nil
    }

    /// Stops the watch (SIGINT, as Ctrl-C) and returns its exit status and everything it wrote to stderr.
    @discardableResult
    func stop() -> (status: Int32, stderr: String) {
        if process.isRunning { process.interrupt() }
        process.waitUntilExit()
        errorText += errors.fileHandleForReading.readDataToEndOfFile()
        return (process.terminationStatus, String(decoding: errorText, as: UTF8.self))
    }
}

struct WatchSessionError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A process that waits for a go signal before running its script, so a watch can be scoped to its pid first.
final class GatedScript {
    let process = Process()
    /// The file whose creation lets the script run (`go()` creates it; another process may instead).
    let gate: String

    init(_ script: String, in directory: String, environment: [String: String]? = nil) throws {
        gate = directory + "/.go-\(UUID().uuidString)"
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "while [ ! -e '\(gate)' ]; do sleep 0.05; done; \(script)"]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        if let environment { process.environment = environment }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }

    /// Lets the script run and waits for it to finish.
    func go(timeout: TimeInterval = 300) -> Int32 {
        FileManager.default.createFile(atPath: gate, contents: nil)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

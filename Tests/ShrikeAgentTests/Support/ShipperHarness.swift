import Foundation
import Synchronization
import Testing
@testable import ShrikeAgent

/// A spool with records and a shipper aimed at `url`, with backoffs of milliseconds so retries are quick.
struct ShipperHarness {
    let directory: String
    let spool: Spool
    let shipper: Shipper
    let logged = LogLines()

    final class LogLines: Sendable {
        private let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }

    init(url: String, records: Int, cap: Double = 0.2, configure: (inout Shipper.Options) -> Void = { _ in }) throws {
        directory = try SpoolFixtures.directory()
        spool = try Spool(directory: directory)
        try spool.append((0..<records).map { (.alert, SpoolFixtures.body($0)) })
        var options = Shipper.Options()
        options.backoff = Backoff(base: 0.01, cap: cap)
        options.idleInterval = 0.01
        options.requestTimeout = 5
        configure(&options)
        let logged = logged
        shipper = try Shipper(spool: spool, settings: try ServerSettings(url: url, token: "agent-token"),
                              identity: AgentIdentity(hostname: "node-1", version: "0.1.0", kernel: "6.1.0"),
                              options: options, log: { logged.append($0) })
    }

    /// Runs the shipper until the spool is empty (true) or `timeout` seconds passed (false).
    func ship(timeout: Double = 60, until done: @Sendable () -> Bool = { false }) async -> Bool {
        let shipper = shipper
        let task = Task { await shipper.run() }
        let deadline = Date().addingTimeInterval(timeout)
        var emptied = false
        while Date() < deadline {
            if spool.statistics.records == 0 || done() {
                emptied = spool.statistics.records == 0
                break
            }
            try? await Task.sleep(nanoseconds: 5_000_000)
        }
        task.cancel()
        await task.value
        return emptied
    }

    func finish() async {
        await shipper.shutdown()
        spool.close()
        SpoolFixtures.remove(directory)
    }
}

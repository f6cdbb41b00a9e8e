import Foundation
import ShrikeCore
import ShrikeRecorder
import Synchronization

/// The agent's side of a watch: the spool, the writer that feeds it off the sensor's thread, the shipper task and
/// the heartbeat task.
///
/// Give `alertOutput` to the alert dispatcher and `incidentSaved` to the recorder's `onSaved`; `start` once the
/// sensor runs, `stop` at the end (it spends at most `shutdownFlush` seconds sending, then leaves the rest spooled).
public final class AgentSession: Sendable {
    public let configuration: AgentConfiguration
    public let spool: Spool
    public let writer: SpoolWriter
    public let shipper: Shipper
    public let alertOutput: ServerAlertOutput
    private let tasks = Mutex<[Task<Void, Never>]>([])
    private let log: @Sendable (String) -> Void
    private let incidentsLost = Atomic<Int>(0)
    /// The summary as of `stop()`, once the spool is closed.
    private let finalSummary = Mutex<[String]?>(nil)

    /// Opens the spool and prepares the shipper (nothing is sent before `start`).
    /// - Throws: `ShrikeError` from the spool (folder, lock, state) or the CA file.
    public init(configuration: AgentConfiguration, log: @escaping @Sendable (String) -> Void) throws {
        self.configuration = configuration
        self.log = log
        spool = try Spool(directory: configuration.spoolDirectory, maxBytes: configuration.spoolMaxBytes)
        do {
            shipper = try Shipper(spool: spool, settings: configuration.server, identity: configuration.identity,
                                  options: configuration.shipper, log: log)
        } catch {
            spool.close()
            throw error
        }
        writer = SpoolWriter(spool: spool)
        alertOutput = ServerAlertOutput(writer: writer, url: configuration.server.url)
        let recovered = spool.statistics
        if recovered.tornBytes > 0 || recovered.corrupt > 0 {
            log("spool: recovered after a crash: cut a torn tail of \(recovered.tornBytes) bytes, skipped "
                + "\(recovered.corrupt) damaged records")
        }
    }

    /// Starts shipping and the heartbeats (the first at once). `drops` gives the kernel's dropped-event total.
    public func start(drops: @escaping @Sendable () -> UInt64) {
        let shipper = shipper
        let shipping = Task.detached { await shipper.run() }
        let interval = configuration.heartbeatInterval
        let beating = Task.detached { [self] in
            while !Task.isCancelled {
                self.heartbeat(drops: drops())
                try? await Task.sleep(nanoseconds: UInt64(interval * 1e9))
            }
        }
        let inbox = Task.detached { [self] in
            while !Task.isCancelled {
                self.importInbox()
                try? await Task.sleep(nanoseconds: 1_000_000_000)
            }
        }
        tasks.withLock { $0 += [shipping, beating, inbox] }
    }

    /// Spools one heartbeat now.
    public func heartbeat(drops: UInt64) {
        let statistics = spool.statistics
        let beat = Heartbeat(time: Date().timeIntervalSince1970, identity: configuration.identity, drops: drops,
                             spoolBytes: statistics.bytes, spoolRecords: statistics.records,
                             evicted: statistics.evicted, running: RunningImageReader().digests())
        writer.submit(.heartbeat, body: beat.json())
    }

    /// Spools a saved incident as `shrike incidents export ID --format json` gives it (compact). Call from the
    /// recorder's `onSaved`, which runs on the recorder's own queue.
    public func incidentSaved(id: String, recordDirectory: String) {
        do {
            let store = try IncidentStore(directory: recordDirectory, create: false)
            let timeline = TimelineBuilder().build(try store.load(id: id))
            writer.submit(.incident, body: try TimelineJSONRenderer.render(timeline, pretty: false))
        } catch {
            incidentsLost.add(1, ordering: .relaxed)
            log("server: incident \(id) not spooled: \(error)")
        }
    }

    /// Moves records that `shrike sbom|scan --server` left in the spool's inbox into the spool.
    public func importInbox() {
        do {
            for problem in try SpoolInbox(directory: configuration.spoolDirectory).drain(into: spool) {
                log("spool: \(problem)")
            }
        } catch {
            log("spool: inbox: \(error)")
        }
    }

    /// Stops the heartbeats and the shipper, spools what is queued, sends for up to `shutdownFlush` seconds and
    /// closes the spool. Returns the records left for the next start.
    @discardableResult
    public func stop() async -> Int {
        let running = tasks.withLock { tasks -> [Task<Void, Never>] in
            defer { tasks = [] }
            return tasks
        }
        for task in running { task.cancel() }
        for task in running { await task.value }
        writer.close()
        importInbox()
        _ = await shipper.drain(timeout: configuration.shutdownFlush)
        await shipper.shutdown()
        let left = spool.statistics.records
        let summary = summaryLines()
        finalSummary.withLock { $0 = summary }
        spool.close()
        return left
    }

    /// Lines for the exit summary and SIGUSR1.
    public func summaryLines() -> [String] {
        if let summary = finalSummary.withLock({ $0 }) { return summary }
        let spooled = spool.statistics
        let written = writer.statistics
        var lines = [shipper.statistics.summary]
        var spoolLine = "spool: \(spooled.records) records (\(spooled.bytes) bytes) waiting, evicted \(spooled.evicted)"
        if written.dropped > 0 { spoolLine += ", dropped before spooling \(written.dropped)" }
        if written.failed > 0 { spoolLine += ", append failed \(written.failed) (\(written.lastError ?? "?"))" }
        let lost = incidentsLost.load(ordering: .relaxed)
        if lost > 0 { spoolLine += ", incidents not spooled \(lost)" }
        lines.append(spoolLine)
        return lines
    }
}

import Foundation
import ShrikeCore

/// Uploads one record from a short-lived command (`shrike sbom|scan TARGET --server …`) through the spool, so it
/// shares the watch's sequence numbers and retries and survives a server that is away.
///
/// The record goes to the spool's inbox first. When a watch holds the spool it ships the record (`handedOff`);
/// otherwise this opens the spool and sends, retrying with the shipper's backoff, for up to `timeout` seconds —
/// what is still unsent then stays spooled for the next run of an agent on this spool folder.
public enum AgentUpload {
    public enum Outcome: Sendable, Equatable {
        /// The server acknowledged everything that was spooled.
        case sent
        /// A running `shrike watch --server` owns the spool and will ship it.
        case handedOff
        /// The server could not be reached in time; this many records wait in the spool.
        case spooled(records: Int, lastError: String?)
    }

    public static func upload(_ kind: SpoolKind, body: [UInt8], configuration: AgentConfiguration,
                              timeout: Double = 30, log: @escaping @Sendable (String) -> Void) async throws -> Outcome {
        try SpoolInbox(directory: configuration.spoolDirectory).put(kind, body: body)
        let spool: Spool
        do {
            spool = try Spool(directory: configuration.spoolDirectory, maxBytes: configuration.spoolMaxBytes)
        } catch let error as ShrikeError where error.code == .spoolBusy {
            return .handedOff
        }
        defer { spool.close() }
        for problem in try SpoolInbox(directory: configuration.spoolDirectory).drain(into: spool) { log("spool: \(problem)") }
        let shipper = try Shipper(spool: spool, settings: configuration.server, identity: configuration.identity,
                                  options: configuration.shipper, log: log)
        let deadline = Date().addingTimeInterval(timeout)
        var attempt = 0
        while true {
            if await shipper.drain(timeout: max(0.1, deadline.timeIntervalSinceNow)) { break }
            attempt += 1
            let wait = configuration.shipper.backoff.delay(attempt: attempt)
            if Date().addingTimeInterval(wait) >= deadline { break }
            try? await Task.sleep(nanoseconds: UInt64(wait * 1e9))
        }
        await shipper.shutdown()
        let left = spool.statistics.records
        return left == 0 ? .sent : .spooled(records: left, lastError: shipper.statistics.lastError)
    }
}

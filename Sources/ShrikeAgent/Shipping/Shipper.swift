import Foundation
import ShrikeCore
import Synchronization

/// Sends the spool's records to `shrike server` and removes what the server acknowledged.
///
/// Batches are the oldest unacknowledged records, at most `maxRecords` and `maxBytes` of bodies. A 200 answer's
/// `stored`, `duplicate` and `rejected` records leave the spool (rejected ones are logged once and counted: they
/// would fail again). A 400 splits the batch in halves until the bad record stands alone, which is dropped (counted);
/// a 413 halves it too. Everything else — no connection, a timeout, a 5xx, 429 — is retried after an exponential
/// backoff with full jitter (`Backoff`), or after the answer's `Retry-After`. 401/403 means the token is wrong,
/// revoked or not an agent token: said once on the log, retried at the backoff's cap.
///
/// `run()` is the shipper's own task; nothing here touches the sensor's thread.
public final class Shipper: Sendable {
    public struct Options: Sendable, Equatable {
        public var maxRecords = 1_000
        public var maxBytes = 4 << 20
        /// The request limit of the wire format.
        public var maxRequestBytes = 16 << 20
        public var backoff = Backoff()
        /// Seconds between looks at an empty spool.
        public var idleInterval = 0.1
        /// Seconds one request may take.
        public var requestTimeout = 30.0

        public init() {}
    }

    public let spool: Spool
    public let identity: AgentIdentity
    public let options: Options
    private let client: IngestClient
    private let log: @Sendable (String) -> Void
    private let counters = Mutex(ShipperStatistics())
    private let unauthorizedSaid = Atomic<Bool>(false)

    /// - Parameter log: receives one line per event worth telling (a rejected record, a bad token); the watch
    ///   writes them to stderr with a `shrike: ` prefix.
    /// - Throws: `ShrikeError(.io)` for an unreadable CA file.
    public init(spool: Spool, settings: ServerSettings, identity: AgentIdentity, options: Options = Options(),
                log: @escaping @Sendable (String) -> Void) throws {
        self.spool = spool
        self.identity = identity
        self.options = options
        self.log = log
        client = try IngestClient(settings: settings)
    }

    public var statistics: ShipperStatistics { counters.withLock { $0 } }

    /// Ships until the task is cancelled.
    public func run() async {
        var attempt = 0
        while !Task.isCancelled {
            let batch: [SpoolRecord]
            do {
                batch = try spool.peek(maxRecords: options.maxRecords, maxBytes: options.maxBytes)
            } catch {
                log("server: cannot read the spool: \(error)")
                await pause(options.backoff.cap)
                continue
            }
            if batch.isEmpty {
                await pause(options.idleInterval)
                continue
            }
            switch await deliver(batch, timeout: options.requestTimeout) {
            case .delivered:
                attempt = 0
            case .retry(let retryAfter):
                attempt += 1
                await pause(options.backoff.delay(attempt: attempt, retryAfter: retryAfter))
            case .unauthorized:
                await pause(options.backoff.cap)
            }
        }
    }

    /// Sends what the spool holds until it is empty or `timeout` seconds passed, without waiting between retries.
    /// - Returns: true when the spool is empty.
    public func drain(timeout: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0,
                  let batch = try? spool.peek(maxRecords: options.maxRecords, maxBytes: options.maxBytes) else {
                return spool.statistics.records == 0
            }
            if batch.isEmpty { return true }
            guard case .delivered = await deliver(batch, timeout: remaining) else {
                return spool.statistics.records == 0
            }
        }
    }

    /// Stops the HTTP client; call after `run()` returned and any `drain`.
    public func shutdown() async {
        await client.shutdown()
    }

    // MARK: - Delivery

    package enum Outcome: Equatable, Sendable {
        case delivered
        case retry(after: Double?)
        case unauthorized
    }

    package func deliver(_ records: [SpoolRecord], timeout: Double) async -> Outcome {
        let body = IngestRequestEncoder.encode(agent: identity, records: records)
        if body.count > options.maxRequestBytes, records.count > 1 {
            return await split(records, timeout: timeout)
        }
        let reply: IngestReply
        counters.withLock { $0.requests += 1 }
        do {
            reply = try await client.post(body, timeout: timeout)
        } catch {
            fail(Self.describe(error))
            return .retry(after: nil)
        }
        switch reply.status {
        case 200:
            return settle(records, reply)
        case 400, 413:
            guard records.count > 1 else {
                let record = records[0]
                log("server: rejected \(record.kind.wireName) record \(record.seq), dropped: \(reply.errorText)")
                counters.withLock { $0.rejected += 1 }
                acknowledge([record.seq])
                return .delivered
            }
            return await split(records, timeout: timeout)
        case 401, 403:
            fail(reply.errorText)
            if !unauthorizedSaid.exchange(true, ordering: .relaxed) {
                log("server: \(reply.errorText): the token is wrong, revoked or not an agent token; records stay in "
                    + "the spool, retried every \(Int(options.backoff.cap)) s")
            }
            return .unauthorized
        default:
            fail(reply.errorText)
            return .retry(after: reply.retryAfter)
        }
    }

    private func split(_ records: [SpoolRecord], timeout: Double) async -> Outcome {
        let middle = records.count / 2
        let first = await deliver(Array(records[..<middle]), timeout: timeout)
        guard case .delivered = first else { return first }
        return await deliver(Array(records[middle...]), timeout: timeout)
    }

    private func settle(_ records: [SpoolRecord], _ reply: IngestReply) -> Outcome {
        guard let results = reply.results else {
            fail("HTTP 200 without a results list")
            return .retry(after: nil)
        }
        let sent = Dictionary(records.map { ($0.seq, $0) }, uniquingKeysWith: { first, _ in first })
        var done: [UInt64] = []
        var stored = 0, duplicates = 0, rejected = 0
        for result in results {
            guard let record = sent[result.seq] else { continue }
            switch result.status {
            case "stored": stored += 1
            case "duplicate": duplicates += 1
            case "rejected":
                rejected += 1
                log("server: rejected \(record.kind.wireName) record \(record.seq), dropped: "
                    + (result.error ?? "no reason given"))
            default: continue
            }
            done.append(result.seq)
        }
        counters.withLock {
            $0.stored += stored
            $0.duplicates += duplicates
            $0.rejected += rejected
        }
        unauthorizedSaid.store(false, ordering: .relaxed)
        acknowledge(done)
        if done.count < records.count {
            fail("HTTP 200 answered \(done.count) of \(records.count) records")
            return .retry(after: nil)
        }
        return .delivered
    }

    private func acknowledge(_ seqs: [UInt64]) {
        do {
            try spool.ack(seqs)
        } catch {
            log("server: cannot update the spool: \(error)")
        }
    }

    private func fail(_ text: String) {
        counters.withLock {
            $0.failures += 1
            $0.lastError = text
        }
    }

    private func pause(_ seconds: Double) async {
        try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1e9))
    }

    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        if text.contains("Timeout") || text.contains("timeout") { return "timeout" }
        return text
    }
}

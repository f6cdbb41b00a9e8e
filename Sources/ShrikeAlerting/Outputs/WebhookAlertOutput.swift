import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import ShrikeCore
import ShrikeRules

/// Posts alerts as JSON to an HTTP(S) endpoint, like Falco's `http_output`, without ever holding up the sensor.
///
/// `emit` only appends to a bounded queue (`queueSize`, default 1,000); when it is full the **oldest** alert is
/// dropped and counted, so memory stays bounded however long the endpoint is away. A background thread drains the
/// queue one request at a time: a 2xx answer counts the alerts as sent; a connection error, a timeout, a 5xx, 408 or
/// 429 is retried after `initialBackoff` seconds doubling to `maxBackoff` (at most `retries` times, then the alerts
/// count as failed); any other answer (4xx, a redirect) fails them at once, counted as rejected. Redirects are not
/// followed. TLS trusts the system's CAs, or only those of `caFile` when given.
public final class WebhookAlertOutput: AlertOutput, @unchecked Sendable {
    // @unchecked: every mutable property is guarded by `condition`; `client` and `settings` are immutable.
    public let name: String
    public let settings: WebhookSettings
    private let client: HTTPClient
    private let logger: Logger
    private let condition = NSCondition()
    private var queue: AlertRing<Alert>
    private var statisticsValue: AlertOutputStatistics
    private var inFlight = 0
    private var closing = false
    private var drainDeadline = Date.distantFuture
    private var lastErrorValue: String?
    private var encoder = AlertJSONEncoder()
    private let finished = DispatchSemaphore(value: 0)

    /// Validates the settings, loads the CA file, and starts the delivery thread.
    ///
    /// Logs a warning (through `logger`) for plain http to a host other than loopback.
    /// - Throws: `ShrikeError(.usage)` for a bad URL or limit; `ShrikeError(.io)` naming the CA file when it cannot be
    ///   read or holds no certificate.
    public init(settings: WebhookSettings, logger: Logger = Logger(label: "shrike.alerts.webhook")) throws {
        try settings.validate()
        self.settings = settings
        self.logger = logger
        name = "webhook:" + WebhookSettings.redacted(settings.url)
        queue = AlertRing(capacity: settings.queueSize)
        statisticsValue = AlertOutputStatistics(name: name)

        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .milliseconds(Int64(settings.timeout * 1000)),
                                      read: .milliseconds(Int64(settings.timeout * 1000)))
        if let caFile = settings.caFile {
            configuration.tlsConfiguration = try TrustedCAFile.tlsConfiguration(caFile: caFile, purpose: "webhook")
        }
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        if settings.isInsecureRemote {
            logger.warning("webhook \(WebhookSettings.redacted(settings.url)) is plain http to a remote host: alerts cross the network unencrypted")
        }
        let thread = Thread { [self] in run() }
        thread.name = "shrike.alerts.webhook"
        thread.start()
    }

    /// The last delivery error (`HTTP 503`, `connection refused`), for the exit summary.
    public var lastError: String? { condition.withLock { lastErrorValue } }

    /// Alerts waiting in the queue (not counting a request in flight).
    public var queued: Int { condition.withLock { queue.count } }

    public func emit(_ alert: Alert) {
        condition.withLock {
            guard !closing else { return }
            statisticsValue.emitted += 1
            queue.append(alert)
            condition.signal()
        }
    }

    /// Waits until the queue is empty and no request is in flight, at most 10 seconds.
    public func flush() {
        flush(timeout: 10)
    }

    /// Waits until the queue is empty and no request is in flight, at most `timeout` seconds; true if it is.
    @discardableResult
    public func flush(timeout: Double) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        condition.lock()
        defer { condition.unlock() }
        while !(queue.isEmpty && inFlight == 0) {
            if !condition.wait(until: deadline) { return queue.isEmpty && inFlight == 0 }
        }
        return true
    }

    /// Stops taking alerts, keeps delivering the queue for up to `drainTimeout` seconds, then drops what is left
    /// (counted) and shuts the HTTP client down.
    public func close() {
        let alreadyClosing = condition.withLock {
            let was = closing
            if !closing {
                closing = true
                drainDeadline = Date().addingTimeInterval(settings.drainTimeout)
                condition.broadcast()
            }
            return was
        }
        guard !alreadyClosing else { return }
        _ = finished.wait(timeout: .now() + settings.drainTimeout + settings.timeout + 2)
    }

    public func statistics() -> AlertOutputStatistics {
        condition.withLock {
            var statistics = statisticsValue
            statistics.dropped = queue.dropped
            return statistics
        }
    }

    // MARK: - Delivery thread

    private func run() {
        while let batch = nextBatch() {
            deliver(batch)
            condition.withLock {
                inFlight = 0
                condition.broadcast()
            }
        }
        try? client.syncShutdown()
        finished.signal()
    }

    /// Blocks until there is work; nil once closing and the queue is empty or the drain time is over.
    private func nextBatch() -> [Alert]? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !closing { condition.wait() }
        if closing && (queue.isEmpty || Date() >= drainDeadline) {
            queue.dropAll()
            condition.broadcast()
            return nil
        }
        let batch = queue.removeFirst(upTo: settings.batchSize)
        inFlight = batch.count
        return batch
    }

    private enum Outcome { case delivered, retry(String), reject(String) }

    private func deliver(_ batch: [Alert]) {
        let body = condition.withLock { encode(batch) }
        var attempt = 0
        while true {
            switch post(body) {
            case .delivered:
                condition.withLock { statisticsValue.sent += batch.count }
                return
            case .reject(let reason):
                condition.withLock {
                    statisticsValue.failed += batch.count
                    statisticsValue.rejected += batch.count
                    lastErrorValue = reason
                }
                logger.warning("\(name) rejected \(batch.count) alert(s): \(reason)")
                return
            case .retry(let reason):
                attempt += 1
                let delay = settings.backoff(attempt: attempt)
                let giveUp = condition.withLock { () -> Bool in
                    lastErrorValue = reason
                    let pastDrain = closing && Date().addingTimeInterval(delay) >= drainDeadline
                    if attempt > settings.retries || pastDrain {
                        statisticsValue.failed += batch.count
                        return true
                    }
                    statisticsValue.retries += 1
                    return false
                }
                if giveUp {
                    logger.warning("\(name): giving up on \(batch.count) alert(s) after \(attempt) attempt(s): \(reason)")
                    return
                }
                sleep(seconds: delay)
            }
        }
    }

    /// Waits `seconds`, waking early only to notice the drain deadline.
    private func sleep(seconds: Double) {
        let until = Date().addingTimeInterval(seconds)
        condition.lock()
        defer { condition.unlock() }
        while Date() < until {
            let wake = min(until, drainDeadline)
            if !condition.wait(until: wake) && wake == drainDeadline { return }
            if closing && Date() >= drainDeadline { return }
        }
    }

    /// One JSON object, or a JSON array of them when batching. Called under `condition` (the encoder's cache).
    private func encode(_ batch: [Alert]) -> [UInt8] {
        var out: [UInt8] = []
        if settings.batchSize == 1, let only = batch.first {
            encoder.encode(only, into: &out)
            return out
        }
        out.append(UInt8(ascii: "["))
        for (index, alert) in batch.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            encoder.encode(alert, into: &out)
        }
        out.append(UInt8(ascii: "]"))
        return out
    }

    private func post(_ body: [UInt8]) -> Outcome {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "User-Agent", value: "shrike")
        for header in settings.headers { headers.replaceOrAdd(name: header.name, value: header.value) }
        do {
            let request = try HTTPClient.Request(url: settings.url, method: .POST, headers: headers,
                                                 body: .bytes(body))
            let deadline = NIODeadline.now() + .milliseconds(Int64(settings.timeout * 1000))
            let response = try client.execute(request: request, deadline: deadline).wait()
            let code = Int(response.status.code)
            switch code {
            case 200..<300: return .delivered
            case 408, 429, 500..<600: return .retry("HTTP \(code) \(response.status.reasonPhrase)")
            default: return .reject("HTTP \(code) \(response.status.reasonPhrase)")
            }
        } catch {
            let text = String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " ")
            return .retry(text)
        }
    }
}

import Foundation

/// The live feed's fan-out: every new alert goes to each subscribed page's stream. An ingest request's new alerts
/// travel as one event (one hand-off and one socket write per subscriber per request, not per alert, which is what
/// lets 50 pages follow 1,000 alerts/s), their JSON made once for all subscribers. Each subscriber has a bounded
/// buffer; one that falls `bufferSize` events behind is dropped (its stream ends and the page reconnects), so a
/// slow or stuck browser never grows the server's memory. At most `maxSubscribers` streams are open at once.
package actor ConsoleAlertFeed {
    /// An alert and the JSON of its row, as the stream sends it.
    package struct Live: Sendable {
        package let alert: ConsoleAlert
        package let json: String
    }

    package enum Event: Sendable {
        /// The new alerts of one ingest request, oldest first.
        case alerts([Live])
        /// A comment line every few seconds, so a dead connection is noticed and proxies keep the stream open.
        case keepalive
    }

    package let bufferSize: Int
    package let maxSubscribers: Int
    private var subscribers: [UInt64: AsyncStream<Event>.Continuation] = [:]
    private var nextID: UInt64 = 0
    /// Subscribers dropped for falling behind, since start.
    package private(set) var dropped = 0

    package init(bufferSize: Int = 256, maxSubscribers: Int = 512) {
        self.bufferSize = bufferSize
        self.maxSubscribers = maxSubscribers
    }

    package var subscriberCount: Int { subscribers.count }

    /// A new subscriber's id and stream; nil when `maxSubscribers` are already open.
    package func subscribe() -> (id: UInt64, events: AsyncStream<Event>)? {
        guard subscribers.count < maxSubscribers else { return nil }
        nextID += 1
        let id = nextID
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingOldest(bufferSize))
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(id) }
        }
        subscribers[id] = continuation
        return (id, stream)
    }

    package func unsubscribe(_ id: UInt64) {
        subscribers.removeValue(forKey: id)?.finish()
    }

    /// Sends `alerts` to every subscriber; drops those whose buffer is full.
    package func publish(_ alerts: [ConsoleAlert]) {
        guard !alerts.isEmpty else { return }
        send(.alerts(alerts.map { Live(alert: $0, json: $0.json) }))
    }

    package func keepalive() { send(.keepalive) }

    /// Ends every stream (the server is shutting down).
    package func close() {
        for continuation in subscribers.values { continuation.finish() }
        subscribers.removeAll()
    }

    private func send(_ event: Event) {
        for (id, continuation) in subscribers {
            switch continuation.yield(event) {
            case .enqueued: break
            case .dropped:
                dropped += 1
                subscribers.removeValue(forKey: id)
                continuation.finish()
            case .terminated: subscribers.removeValue(forKey: id)
            @unknown default: break
            }
        }
    }
}

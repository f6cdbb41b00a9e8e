import Prometheus

/// The server's Prometheus metrics (swift-prometheus), served at `/metrics` in the text format.
package final class ServerMetrics: Sendable {
    package let registry = PrometheusCollectorRegistry()
    private let authFailures: Counter
    private let rejectedBatches: Counter

    package init() {
        authFailures = registry.makeCounter(name: "shrike_server_auth_failures_total",
                                            help: "Requests refused for a missing, wrong or revoked token")
        rejectedBatches = registry.makeCounter(name: "shrike_server_rejected_batches_total",
                                               help: "Ingest requests refused as a whole (malformed, too large)")
    }

    func authFailure() { authFailures.increment() }
    func rejectedBatch() { rejectedBatches.increment() }

    /// Records of one kind ingested with one outcome (`stored`, `duplicate`, `rejected`).
    func ingested(_ kind: String, _ outcome: String, count: Int) {
        guard count > 0 else { return }
        registry.makeCounter(name: "shrike_server_ingested_records_total", labels: [("kind", kind), ("outcome", outcome)],
                             help: "Records agents sent, by kind and outcome").increment(by: Int64(count))
    }

    /// Records retention deleted.
    func evicted(_ counts: [RecordKind: Int]) {
        for (kind, count) in counts where count > 0 {
            registry.makeCounter(name: "shrike_server_evicted_records_total", labels: [("kind", kind.rawValue)],
                                 help: "Records deleted by retention (age or count bound), oldest first")
                .increment(by: Int64(count))
        }
    }

    /// The rows stored per kind, refreshed when `/metrics` is read.
    func stored(_ counts: [RecordKind: Int]) {
        for (kind, count) in counts {
            registry.makeGauge(name: "shrike_server_stored_records", labels: [("kind", kind.rawValue)],
                               help: "Records in the store, by kind").set(Double(count))
        }
    }

    func requestFinished(route: String, status: Int, seconds: Double) {
        registry.makeCounter(name: "shrike_server_requests_total", labels: [("route", route), ("status", String(status))],
                             help: "HTTP requests answered, by route and status").increment()
    }

    package func text() -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}

import Logging
import ShrikeRules
import Synchronization

/// Fans every alert out to the configured outputs, each behind its own minimum priority, and gathers their
/// statistics: the one object `shrike watch` hands alerts to.
///
/// Build it from output specs (`init(specs:…)`) or from ready routes. `emit` returns quickly whatever the outputs'
/// state (see `AlertOutput`); call `close()` once at exit, then print `statistics()`/`summaryLines()`.
///
/// With a `durable` route (the agent's spool) every alert goes there first and reaches the other outputs only once
/// it is durable: what a user saw printed is never an alert a `kill -9` kept from the server.
public final class AlertDispatcher: Sendable {
    /// Every route, the durable one last; statistics, `flush` and `close` follow this order.
    public let routes: [AlertRoute]
    private let durable: (any DurableAlertOutput)?
    /// The routes before the durable one: all of them without it.
    private let localCount: Int
    private let filtered: Mutex<[Int]>

    public init(routes: [AlertRoute]) {
        self.routes = routes
        durable = nil
        localCount = routes.count
        filtered = Mutex(Array(repeating: 0, count: routes.count))
    }

    /// Alerts go to `durable` first and to `routes` once `durable` holds them.
    public init(routes: [AlertRoute], durable: any DurableAlertOutput, minimumPriority: RulePriority?) {
        self.routes = routes + [AlertRoute(output: durable, minimumPriority: minimumPriority)]
        self.durable = durable
        localCount = routes.count
        filtered = Mutex(Array(repeating: 0, count: self.routes.count))
    }

    /// Opens one output per spec.
    ///
    /// - Parameters:
    ///   - specs: the outputs (an empty list means `stdout`).
    ///   - json: the format of `stdout` when its spec does not say (`--json`).
    ///   - color: colour text on stdout (decide with `AlertColorPolicy.useColor()`).
    ///   - minimumPriority: the default minimum for specs without their own.
    ///   - reopenSignal: what file outputs follow for log rotation; install its SIGHUP handler before alerts flow.
    /// - Throws: the first output that cannot open (`ShrikeError` naming its file, socket or URL); outputs opened
    ///   before it are closed again.
    public convenience init(specs: [AlertOutputSpec], json: Bool = false, color: Bool = false,
                            minimumPriority: RulePriority? = nil, reopenSignal: LogReopenSignal = .shared,
                            logger: Logger = Logger(label: "shrike.alerts")) throws {
        var routes: [AlertRoute] = []
        do {
            for spec in specs.isEmpty ? [AlertOutputSpec(destination: .stdout)] : specs {
                let output = try spec.makeOutput(json: json, color: color, reopenSignal: reopenSignal, logger: logger)
                routes.append(AlertRoute(output: output, minimumPriority: spec.minimumPriority ?? minimumPriority))
            }
        } catch {
            for route in routes { route.output.close() }
            throw error
        }
        self.init(routes: routes)
    }

    /// Hands `alert` to every output whose minimum priority it meets (with a durable route, to it first).
    public func emit(_ alert: Alert) {
        guard let durable else { return emitLocally(alert) }
        if routes[localCount].accepts(alert.priority) {
            durable.emit(alert) { [self] in emitLocally(alert) }
        } else {
            filtered.withLock { $0[localCount] += 1 }
            emitLocally(alert)
        }
    }

    private func emitLocally(_ alert: Alert) {
        var skipped: [Int] = []
        for (index, route) in routes[..<localCount].enumerated() {
            if route.accepts(alert.priority) {
                route.output.emit(alert)
            } else {
                skipped.append(index)
            }
        }
        if !skipped.isEmpty {
            filtered.withLock { counts in
                for index in skipped { counts[index] += 1 }
            }
        }
    }

    /// Waits until every output has written what it was given, bounded by each output's own timeout (a webhook
    /// waits up to 10 s for its queue; at exit prefer `close()`, which bounds that by the drain timeout).
    public func flush() {
        // The durable output first: what it still holds reaches the others when it is written.
        durable?.flush()
        for route in routes[..<localCount] { route.output.flush() }
    }

    /// Flushes and closes every output (a webhook keeps delivering its queue for its drain timeout first).
    public func close() {
        durable?.flush()
        for route in routes { route.output.close() }
    }

    /// Each output's counters, in route order.
    public func statistics() -> [AlertOutputStatistics] {
        let skipped = filtered.withLock { $0 }
        return routes.enumerated().map { index, route in
            var statistics = route.output.statistics()
            statistics.filtered = skipped[index]
            return statistics
        }
    }

    /// One line per output for the exit summary: `alerts webhook:https://… sent 10, failed 0, dropped 2`.
    public func summaryLines() -> [String] {
        statistics().map { "alerts " + $0.summary }
    }

    /// True once standard output was closed by its reader (`shrike watch | head`): the watch should end.
    public var standardOutputClosed: Bool {
        routes.contains { ($0.output as? StandardOutputAlertOutput)?.outputClosed == true }
    }
}

import Foundation
import Synchronization
import Testing
import ShrikeRules
@testable import ShrikeAlerting

/// The dispatcher fans each alert out to every output whose minimum priority it meets, and gathers statistics.
struct AlertDispatcherTests {
    final class RecordingOutput: AlertOutput {
        let name: String
        private let alerts = Mutex<[Alert]>([])
        private let closed = Atomic<Bool>(false)
        init(name: String) { self.name = name }
        func emit(_ alert: Alert) { alerts.withLock { $0.append(alert) } }
        func flush() {}
        func close() { closed.store(true, ordering: .relaxed) }
        var isClosed: Bool { closed.load(ordering: .relaxed) }
        var rules: [String] { alerts.withLock { $0.map(\.rule) } }
        func statistics() -> AlertOutputStatistics {
            var statistics = AlertOutputStatistics(name: name)
            statistics.emitted = alerts.withLock { $0.count }
            statistics.sent = statistics.emitted
            return statistics
        }
    }

    @Test("each output gets the alerts at or above its minimum priority")
    func routing() {
        let all = RecordingOutput(name: "all")
        let warnings = RecordingOutput(name: "warnings")
        let critical = RecordingOutput(name: "critical")
        let dispatcher = AlertDispatcher(routes: [
            AlertRoute(output: all),
            AlertRoute(output: warnings, minimumPriority: .warning),
            AlertRoute(output: critical, minimumPriority: .critical),
        ])
        for priority in RulePriority.allCases {
            dispatcher.emit(AlertFixtures.alert(rule: priority.name, priority: priority))
        }
        #expect(all.rules.count == 8)
        #expect(warnings.rules == ["Emergency", "Alert", "Critical", "Error", "Warning"])
        #expect(critical.rules == ["Emergency", "Alert", "Critical"])
        let statistics = dispatcher.statistics()
        #expect(statistics.map(\.filtered) == [0, 3, 5])
        #expect(statistics.map(\.sent) == [8, 5, 3])
        dispatcher.close()
        #expect(all.isClosed && warnings.isClosed && critical.isClosed)
        #expect(dispatcher.summaryLines()[1] == "alerts warnings: sent 5, failed 0, dropped 0, below min priority 3")
    }

    @Test("built from specs: a default minimum applies where a spec has none; no spec means stdout")
    func fromSpecs() throws {
        let directory = try AlertFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let specs = [try AlertOutputSpec(parsing: "file:\(directory)/all.json#min-priority=debug"),
                     try AlertOutputSpec(parsing: "file:\(directory)/default.json")]
        let dispatcher = try AlertDispatcher(specs: specs, minimumPriority: .error, reopenSignal: LogReopenSignal())
        #expect(dispatcher.routes.map(\.minimumPriority) == [.debug, .error])
        dispatcher.emit(AlertFixtures.alert(priority: .notice))
        dispatcher.emit(AlertFixtures.alert(priority: .critical))
        dispatcher.close()
        #expect(dispatcher.statistics().map(\.sent) == [2, 1])

        let standard = try AlertDispatcher(specs: [], json: true)
        #expect(standard.routes.map(\.output.name) == ["stdout:json"])
        standard.close()
    }

    @Test("when one output cannot open, the error names it and nothing stays open")
    func failingSpec() throws {
        #expect(throws: (any Error).self) {
            _ = try AlertDispatcher(specs: [try AlertOutputSpec(parsing: "stdout"),
                                            try AlertOutputSpec(parsing: "file:/nonexistent-shrike-dir/a.json")])
        }
    }
}

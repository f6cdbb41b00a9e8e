import Foundation
import ShrikeCore
import Synchronization

/// `make bench`'s store measurement (`shrike server bench-store`): alerts ingested through `ServerStore.ingest` in
/// batches from many simulated agents, then `alerts(rule:)` queried over everything stored.
package enum StoreBenchmark {
    package struct Result: Sendable, Codable {
        package var engine: String
        package var agents: Int
        package var batchSize: Int
        package var concurrency: Int
        package var alerts: Int
        package var ingestSeconds: Double
        package var alertsPerSecond: Double
        package var storedAlerts: Int
        package var queries: Int
        package var queryP50Milliseconds: Double
        package var queryP95Milliseconds: Double
        package var queryMaxMilliseconds: Double
    }

    /// Ingests `alerts` alerts (round-robin over `agents` agents, `batchSize` per batch, `concurrency` batches in
    /// flight), then runs `queries` random `alerts(rule:)` queries (a page of 100 each) and times them.
    package static func run(store: any ServerStore, engine: String, alerts: Int, agents: Int = 100,
                            batchSize: Int = 500, concurrency: Int = 8, queries: Int = 500,
                            progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Result {
        let rules = (0..<40).map { "Bench rule \($0)" }
        let batches = (alerts + batchSize - 1) / batchSize
        let next = Counter()
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<max(1, concurrency) {
                group.addTask {
                    while let batch = next.take(below: batches) {
                        let agent = batch % agents
                        // Each agent's batches carry consecutive seqs, as a real agent's spool does.
                        let firstSeq = Int64(batch / agents) * Int64(batchSize) + 1
                        let count = min(batchSize, alerts - batch * batchSize)
                        let records = (0..<count).map { index in
                            record(seq: firstSeq + Int64(index), agent: agent, rule: rules[(batch * 7 + index) % rules.count])
                        }
                        let stored = try await store.ingest(agent: "agent-\(agent)", records: records, receivedAt: Date())
                        guard stored.allSatisfy({ $0 }) else {
                            throw ShrikeError(.io, "the benchmark's batch \(batch) had duplicates: not a fresh database")
                        }
                        if batch % 200 == 0 { progress("ingested \(batch * batchSize) of \(alerts)") }
                    }
                }
            }
            try await group.waitForAll()
        }
        let ingest = start.duration(to: .now)
        let ingestSeconds = Double(ingest.components.seconds) + Double(ingest.components.attoseconds) / 1e18
        let stored = try await store.counts()[.alert] ?? 0

        var times: [Double] = []
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<queries {
            let rule = rules[Int.random(in: 0..<rules.count, using: &generator)]
            let began = ContinuousClock.now
            let page = try await store.alerts(AlertQuery(rule: rule, limit: 100))
            let took = began.duration(to: .now)
            guard !page.items.isEmpty else { throw ShrikeError(.io, "no alerts of \(rule) came back") }
            times.append(Double(took.components.seconds) * 1e3 + Double(took.components.attoseconds) / 1e15)
        }
        times.sort()
        func percentile(_ p: Double) -> Double { times.isEmpty ? 0 : times[min(times.count - 1, Int(Double(times.count) * p))] }
        return Result(engine: engine, agents: agents, batchSize: batchSize, concurrency: concurrency, alerts: alerts,
                      ingestSeconds: ingestSeconds, alertsPerSecond: Double(alerts) / max(ingestSeconds, 1e-9),
                      storedAlerts: stored, queries: queries, queryP50Milliseconds: percentile(0.5),
                      queryP95Milliseconds: percentile(0.95), queryMaxMilliseconds: times.last ?? 0)
    }

    /// An alert as `shrike watch --json` writes it (about 700 bytes), checked as the API would.
    static func record(seq: Int64, agent: Int, rule: String) -> IngestRecord {
        let time = Int64(Date().timeIntervalSince1970 * 1e9) + seq
        let container = String(format: "%012x", agent * 7919 + Int(seq % 13))
        let body = #"{"hostname":"node-\#(agent)","incident":null,"output":"10:00:00.123456789: Warning \#(rule) "#
            + #"(user=root user_loginuid=-1 process=sh parent=runc command=sh -c id container_id=\#(container) "#
            + #"image=docker.io/library/alpine)","output_fields":{"container.id":"\#(container)","#
            + #""container.image.repository":"docker.io/library/alpine","container.name":"web-\#(seq % 13)","#
            + #""evt.time":\#(time),"proc.cmdline":"sh -c id","proc.name":"sh","proc.pid":\#(seq % 32768),"#
            + #""proc.pname":"runc","user.loginuid":-1,"user.name":"root"},"priority":"Warning","rule":"\#(rule)","#
            + #""source":"syscall","tags":["container","mitre_execution","shell"],"time":"2026-12-07T10:00:00.123456789Z"}"#
        let facts = AlertFacts(time: time, rule: rule, priority: 4, hostname: "node-\(agent)", containerID: container,
                               containerName: "web-\(seq % 13)", incident: nil)
        return IngestRecord(seq: seq, payload: .alert(facts), body: Data(body.utf8))
    }

    /// Hands out batch numbers to the concurrent senders.
    private final class Counter: Sendable {
        private let value = Mutex(0)

        func take(below limit: Int) -> Int? {
            value.withLock { value in
                guard value < limit else { return nil }
                value += 1
                return value - 1
            }
        }
    }
}

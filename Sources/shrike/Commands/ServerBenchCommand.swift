import ArgumentParser
import Foundation
import ShrikeCore
import ShrikeServer

/// `make bench`'s store measurement (bench/server_bench.sh); hidden from help. Needs an empty database.
struct ServerBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-store", abstract: "Measure a store engine: ingest throughput and alerts(rule:) latency.",
        shouldDisplay: false)

    @OptionGroup var database: ServerDatabaseOptions

    @Option(name: .customLong("alerts"), help: "Alerts to ingest (the store then holds this many).")
    var alerts = 1_000_000

    @Option(name: .customLong("agents"), help: "Simulated agents.")
    var agents = 100

    @Option(name: .customLong("batch"), help: "Alerts per ingest batch.")
    var batch = 500

    @Option(name: .customLong("concurrency"), help: "Batches in flight at once.")
    var concurrency = 8

    @Option(name: .customLong("queries"), help: "alerts(rule:) queries to time.")
    var queries = 500

    func validate() throws {
        if alerts < 1 || agents < 1 || batch < 1 || concurrency < 1 || queries < 1 {
            throw ValidationError("--alerts, --agents, --batch, --concurrency and --queries must be positive")
        }
    }

    func run() async throws {
        try await CommandFailure.run {
            let location = try database.location()
            let store = try await location.open()
            let engine = if case .sqlite = location { "sqlite" } else { "postgres" }
            let result = try await StoreBenchmark.run(
                store: store, engine: engine, alerts: alerts, agents: agents, batchSize: batch,
                concurrency: concurrency, queries: queries,
                progress: { Terminal.write("shrike: bench-store: \($0)\n", to: 2) })
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            Terminal.write(bytes: Array(try encoder.encode(result)) + [0x0A])
        }
    }
}

import ArgumentParser
import Foundation
import ShrikeAgent

/// `make bench`'s spool measurement (bench/spool_bench.sh); hidden from help.
struct SpoolBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-spool", abstract: "Measure the agent's spool: append (fsync per batch) and drain.",
        shouldDisplay: false)

    @Option(name: .customLong("records"), help: "Records to append.")
    var records = 100_000

    @Option(name: .customLong("body-bytes"), help: "Bytes per record body (an alert is about 1 KB).")
    var bodyBytes = 1_000

    @Option(name: .customLong("batch"), help: "Records per append (one fsync each).")
    var batch = 100

    @Option(name: .customLong("spool-dir"), help: "Where to put the spool (default: a temporary folder, removed).")
    var directory: String?

    func validate() throws {
        if records < 1 || bodyBytes < 64 || batch < 1 {
            throw ValidationError("--records and --batch must be positive, --body-bytes at least 64")
        }
    }

    func run() async throws {
        try await CommandFailure.run {
            let folder = directory ?? FileManager.default.temporaryDirectory
                .appendingPathComponent("shrike-spool-bench-\(getpid())").path
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let result = try SpoolBenchmark.run(records: records, bodyBytes: bodyBytes, batch: batch,
                                                directory: folder, maxBytes: max(Int(1) << 30, records * (bodyBytes + 64)))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try OutputFile.write(Array(try encoder.encode(result)) + [0x0A], to: nil)
        }
    }
}

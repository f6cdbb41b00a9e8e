import ArgumentParser
import Foundation
import ShrikeCore
import ShrikeRecorder

/// `make bench`'s recorder measurement; hidden from help.
struct IncidentsBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-record", abstract: "Measure the flight recorder on a synthetic event stream.",
        shouldDisplay: false)

    @Option(name: .customLong("rate"), help: "Events per second of the synthetic stream.")
    var rate = 50_000

    @Option(name: .customLong("seconds"), help: "Seconds of stream (event time, fed as fast as possible).")
    var seconds: Double = 60

    @Option(name: .customLong("after"), help: "The incident's after-window in seconds.")
    var after: Double = 5

    @Option(name: .customLong("record-max-bytes"), help: "The flight recorder's budget (e.g. 64M).")
    var maxBytes = "64M"

    @Flag(name: .customLong("json"), help: "Print the figures as JSON.")
    var json = false

    func validate() throws {
        if rate < 1 { throw ValidationError("--rate must be positive") }
        if seconds <= 0 { throw ValidationError("--seconds must be positive") }
        if ByteCount.parse(maxBytes) == nil { throw ValidationError("--record-max-bytes must be a size like 64M") }
    }

    func run() async throws {
        try await CommandFailure.run {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-bench-\(getpid())").path
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let result = try RecorderBenchmark.run(rate: rate, seconds: seconds, after: after, recordDirectory: directory,
                                                   maxRecordBytes: Int(ByteCount.parse(maxBytes) ?? 64 << 20))
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                Terminal.write(bytes: Array(try encoder.encode(result)) + [0x0A])
                return
            }
            let mib = { (bytes: Int) in String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
            Terminal.write("""
                stream:        \(result.events) events (\(result.rate)/s for \(result.seconds) s of event time)
                cpu off:       \(String(format: "%.2f", result.cpuSecondsWithoutRecorder)) s (stream generation only)
                cpu on:        \(String(format: "%.2f", result.cpuSecondsWithRecorder)) s
                recorder:      \(String(format: "%.2f", result.recorderMicrosecondsPerEvent)) µs/event = \(String(format: "%.1f", result.recorderCoreShareAtRate * 100)) % of a core at \(result.rate)/s
                peak RSS:      \(mib(result.peakRSSBytesWithoutRecorder)) off, \(mib(result.peakRSSBytesWithRecorder)) on
                ring:          \(result.ring.events) events, \(mib(result.ring.bytes)), span \(String(format: "%.1f", Double(result.ring.spanNanoseconds) / 1e9)) s, \(String(format: "%.1f", result.ring.bytesPerEvent)) B/event (\(result.ring.strings) strings, \(result.ring.processes) processes, \(result.ring.details) details; evicted \(result.ring.evictedForTime) for time, \(result.ring.evictedForBytes) for bytes)
                incident:      \(result.incidentEvents) events, \(result.incidentBytes) bytes stored
                close→written: \(String(format: "%.1f", result.closeToWrittenMilliseconds)) ms

                """)
        }
    }
}

import Foundation
import ShrikeRules
import ShrikeSensor

/// Feeds a synthetic stream through the recorder and measures its cost: CPU time with and without the recorder,
/// peak RSS, the flight recorder's bytes per event, and the time from an incident's end to its being on disk.
public enum RecorderBenchmark {
    public struct Result: Sendable, Codable {
        public var rate: Int
        public var seconds: Double
        public var events: Int
        public var cpuSecondsWithoutRecorder: Double
        public var cpuSecondsWithRecorder: Double
        /// Extra CPU per event the recorder costs, in microseconds.
        public var recorderMicrosecondsPerEvent: Double
        /// The share of one core the recorder takes at `rate`.
        public var recorderCoreShareAtRate: Double
        public var peakRSSBytesWithoutRecorder: Int
        public var peakRSSBytesWithRecorder: Int
        public var ring: FlightRecorderStatistics
        public var incidentEvents: Int
        public var incidentBytes: Int
        /// From the tick that closed the incident (its after-window over) to the incident written.
        public var closeToWrittenMilliseconds: Double
    }

    public static func run(rate: Int, seconds: Double, after: Double = 5, recordDirectory: String,
                           maxRecordBytes: Int = 64 << 20) throws -> Result {
        let total = Int(Double(rate) * seconds)
        // Without the recorder: the same stream, consumed by a trivial checksum so it is not optimised away.
        let cpu0 = cpuSeconds()
        var stream = SyntheticEventStream(rate: rate)
        var checksum: UInt64 = 0
        for _ in 0..<total { checksum &+= stream.next().time }
        let cpuOff = cpuSeconds() - cpu0
        let rssOff = peakRSS()

        let saved = SavedSignal()
        let configuration = RecorderConfiguration(recordDirectory: recordDirectory, before: 30, after: after,
                                                  window: 60, maxRecordBytes: maxRecordBytes, seed: 1,
                                                  onSaved: { summary in saved.fire(summary) })
        let recorder = try Recorder(configuration: configuration)
        let cpu1 = cpuSeconds()
        stream = SyntheticEventStream(rate: rate)
        let alertAt = max(total - Int(Double(rate) * after) - rate, total / 2)
        var closeStarted: Date?
        for index in 0..<total {
            let event = stream.next()
            checksum &+= event.time
            recorder.record(event)
            if index == alertAt {
                let alert = Alert(time: event.time, rule: "Benchmark alert", priority: .warning,
                                  output: "synthetic", hostname: "bench", event: event)
                _ = recorder.alert(alert)
            }
        }
        let cpuOn = cpuSeconds() - cpu1
        let stats = recorder.statistics
        // Close it the way `shrike watch` would: a tick past its after-window.
        closeStarted = Date()
        recorder.tick(now: stream.start + UInt64(seconds * 1e9) + UInt64(after * 1e9) + 1_000_000_000)
        recorder.waitForWrites()
        // The peak includes writing the incident (encoding and compressing it), not only holding the window.
        let rssOn = peakRSS()
        let summary = saved.summary
        let latency = (saved.at ?? Date()).timeIntervalSince(closeStarted ?? Date()) * 1000
        recorder.shutdown()
        _ = checksum
        return Result(rate: rate, seconds: seconds, events: total, cpuSecondsWithoutRecorder: cpuOff,
                      cpuSecondsWithRecorder: cpuOn,
                      recorderMicrosecondsPerEvent: max(cpuOn - cpuOff, 0) / Double(max(total, 1)) * 1e6,
                      recorderCoreShareAtRate: max(cpuOn - cpuOff, 0) / Double(max(total, 1)) * Double(rate),
                      peakRSSBytesWithoutRecorder: rssOff, peakRSSBytesWithRecorder: rssOn, ring: stats,
                      incidentEvents: summary?.eventCount ?? 0, incidentBytes: summary?.bytes ?? 0,
                      closeToWrittenMilliseconds: latency)
    }

    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
    }

    /// Peak resident set size of this process so far, in bytes.
    static func peakRSS() -> Int {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return Int(usage.ru_maxrss) * 1024
    }
}

/// The first incident written, and when; set from the persistence queue.
final class SavedSignal: @unchecked Sendable {
    // @unchecked: every access goes through `lock`.
    private let lock = NSLock()
    private var stored: (IncidentSummary, Date)?

    func fire(_ summary: IncidentSummary) {
        lock.withLock { if stored == nil { stored = (summary, Date()) } }
    }

    var summary: IncidentSummary? { lock.withLock { stored?.0 } }
    var at: Date? { lock.withLock { stored?.1 } }
}

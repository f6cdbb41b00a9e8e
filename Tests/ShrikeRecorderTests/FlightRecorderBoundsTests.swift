import Foundation
import Testing
import ShrikeSensor
@testable import ShrikeRecorder

@Suite("Flight recorder bounds")
struct FlightRecorderBoundsTests {
    typealias F = EventFixtures

    @Test func evictsEventsOlderThanTheWindow() {
        var ring = FlightRecorder(window: 10, maxBytes: 64 << 20)
        let shell = F.process(100, ppid: 1, name: "bash")
        for second in 0..<30 {
            ring.append(F.open(shell, "/etc/file\(second)", at: Double(second)))
        }
        let events = ring.events()
        // Newest is 29 s; everything before 19 s is gone.
        #expect(events.first?.time == F.at(19))
        #expect(events.count == 11)
        #expect(ring.span == 10 * F.second)
        #expect(ring.statistics.evictedForTime == 19)
        #expect(ring.count == 11)
    }

    @Test func evictsOldestFirstWhenOverTheByteBudget() {
        var ring = FlightRecorder(window: 3600, maxBytes: 1 << 20)
        var stream = SyntheticEventStream(rate: 10_000)
        for _ in 0..<200_000 { ring.append(stream.next()) }
        #expect(ring.bytes <= 1 << 20)
        #expect(ring.statistics.evictedForBytes > 0)
        #expect(ring.statistics.evictedForTime == 0)
        // What is left is the newest: the last event of the stream is still there and the oldest moved forward.
        let events = ring.events()
        #expect(events.last?.time == stream.start + UInt64(199_999) * 100_000)
        #expect((ring.oldestTime ?? 0) > stream.start)
        #expect(events.count == ring.count)
    }

    @Test func outOfOrderAndFarApartTimesStartNewChunks() {
        var ring = FlightRecorder(window: 3600, maxBytes: 64 << 20)
        let shell = F.process(100, ppid: 1, name: "bash")
        for time in [10.0, 9.5, 100.0, 99.9, 3000.0] {
            ring.append(F.open(shell, "/tmp/x", at: time))
        }
        #expect(ring.events().map(\.time).sorted() == [9.5, 10, 99.9, 100, 3000].map(F.at))
    }

    /// 100,000 events/s, twice: once the time window binds (5 s of a 15 s stream kept), once the byte budget does
    /// (4 MiB hold less than the window); the oldest go first either way, and the resident memory the ring adds is
    /// measured and printed (not asserted: other suites allocate in parallel).
    @Test(arguments: [(window: 5.0, budget: 64 << 20), (window: 60.0, budget: 4 << 20)])
    func boundsHoldAtOneHundredThousandEventsASecond(window: Double, budget: Int) throws {
        let rssBefore = Self.residentBytes()
        var ring = FlightRecorder(window: window, maxBytes: budget)
        var stream = SyntheticEventStream(rate: 100_000)
        var peakBytes = 0
        for index in 0..<1_500_000 {
            ring.append(stream.next())
            if index % 10_000 == 0 { peakBytes = max(peakBytes, ring.bytes) }
        }
        let stats = ring.statistics
        print("flight recorder at 100,000 events/s (window \(window) s, budget \(budget >> 20) MiB): \(stats.events) events held in \(stats.bytes) bytes, resident memory +\((Self.residentBytes() - rssBefore) >> 20) MiB; evicted \(stats.evictedForTime) for time, \(stats.evictedForBytes) for bytes")
        #expect(peakBytes <= budget)
        #expect(stats.bytes <= budget)
        let newest = stream.start + UInt64(1_499_999) * 10_000
        #expect(ring.newestTime == newest)
        #expect(ring.events(from: newest).count == 1, "the newest event is kept")
        if budget == 64 << 20 {
            #expect(stats.spanNanoseconds <= UInt64(window * 1e9))
            #expect(stats.evictedForTime >= 1_000_000 - 1)
            #expect(stats.evictedForBytes == 0)
        } else {
            #expect(stats.evictedForBytes > 0)
            #expect(stats.spanNanoseconds < UInt64(window * 1e9))
        }
        #expect(stats.events + stats.evictedForTime + stats.evictedForBytes == 1_500_000)
    }

    static func residentBytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
              let pages = status.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// 50,000 events/s for 60 s must fit 64 MiB; prints the bytes per event for the report.
    @Test func threeMillionEventsFitTheDefaultBudget() {
        var ring = FlightRecorder()
        var stream = SyntheticEventStream(rate: 50_000)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            for _ in 0..<3_000_000 { ring.append(stream.next()) }
        }
        let stats = ring.statistics
        print("flight recorder: \(stats.events) events in \(stats.bytes) bytes = \(String(format: "%.1f", stats.bytesPerEvent)) bytes/event; span \(Double(stats.spanNanoseconds) / 1e9) s; \(stats.strings) strings, \(stats.processes) processes, \(stats.details) details; \(elapsed)")
        #expect(stats.bytes <= 64 << 20)
        #expect(stats.evictedForBytes == 0, "the 60 s window should fit 64 MiB at 50,000 events/s")
        #expect(stats.events >= 2_999_000)
        // Packed records (`PackedRecords`): ~10 bytes a record plus the interned tables; fixed 20-byte records
        // measured 21.9 here.
        #expect(stats.bytesPerEvent < 13)
    }
}

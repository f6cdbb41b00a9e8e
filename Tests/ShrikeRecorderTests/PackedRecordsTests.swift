import Foundation
import Testing
import ShrikeCore
import ShrikeSensor
@testable import ShrikeRecorder

@Suite("Packed records")
struct PackedRecordsTests {
    typealias F = EventFixtures

    static let extremes: [(UInt64, RingRecord)] = [
        (1_795_946_400_000_000_000, RingRecord(process: 1, detail: 0, ret: 0, type: 0, fd: 3)),
        // Slightly older than the previous one: events from two CPUs arrive nearly, not exactly, in order.
        (1_795_946_399_999_990_000, RingRecord(process: 2, detail: 7, ret: -2, type: 1, fd: EventTables.noRecordFD)),
        (1_795_946_400_000_000_001, RingRecord(process: .max, detail: .max, ret: .max, type: .max, fd: 0)),
        (1_795_946_400_000_000_001, RingRecord(process: 0, detail: 0, ret: .min, type: 0, fd: 65534)),
        (0, RingRecord(process: 5, detail: 5, ret: -1, type: 3, fd: 1)),
        (.max, RingRecord(process: 5, detail: 5, ret: 1, type: 3, fd: 1)),
    ]

    @Test func recordsComeBackExactlyInOrder() {
        var packed = PackedRecords(startTime: Self.extremes[0].0)
        for (time, record) in Self.extremes { packed.append(time: time, record) }
        #expect(packed.count == Self.extremes.count)
        var cursor = packed.start
        var read: [(UInt64, RingRecord)] = []
        while let (time, record) = packed.read(&cursor) { read.append((time, record)) }
        #expect(read.count == Self.extremes.count)
        for (got, want) in zip(read, Self.extremes) {
            #expect(got.0 == want.0)
            #expect(got.1 == want.1)
        }
        #expect(cursor.offset == packed.end.offset)
        #expect(packed.time(at: packed.start) == Self.extremes[0].0)
        #expect(packed.time(at: cursor) == nil)
    }

    @Test func aTypicalRecordTakesAboutTenBytes() {
        var packed = PackedRecords(startTime: F.t0)
        // 50,000 events/s (20 µs apart), a few thousand processes and details, small fds and return values.
        for index in 0..<10_000 {
            packed.append(time: F.t0 + UInt64(index) * 20_000,
                          RingRecord(process: UInt32(index % 3000), detail: UInt32(index % 8000), ret: 3, type: 4,
                                     fd: UInt16(3 + index % 20)))
        }
        #expect(packed.bytes.count <= 10 * 10_000)
        #expect(packed.bytes.count >= 8 * 10_000)
    }

    @Test func sessionIDsPrivilegeAndMemfdSurviveTheRingAndTheStore() throws {
        var container = F.web
        container.privileged = true
        var inContainer = F.process(4242, ppid: 4000, name: "nginx", container: container)
        inContainer.sid = 4000
        inContainer.pgid = 4242
        var fileless = F.process(900, ppid: 1, name: "3")
        fileless.exeFromMemfd = true
        fileless.sid = -1
        var unprivileged = F.db
        unprivileged.privileged = false
        let plain = F.process(31, ppid: 1, name: "postgres", container: unprivileged)
        let events = [F.exec(inContainer, at: 0), F.exec(fileless, at: 0.1), F.open(plain, "/x", ret: 70_000, at: 0.2),
                      F.open(plain, "/x", ret: 4, at: 0.3)]
        var ring = FlightRecorder()
        for event in events { ring.append(event) }
        let fromRing = ring.events()
        let stored = try EventLogCodec.decode(EventLogCodec.encode(EventLog(events)), what: "t").events
        for back in [fromRing, stored] {
            #expect(back.count == events.count)
            for (a, b) in zip(events, back) { #expect(F.same(a, b), "\(a.type) \(a.process.name)") }
        }
        #expect(stored[0].process.container.privileged == true)
        #expect(stored[2].process.container.privileged == false)
        #expect(stored[1].process.exeFromMemfd)
        #expect(stored[0].process.sid == 4000 && stored[0].process.pgid == 4242)
    }

    /// An alert copies the ring's history record by record (ids translated, no events rebuilt): the copy must hold
    /// exactly the events the ring does, in order, with strings and processes shared as before.
    @Test func ringRecordsCopyIntoAnIncidentLogUnchanged() {
        var ring = FlightRecorder()
        let events = InterningTests.sampleEvents() + InterningTests.sampleEvents().map { event in
            var later = event
            later.time += 10 * F.second
            return later
        }
        for event in events { ring.append(event) }
        var log = EventLog()
        var translation = EventLog.RingTranslation()
        ring.forEach(from: 0) { log.append($0, from: ring, translation: &translation) }
        let copied = log.events
        #expect(copied.count == events.count)
        for (a, b) in zip(events, copied) { #expect(F.same(a, b), "\(a.type)") }
        // Each distinct process and string once, as if the events had been appended one by one.
        let direct = EventLog(events)
        #expect(log.tables.processes.count == direct.tables.processes.count)
        #expect(log.tables.strings.count == direct.tables.strings.count)
        let stored = try? EventLogCodec.decode(EventLogCodec.encode(log), what: "t").events
        #expect(stored?.count == events.count)
    }

    /// Compressing the log's parts one after the other (no joined copy, a small output window) gives a blob that
    /// decompresses to exactly the joined encoding, for logs from empty to larger than the window many times over.
    @Test(arguments: [0, 1, 5_000, 200_000])
    func streamedCompressionMatchesTheWholeEncoding(events count: Int) throws {
        var stream = SyntheticEventStream(rate: 50_000)
        let log = EventLog((0..<count).map { _ in stream.next() })
        let blob = try ZlibBlob.compress(parts: EventLogCodec.encodeParts(log))
        let whole = EventLogCodec.encode(log)
        #expect(try ZlibBlob.decompress(blob, what: "t") == whole)
        #expect(try ZlibBlob.decompress(ZlibBlob.compress(parts: []), what: "t").isEmpty)
        #expect(try ZlibBlob.decompress(try ZlibBlob.compress(parts: [[], [1, 2, 3], []]), what: "t") == [1, 2, 3])
        let decoded = try EventLogCodec.decode(ZlibBlob.decompress(blob, what: "t"), what: "t")
        #expect(decoded.count == count)
        // Many chunks at 200,000 events: times stay continuous across chunk boundaries.
        #expect(decoded.events.map(\.time) == log.events.map(\.time))
        #expect(count < 200_000 || log.chunks.count > 1)
    }

    /// The version-1 layout (before session ids and per-record fds), written by hand: incidents stored by earlier
    /// versions must still open.
    @Test func versionOneLogsStillDecode() throws {
        var bytes = Array("SHRKEV1\n".utf8)
        func varint(_ value: UInt64) { Varint.write(value, to: &bytes) }
        func signed(_ value: Int64) { Varint.writeSigned(value, to: &bytes) }
        func string(_ text: String) { varint(UInt64(text.utf8.count)); bytes += Array(text.utf8) }
        varint(4)  // id limit
        varint(3)  // strings
        for (id, text) in [(1, "sh"), (2, "/bin/sh"), (3, "/etc/passwd")] { varint(UInt64(id)); string(text) }
        varint(1)  // types
        string("openat")
        bytes.append(EventCategoryCode.file.rawValue)
        varint(1)  // processes
        varint(1)
        for value: Int64 in [12, 12, 1] { signed(value) }
        for value: UInt64 in [0, 0, 1000, 0] { varint(value) }
        for value: UInt64 in [1, 2, 1, 0, 0, 0, 0, 0, 0] { varint(value) }  // name exe args cmdline cwd container…
        varint(1)  // details
        varint(1)
        varint(UInt64(PackedDetail.Presence([.file, .fileFD]).rawValue))
        varint(3)  // path
        varint(0)  // target
        signed(0)  // flags
        varint(0)  // mode
        signed(5)  // fd
        signed(0); bytes.append(0); varint(0); varint(0); signed(0); signed(0)  // no network part
        varint(0)  // arguments
        varint(1)  // records
        signed(Int64(F.t0))
        varint(1); varint(1); signed(5); varint(0)
        let events = try EventLogCodec.decode(bytes, what: "v1").events
        #expect(events.count == 1)
        #expect(events.first?.time == F.t0)
        #expect(events.first?.file?.path == "/etc/passwd")
        #expect(events.first?.file?.fd == 5)
        #expect(events.first?.process.exe == "/bin/sh")
        #expect(events.first?.process.sid == 0)
    }
}

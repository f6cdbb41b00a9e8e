import Foundation
import Testing
import ShrikeCore
import ShrikeSensor
@testable import ShrikeRecorder

@Suite("Incident persistence")
struct IncidentPersistenceTests {
    typealias F = EventFixtures

    static func configuration(_ directory: String, maxStoreBytes: Int64 = 1 << 30) -> RecorderConfiguration {
        RecorderConfiguration(recordDirectory: directory, before: 5, after: 2, maxStoreBytes: maxStoreBytes, seed: 9)
    }

    @Test func incidentsSurviveANewRecorder() throws {
        let directory = F.temporaryDirectory("restart")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let shell = F.process(100, ppid: 1, name: "bash")
        let writer = F.process(101, ppid: 100, name: "tee", args: ["tee", "/usr/local/bin/x"])
        let id: String
        do {
            let recorder = try Recorder(configuration: Self.configuration(directory))
            recorder.record(F.exec(shell, at: 0))
            recorder.record(F.fork(shell, child: 101, at: 0.5))
            recorder.record(F.exec(writer, at: 0.6))
            let write = F.open(writer, "/usr/local/bin/x", flags: 0o1101, mode: 0o755, at: 1)
            recorder.record(write)
            id = recorder.alert(F.alert(write))
            recorder.record(F.exit(writer, at: 1.5))
            recorder.tick(now: F.at(10))
            recorder.waitForWrites()
            #expect(recorder.openIncidents.isEmpty)
            recorder.shutdown()
        }
        let store = try IncidentStore(directory: directory, create: false)
        let listed = try store.list()
        #expect(listed.map(\.id) == [id])
        #expect(listed.first?.eventCount == 5)
        #expect(listed.first?.closedEarly == false)
        #expect((listed.first?.bytes ?? 0) > 0)
        let loaded = try store.load(id: id)
        #expect(loaded.alerts.map(\.rule) == ["Write below binary dir"])
        #expect(loaded.events.map(\.type) == ["execve", "fork", "execve", "openat", "exit"])
        #expect(loaded.events[3].file == FileActivity(path: "/usr/local/bin/x", flags: 0o1101, mode: 0o755, fd: 3))
        #expect(loaded.events[2].process.cmdline == "tee /usr/local/bin/x")
    }

    @Test func shutdownSavesOpenIncidents() throws {
        let directory = F.temporaryDirectory("shutdown")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let recorder = try Recorder(configuration: Self.configuration(directory))
        let shell = F.process(100, ppid: 1, name: "bash")
        let write = F.open(shell, "/usr/bin/x", flags: 0o101, at: 0)
        recorder.record(write)
        let id = recorder.alert(F.alert(write, after: 3600))
        recorder.record(F.open(shell, "/usr/bin/y", flags: 0o101, at: 1))
        #expect(recorder.openIncidents == [id])
        recorder.shutdown()
        let loaded = try IncidentStore(directory: directory, create: false).load(id: id)
        #expect(loaded.summary.closedEarly)
        #expect(loaded.events.count == 2)
        // Recording after shutdown is ignored, not a crash.
        recorder.record(write)
    }

    @Test func totalSizeIsBoundedOldestFirst() throws {
        let directory = F.temporaryDirectory("evict")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try IncidentStore(directory: directory, maxBytes: 40_000)
        var ids: [String] = []
        for index in 0..<8 {
            var log = EventLog()
            let shell = F.process(Int32(100 + index), ppid: 1, name: "bash")
            // Random paths compress badly, so each incident takes ~10 kB.
            for event in 0..<300 {
                log.append(F.open(shell, "/tmp/\(UInt64.random(in: 0...UInt64.max))", at: Double(index * 100 + event) / 100))
            }
            let id = IncidentIdentifier.make(time: F.at(Double(index)), random: UInt32(index))
            ids.append(id)
            let summary = IncidentSummary(id: id, openedAt: F.at(Double(index)), closedAt: F.at(Double(index) + 1),
                                          windowStart: F.at(Double(index)), windowEnd: F.at(Double(index) + 1),
                                          scope: IncidentScope(kind: .processTree, container: "host", rootPID: 100),
                                          firstRule: "r", priority: "Error", alertCount: 1, eventCount: log.count)
            let stored = try store.save(ClosedIncident(summary: summary, alerts: [], log: log))
            #expect(stored.bytes > 5_000)
        }
        let kept = try store.list().map(\.id)
        #expect(try store.totalBytes() <= 40_000)
        #expect(kept.count >= 2 && kept.count < 8)
        // Newest first, and what is left is the newest ones.
        #expect(kept == Array(ids.reversed().prefix(kept.count)))
        #expect(throws: ShrikeError.self) { try store.load(id: ids[0]) }
    }

    @Test func eventLogRoundTripsThroughTheCodec() throws {
        let events = InterningTests.sampleEvents()
        let log = EventLog(events)
        let blob = try ZlibBlob.compress(EventLogCodec.encode(log))
        let back = try EventLogCodec.decode(try ZlibBlob.decompress(blob, what: "t"), what: "t").events
        #expect(back.count == events.count)
        for (a, b) in zip(events, back) { #expect(F.same(a, b), "\(a.type)") }
    }

    @Test(arguments: [0, 9, 20, 57, 100])
    func damagedEventDataThrowsInsteadOfCrashing(cut: Int) throws {
        let bytes = EventLogCodec.encode(EventLog(InterningTests.sampleEvents()))
        var damaged = Array(bytes.prefix(max(bytes.count - cut - 1, 0)))
        if cut == 9, damaged.count > 12 { damaged[12] = 0xff }
        #expect(throws: ShrikeError.self) {
            _ = try EventLogCodec.decode(damaged, what: "damaged")
        }
        #expect(throws: ShrikeError.self) {
            _ = try ZlibBlob.decompress([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 1, 2], what: "bomb")
        }
    }

    @Test func missingStoreAndUnknownIDAreReported() throws {
        let directory = F.temporaryDirectory("missing")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: ShrikeError.self) { try IncidentStore(directory: directory + "/nope", create: false) }
        let store = try IncidentStore(directory: directory)
        do {
            _ = try store.load(id: "inc-20261129-100000-000000")
            Issue.record("loading an unknown id must throw")
        } catch let error as ShrikeError {
            #expect(error.code == .notFound)
        }
    }
}

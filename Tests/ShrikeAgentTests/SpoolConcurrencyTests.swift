import Foundation
import Testing
@testable import ShrikeAgent

/// Several tasks append, one ships: every record gets a distinct seq, and each task's records keep their order.
@Suite struct SpoolConcurrencyTests {
    @Test("appends from several tasks get distinct, increasing seqs and lose nothing", arguments: [2, 8])
    func concurrentAppends(tasks: Int) async throws {
        let directory = try SpoolFixtures.directory()
        defer { SpoolFixtures.remove(directory) }
        let spool = try Spool(directory: directory)
        let perTask = 200
        let seqs = try await withThrowingTaskGroup(of: [UInt64].self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var seqs: [UInt64] = []
                    for index in 0..<perTask {
                        seqs += try spool.append([(.alert, SpoolFixtures.body(task * perTask + index))])
                    }
                    return seqs
                }
            }
            var all: [[UInt64]] = []
            for try await seqs in group { all.append(seqs) }
            return all
        }
        for own in seqs { #expect(own == own.sorted(), "one task's records are in its order") }
        let flat = seqs.flatMap { $0 }
        #expect(Set(flat).count == tasks * perTask)
        #expect(flat.max() == UInt64(tasks * perTask))
        let records = try spool.peek(maxRecords: 100_000, maxBytes: .max)
        #expect(records.map(\.seq) == (1...UInt64(tasks * perTask)).map { $0 })
    }

    @Test("the writer queue feeds the spool from another thread while records are acknowledged")
    func writerAndAcks() async throws {
        let directory = try SpoolFixtures.directory()
        defer { SpoolFixtures.remove(directory) }
        let spool = try Spool(directory: directory)
        let writer = SpoolWriter(spool: spool)
        var acked = 0
        for index in 0..<2_000 {
            writer.submit(.alert, body: SpoolFixtures.body(index))
            if index % 100 == 99 {
                let batch = try spool.peek(maxRecords: 50)
                try spool.ack(batch.map(\.seq))
                acked += batch.count
            }
        }
        #expect(writer.flush(timeout: 10))
        writer.close()
        #expect(writer.statistics.dropped == 0 && writer.statistics.failed == 0)
        let left = try spool.peek(maxRecords: 10_000, maxBytes: .max)
        #expect(left.count + acked == 2_000)
        #expect(left.map(\.seq) == left.map(\.seq).sorted())
    }
}

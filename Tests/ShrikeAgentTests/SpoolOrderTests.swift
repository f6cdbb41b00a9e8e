import Foundation
import Testing
import ShrikeCore
@testable import ShrikeAgent

/// Appending, acknowledging and reopening keep records in order with their sequence numbers, and a number is never
/// handed out twice, across restarts too.
@Suite struct SpoolOrderTests {
    @Test("records come back in append order with increasing seqs, also after a restart", arguments: [1, 7, 300])
    func appendAndReopen(count: Int) throws {
        let directory = try SpoolFixtures.directory()
        defer { SpoolFixtures.remove(directory) }
        var spool: Spool? = try Spool(directory: directory)
        let seqs = try #require(spool).append((0..<count).map { (.alert, SpoolFixtures.body($0)) })
        #expect(seqs == (1...UInt64(count)).map { $0 })
        spool = nil
        let reopened = try Spool(directory: directory)
        let records = try reopened.peek(maxRecords: 10_000)
        #expect(records.map(\.seq) == seqs)
        #expect(records.compactMap(SpoolFixtures.index) == Array(0..<count))
        #expect(records.allSatisfy { $0.kind == .alert })
        #expect(reopened.statistics.records == count)
    }

    @Test("acknowledged records are gone, after a restart too; the rest keep their order")
    func ackRemoves() throws {
        let directory = try SpoolFixtures.directory()
        defer { SpoolFixtures.remove(directory) }
        do {
            let spool = try Spool(directory: directory)
            try spool.append((0..<10).map { (.alert, SpoolFixtures.body($0)) })
            try spool.ack([1, 2, 3, 5])
            #expect(try spool.peek().map(\.seq) == [4, 6, 7, 8, 9, 10])
        }
        let spool = try Spool(directory: directory)
        // 5 was acknowledged beyond the watermark (3): it may come back after a restart, and the server
        // deduplicates it; 1…3 never come back.
        let seqs = try spool.peek().map(\.seq)
        #expect(!seqs.contains(1) && !seqs.contains(2) && !seqs.contains(3))
        #expect(seqs.starts(with: [4]) && seqs.suffix(5) == [6, 7, 8, 9, 10])
    }

    @Test("peek honours the record and byte limits but always returns one record")
    func peekLimits() throws {
        let directory = try SpoolFixtures.directory()
        defer { SpoolFixtures.remove(directory) }
        let spool = try Spool(directory: directory)
        try spool.append((0..<50).map { (.alert, SpoolFixtures.body($0, padding: 100)) })
        #expect(try spool.peek(maxRecords: 7).count == 7)
        let body = SpoolFixtures.body(0, padding: 100).count
        #expect(try spool.peek(maxRecords: 100, maxBytes: body * 3).count == 3)
        #expect(try spool.peek(maxRecords: 100, maxBytes: 1).count == 1)
    }

    @Test("seqs are never reused: not after acknowledging everything, not after the segments are deleted",
          arguments: [false, true])
    func seqNeverReused(rotate: Bool) throws {
        let directory = try SpoolFixtures.directory()
        defer { SpoolFixtures.remove(directory) }
        var last: UInt64 = 0
        for round in 0..<4 {
            let spool = try Spool(directory: directory, maxBytes: 128 << 10)
            // Big bodies make segments rotate (16 KiB each), so drained ones are deleted.
            let seqs = try spool.append((0..<20).map { (.heartbeat, SpoolFixtures.body($0, padding: rotate ? 2000 : 10)) })
            #expect(seqs.first == last + 1, "round \(round) starts after the last seq ever handed out")
            last = try #require(seqs.last)
            try spool.ack(seqs)
            #expect(try spool.peek().isEmpty)
        }
        if rotate { #expect(SpoolFixtures.segments(in: directory).count == 1, "drained segments are deleted") }
    }

    @Test("a second process cannot open the same spool")
    func lockedFolder() throws {
        let directory = try SpoolFixtures.directory()
        defer { SpoolFixtures.remove(directory) }
        let first = try Spool(directory: directory)
        #expect { try Spool(directory: directory) } throws: { error in
            (error as? ShrikeError)?.code == .spoolBusy
        }
        first.close()
        _ = try Spool(directory: directory)
    }
}

import Foundation
import Testing
import ShrikeCore
@testable import ShrikeAgent

/// A full spool evicts its oldest records, counts them (across restarts) and never grows past its bound.
@Suite struct SpoolBoundTests {
    @Test("appending past the bound evicts the oldest, counted; the newest are kept in order",
          arguments: [64 << 10, 256 << 10])
    func evictsOldest(maxBytes: Int) throws {
        let directory = try SpoolFixtures.directory()
        defer { SpoolFixtures.remove(directory) }
        let spool = try Spool(directory: directory, maxBytes: maxBytes)
        let total = 4 * maxBytes / 200
        for index in 0..<total {
            try spool.append([(.alert, SpoolFixtures.body(index, padding: 150))])
            #expect(spool.statistics.bytes <= maxBytes)
        }
        let statistics = spool.statistics
        #expect(statistics.evicted > 0)
        #expect(statistics.evicted + UInt64(statistics.records) == UInt64(total), "every record kept or counted")
        let kept = try spool.peek(maxRecords: 100_000, maxBytes: .max)
        #expect(kept.compactMap(SpoolFixtures.index) == Array((total - kept.count)..<total), "the newest survive")
        let bytesOnDisk = SpoolFixtures.segments(in: directory).reduce(0) { sum, path in
            sum + ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0)
        }
        #expect(bytesOnDisk <= maxBytes)
        spool.close()
        #expect(try Spool(directory: directory, maxBytes: maxBytes).statistics.evicted == statistics.evicted,
                "the eviction count is persisted")
    }

    @Test("acknowledged records are not counted as evicted when their segment goes")
    func ackedAreNotEvicted() throws {
        let directory = try SpoolFixtures.directory()
        defer { SpoolFixtures.remove(directory) }
        let spool = try Spool(directory: directory, maxBytes: 64 << 10)
        for index in 0..<2_000 {
            let seqs = try spool.append([(.alert, SpoolFixtures.body(index, padding: 100))])
            try spool.ack(seqs)
        }
        #expect(spool.statistics.evicted == 0)
        #expect(spool.statistics.records == 0)
    }

    @Test("a record bigger than the spool's segment is refused, nothing else changes")
    func oversizedRecord() throws {
        let directory = try SpoolFixtures.directory()
        defer { SpoolFixtures.remove(directory) }
        let spool = try Spool(directory: directory, maxBytes: 64 << 10)
        try spool.append([(.alert, SpoolFixtures.body(0))])
        #expect { try spool.append([(.sbom, [UInt8](repeating: 0x20, count: 100 << 10))]) } throws: { error in
            (error as? ShrikeError)?.code == .limitExceeded
        }
        #expect(spool.statistics.records == 1)
        #expect(try spool.append([(.alert, SpoolFixtures.body(1))]) == [2])
    }
}

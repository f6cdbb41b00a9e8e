import Foundation
import Testing
import ShrikeCore
@testable import ShrikeAgent

/// What `kill -9` or a bad disk leaves: a record cut short at the end of a segment, or a flipped byte. The spool
/// detects it when it opens, drops only what is damaged, keeps the rest and goes on appending.
@Suite struct SpoolRecoveryTests {
    /// Writes 10 records (seq 1…10) and returns the folder and the only segment's path.
    private func spoolWithTenRecords() throws -> (String, String) {
        let directory = try SpoolFixtures.directory()
        let spool = try Spool(directory: directory)
        try spool.append((0..<10).map { (.alert, SpoolFixtures.body($0, padding: 40)) })
        spool.close()
        let segment = try #require(SpoolFixtures.segments(in: directory).first)
        return (directory, segment)
    }

    @Test("a torn tail (the last record cut mid-way) is cut off; the nine before it are kept",
          arguments: [1, 5, 17, 30])
    func tornTail(cut: Int) throws {
        let (directory, segment) = try spoolWithTenRecords()
        defer { SpoolFixtures.remove(directory) }
        let size = try #require(FileManager.default.attributesOfItem(atPath: segment)[.size] as? Int)
        #expect(truncate(segment, off_t(size - cut)) == 0)

        let spool = try Spool(directory: directory)
        let records = try spool.peek()
        #expect(records.map(\.seq) == Array(1...9))
        #expect(spool.statistics.tornBytes > 0)
        // Appending goes on after the last whole record, with a seq past any the torn bytes could have held.
        let next = try #require(try spool.append([(.alert, SpoolFixtures.body(99))]).first)
        #expect(next >= 10)
        spool.close()
        let reopened = try Spool(directory: directory)
        #expect(try reopened.peek().map(\.seq) == Array(1...9) + [next])
        #expect(reopened.statistics.tornBytes == 0, "the tail was cut for good")
    }

    @Test("a flipped byte in a record's body drops that record only", arguments: [0, 4, 9])
    func flippedByte(record: Int) throws {
        let (directory, segment) = try spoolWithTenRecords()
        defer { SpoolFixtures.remove(directory) }
        var bytes = try #require(FileManager.default.contents(atPath: segment).map(Array.init))
        let recordSize = bytes.count / 10
        bytes[record * recordSize + SpoolRecordCodec.headerSize + 3] ^= 0x20
        try Data(bytes).write(to: URL(fileURLWithPath: segment))

        let spool = try Spool(directory: directory)
        #expect(try spool.peek().map(\.seq) == (1...10).filter { $0 != UInt64(record + 1) })
        #expect(spool.statistics.corrupt == 1)
    }

    @Test("garbage in place of a length ends the segment there; what came before is kept")
    func brokenLength() throws {
        let (directory, segment) = try spoolWithTenRecords()
        defer { SpoolFixtures.remove(directory) }
        var bytes = try #require(FileManager.default.contents(atPath: segment).map(Array.init))
        let recordSize = bytes.count / 10
        bytes[6 * recordSize + 3] = 0xFF
        try Data(bytes).write(to: URL(fileURLWithPath: segment))
        let spool = try Spool(directory: directory)
        #expect(try spool.peek().map(\.seq) == Array(1...6))
        let next = try #require(try spool.append([(.alert, SpoolFixtures.body(0))]).first)
        #expect(next > 10, "seqs 7…10 were written whole and may have been sent: never given again")
    }

    @Test("an empty or header-only segment file is no error")
    func emptySegment() throws {
        let directory = try SpoolFixtures.directory()
        defer { SpoolFixtures.remove(directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: directory + "/" + SpoolSegment.fileName(firstSeq: 1), contents: Data([1, 0]))
        let spool = try Spool(directory: directory)
        #expect(try spool.peek().isEmpty)
        #expect(try spool.append([(.alert, SpoolFixtures.body(0))]) == [1])
    }
}

import Foundation
import Testing
import ShrikeTestSupport
@testable import ShrikeImage

/// Kept file contents: small files in memory until the budget is used up, the rest spilled to the scratch directory.
@Suite struct ContentStoreTests {
    @Test func memoryBudgetSpillsTheRestToScratch() throws {
        let scratch = try ScratchDirectory()
        let store = ContentStore(scratch: scratch, memoryLimit: 1 << 20, memoryBudget: 2_500_000)
        let payloads = (0..<4).map { index in [UInt8](repeating: UInt8(index + 1), count: 1_000_000) }
        let tar = TarWriter.archive(payloads.enumerated().map { TarEntry.file("f\($0.offset)", bytes: $0.element) })
        let reader = TarReader(MemoryByteStream(tar), what: "test layer")
        var kept: [ContentRef] = []
        while let entry = try reader.next() {
            kept.append(try store.keep(from: reader, size: entry.size, what: entry.name))
        }
        // Two files fit in 2.5 MB; the third and fourth go to disk, and read back the same.
        #expect(kept.map { if case .memory = $0 { "memory" } else { "file" } } == ["memory", "memory", "file", "file"])
        #expect(store.bytesInMemory == 2_000_000)
        for (ref, payload) in zip(kept, payloads) {
            #expect(try ref.bytes() == payload)
        }
    }

    @Test func filesAboveTheMemoryLimitAlwaysSpill() throws {
        let scratch = try ScratchDirectory()
        let store = ContentStore(scratch: scratch, memoryLimit: 1000, memoryBudget: 1 << 20)
        let tar = TarWriter.archive([TarEntry.file("big", bytes: [UInt8](repeating: 7, count: 1001)),
                                     TarEntry.file("small", bytes: [1, 2, 3])])
        let reader = TarReader(MemoryByteStream(tar), what: "test layer")
        var kinds: [String] = []
        while let entry = try reader.next() {
            let ref = try store.keep(from: reader, size: entry.size, what: entry.name)
            kinds.append(ref == .memory([1, 2, 3]) ? "memory" : "file")
        }
        #expect(kinds == ["file", "memory"])
    }
}

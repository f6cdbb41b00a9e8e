import ShrikeAnalyze
import ShrikeTestSupport
import Testing

@Suite("Duplicates by content across paths are reported apart from waste")
struct DuplicateTests {
    @Test("a file under two paths is one group with both paths, both layers and the bytes one copy would save")
    func duplicatedFile() throws {
        let report = try WasteFixtures.analyze()
        #expect(report.duplicates.count == 1)
        let group = try #require(report.duplicates.first)
        #expect(group.paths == ["/app/one.bin", "/app/two.bin"])
        #expect(group.layers == [3, 4])
        #expect(group.size == 70_000)
        #expect(group.reclaimableBytes == 70_000)
    }

    @Test("equal sizes with different content, and hard links, are not duplicates",
          arguments: [
              [Entry.file("a", bytes: filler(5_000, seed: 1)), Entry.file("b", bytes: filler(5_000, seed: 2))],
              [Entry.file("a", bytes: filler(5_000, seed: 1)), Entry.hardlink("b", to: "a")],
          ])
    func notDuplicates(entries: [Entry]) throws {
        let report = try WasteFixtures.analyze(ImageFixture(layers: [LayerFixture(entries)]))
        #expect(report.duplicates.isEmpty)
    }

    @Test("hard links store their bytes once: no waste, full efficiency")
    func hardLinks() throws {
        let report = try WasteFixtures.analyze(ImageFixture(layers: [
            LayerFixture([Entry.file("a", bytes: filler(5_000, seed: 1)), Entry.hardlink("b", to: "a")]),
        ]))
        #expect(report.summary?.totalBytes == 5_000)
        #expect(report.summary?.efficiency == 1)
    }
}

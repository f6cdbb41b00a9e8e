import Foundation
import ShrikeAnalyze
import ShrikeTestSupport
import Testing

@Suite("Wasted bytes are counted right: every removed or replaced copy, with both layers")
struct WasteAccountingTests {
    static let report = Result { try WasteFixtures.analyze() }

    @Test("each constructed waste is reported with its exact bytes and both layers (in -o json)",
          arguments: WasteFixtures.expectedWaste.indices)
    func eachWaste(index: Int) throws {
        let (path, bytes, files, cause, added, removed) = WasteFixtures.expectedWaste[index]
        let json = try WasteFixtures.json(try Self.report.get())
        let waste = try #require(json["waste"] as? [[String: Any]])
        let item = try #require(waste.first { $0["path"] as? String == path && $0["cause"] as? String == cause.rawValue },
                                "no \(cause) waste at \(path) in \(waste)")
        #expect(item["bytes"] as? Int == Int(bytes))
        #expect(item["files"] as? Int == files)
        #expect(item["addedBy"] as? Int == added)
        #expect(item["removedBy"] as? Int == removed)
    }

    @Test("nothing else is counted as waste")
    func onlyConstructedWaste() throws {
        let report = try Self.report.get()
        #expect(report.waste.count == WasteFixtures.expectedWaste.count)
        #expect(report.summary?.wastedBytes == WasteFixtures.wastedBytes)
    }

    @Test("efficiency is visible bytes over all layer bytes, exactly")
    func efficiency() throws {
        let summary = try #require(try Self.report.get().summary)
        let total = WasteFixtures.totalBytes
        #expect(summary.totalBytes == total)
        #expect(summary.visibleBytes == total - WasteFixtures.wastedBytes)
        #expect(summary.efficiency == Double(total - WasteFixtures.wastedBytes) / Double(total))
    }

    @Test("base waste is reported apart from the user's")
    func baseAndUserWaste() throws {
        let report = try Self.report.get()
        let summary = try #require(report.summary)
        #expect(summary.baseWastedBytes == WasteFixtures.baseWastedBytes)
        #expect(summary.userWastedBytes == WasteFixtures.wastedBytes - WasteFixtures.baseWastedBytes)
        #expect(report.waste.filter(\.inBase).map(\.path) == ["/var/cache/apt/archives/base_1.0_amd64.deb"])
    }

    @Test("per layer: added, modified and deleted counts, sizes and the command from the history",
          arguments: [
              (0, 4, 0, 0, Int64(52_000) + Int64(WasteFixtures.osRelease.count), "ADD file:"),
              (1, 1, 0, 1, 2_000, "apt-get install -y base-libs"),
              (2, 9, 0, 0, 18_970_000, "curl -o /tmp/big.bin"),
              (3, 2, 1, 6, 5_070_100, "rm -rf /tmp/big.bin"),
              (4, 0, 1, 0, 70_000, "chown -R 1000:1000"),
          ])
    func layers(index: Int, added: Int, modified: Int, deleted: Int, bytes: Int64, command: String) throws {
        let layer = try Self.report.get().layers[index]
        #expect(layer.added == added)
        #expect(layer.modified == modified)
        #expect(layer.deleted == deleted)
        #expect(layer.contentBytes == bytes)
        #expect(layer.createdBy?.contains(command) == true, "layer \(index) says \(layer.createdBy ?? "nothing")")
    }

    @Test("the history keeps its empty steps and matches the others to layers in order")
    func history() throws {
        let history = try Self.report.get().history
        #expect(history.count == 7)
        #expect(history.map(\.layer) == [0, 1, nil, 2, 3, 4, nil])
        #expect(history[2].emptyLayer && history[2].createdBy.contains("CMD"))
    }

    @Test("every image format gives the same accounting", arguments: ImageSourceFixtures.Format.allCases)
    func formats(format: ImageSourceFixtures.Format) throws {
        let report = try WasteFixtures.analyze(format: format)
        #expect(report.summary == (try Self.report.get().summary))
        #expect(report.waste == (try Self.report.get().waste))
    }

    @Test("the largest entries of a layer are its largest files, largest first")
    func largest() throws {
        let layer = try Self.report.get().layers[2]
        #expect(layer.largest.prefix(2).map(\.path) == ["/tmp/big.bin", "/app/config.bin"])
        #expect(layer.largest.first?.size == 10_000_000)
    }
}

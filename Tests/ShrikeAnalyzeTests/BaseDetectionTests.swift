import Foundation
import ShrikeAnalyze
import ShrikeImage
import ShrikeTestSupport
import Testing

@Suite("The base image's layers are found, so its bytes are not the user's waste")
struct BaseDetectionTests {
    @Test("a multi-layer base is found whole from the history's CMD boundary")
    func multiLayerBase() throws {
        let report = try WasteFixtures.analyze()
        #expect(report.base.method == .historyBoundary)
        #expect(report.base.layerCount == 2)
        #expect(report.layers.map(\.inBase) == [true, true, false, false, false])
        #expect(report.base.bytes == report.layers[0].contentBytes + report.layers[1].contentBytes)
    }

    /// Histories as builders write them: (steps, `nil` for a step that made no layer, expected base layers, method).
    static let histories: [([(String, Bool)], Int, BaseImageReport.Method)] = [
        // Classic builder: base ADD + CMD, then the user's RUNs.
        ([("/bin/sh -c #(nop) ADD file:abc in / ", true), (#"/bin/sh -c #(nop)  CMD ["bash"]"#, false),
          ("/bin/sh -c apt-get update", true)], 1, .historyBoundary),
        // BuildKit: plain CMD form; the user's final CMD has no layers after it and is not a boundary.
        ([("ADD rootfs.tar.gz / # buildkit", true), ("RUN /bin/sh -c apk add x # buildkit", true), (#"CMD ["/bin/sh"]"#, false),
          ("COPY app /app # buildkit", true), (#"CMD ["/app"]"#, false)], 2, .historyBoundary),
        // No boundary, but the first layer adds a whole root file system.
        ([("/bin/sh -c #(nop) ADD file:abc in / ", true), ("/bin/sh -c make", true)], 1, .rootFileSystemLayer),
        // Nothing to go on.
        ([("COPY . / # buildkit", true), ("RUN make", true)], 0, .none),
        // ENTRYPOINT ends a base too.
        ([("ADD file:x in /", true), (#"ENTRYPOINT ["/init"]"#, false), ("RUN a", true), ("RUN b", true)], 1, .historyBoundary),
    ]

    @Test("base detection from history", arguments: histories.indices)
    func fromHistory(index: Int) throws {
        let (steps, expected, method) = Self.histories[index]
        var layers: [LayerFixture] = []
        for (command, makesLayer) in steps {
            if makesLayer {
                layers.append(LayerFixture([.file("f\(layers.count)", "x")], createdBy: command))
            } else {
                layers[layers.count - 1].emptyStepsAfter.append(command)
            }
        }
        let report = try WasteFixtures.analyze(ImageFixture(layers: layers))
        #expect(report.base.layerCount == expected)
        #expect(report.base.method == method)
    }

    @Test("--base IMAGE takes the layers whose diff ids the given image shares")
    func byDiffIDs() throws {
        let dir = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The base image: the fixture's first layer only, so the history's two-layer answer must give way.
        let base = ImageFixture(layers: Array(WasteFixtures.fixture.layers.prefix(1)))
        try ImageFixtureBuilder(base).writeDockerArchive(to: dir + "/base.tar")
        let report = try WasteFixtures.analyze(options: AnalysisOptions(base: .image(.dockerArchive(path: dir + "/base.tar", tag: nil))))
        #expect(report.base.method == .diffIDs)
        #expect(report.base.layerCount == 1)
        // Layer 1 removes the base's .deb: now that is the user's waste.
        #expect(report.summary?.baseWastedBytes == 0)
        #expect(report.summary?.userWastedBytes == WasteFixtures.wastedBytes)
    }
}

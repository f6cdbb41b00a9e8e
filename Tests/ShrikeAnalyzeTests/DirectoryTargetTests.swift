import Foundation
import ShrikeAnalyze
import ShrikeImage
import ShrikeTestSupport
import Testing

@Suite("dir: targets: largest files and directories and package caches, no layers")
struct DirectoryTargetTests {
    @Test("a root file system directory")
    func directory() throws {
        let dir = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let files: [(String, Int)] = [("usr/bin/app", 30_000), ("var/cache/apk/APKINDEX.tar.gz", 20_000), ("etc/hosts", 10)]
        for (path, size) in files {
            let full = dir + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try Data(filler(size, seed: 1)).write(to: URL(fileURLWithPath: full))
        }
        let report = try ImageAnalyzer.analyze(.directory(path: dir))
        #expect(report.summary == nil)
        #expect(report.layers.isEmpty)
        #expect(report.largestFiles.first?.path == "/usr/bin/app")
        #expect(report.largestDirectories.first?.path == "/usr")
        #expect(report.finalBytes == 50_010)
        #expect(report.findings.contains { $0.rule == "apk-cache" && $0.bytes == 20_000 })
        #expect(AnalysisTableRenderer.render(report).contains("no layers"))
    }
}

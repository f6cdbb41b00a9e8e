import Foundation
import ShrikeCore
import ShrikeTestSupport
import Testing
@testable import ShrikeVulnDB

/// `db import` of a `.tar.gz`/`.tar.zst`/`.tar`: unpacked into a private scratch directory, only regular files and
/// directories written, nothing outside it, the scratch directory gone afterwards, sources named by the archive.
@Suite("Advisory archives")
struct AdvisoryArchiveTests {
    static let record = #"{"id": "PYSEC-2099-1", "affected": [{"package": {"ecosystem": "PyPI", "name": "demo"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "2.0"}]}]}]}"#

    /// A hostile archive: a record in a top-level directory, and entries that try to leave the scratch directory.
    static func hostile(victim: String) -> [UInt8] {
        TarWriter.archive([
            .directory("tree/"),
            .file("tree/vulns/PYSEC-2099-1.json", record),
            .file("../escaped.json", record),
            .file(victim, record),
            .symlink("tree/link.json", to: victim),
            .hardlink("tree/hard.json", to: victim),
            .fifo("tree/fifo.json"),
            .file("tree/../../climb.json", record),
        ])
    }

    @Test("a hostile archive imports its one real record and writes nothing outside its scratch directory",
          .serialized, arguments: ["tar.gz", "tar.zst", "tar"])
    func hostileArchive(_ suffix: String) throws {
        let dir = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let victim = dir + "/victim.json"
        let tar = Self.hostile(victim: victim)
        let bytes: [UInt8] = switch suffix {
        case "tar.gz": try FixtureCompression.gzip(tar)
        case "tar.zst": try FixtureCompression.zstd(tar)
        default: tar
        }
        let archive = dir + "/feed." + suffix
        try Data(bytes).write(to: URL(fileURLWithPath: archive))
        let scratchBefore = try Self.scratchDirectories()

        let store = try SQLiteAdvisoryStore.inMemory()
        let report = try store.importAdvisories([AdvisoryPathImporter(path: archive)])
        #expect(report.totalRecords == 1)
        #expect(report.totalFailed == 0)
        #expect(report.sources.map(\.name) == ["osv:" + archive], "sources are named by the archive, not the scratch directory")
        #expect(try store.affected(namespace: "osv:PyPI", packageName: "demo").count == 1)
        #expect(!FileManager.default.fileExists(atPath: victim))
        #expect(!FileManager.default.fileExists(atPath: dir + "/escaped.json"))
        #expect(!FileManager.default.fileExists(atPath: (dir as NSString).deletingLastPathComponent + "/climb.json"))
        // Other tests import archives at the same time, so a scratch directory of theirs may exist for a moment;
        // one this import left behind stays. Wait for the others to finish (a leak fails after 60 s).
        var left = try Self.scratchDirectories().subtracting(scratchBefore)
        let deadline = Date().addingTimeInterval(60)
        while !left.isEmpty, Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
            left = try Self.scratchDirectories().subtracting(scratchBefore)
        }
        #expect(left.isEmpty, "the scratch directory is removed: \(left)")
    }

    @Test("names that climb out or are absolute are dropped", arguments: [
        ("a/b.json", "a/b.json"), ("./a/./b.json", "a/b.json"), ("a//b.json", "a/b.json"),
        ("../a.json", nil), ("a/../../b.json", nil), ("/etc/passwd", nil), ("", nil), (".", nil),
    ] as [(String, String?)])
    func safePaths(_ name: String, _ expected: String?) {
        #expect(AdvisoryArchive.safeRelativePath(name) == expected)
    }

    @Test("a corrupt or truncated archive fails as a whole, naming it, and leaves the store and scratch space as they were")
    func corrupt() throws {
        let dir = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let whole = try FixtureCompression.gzip(TarWriter.archive([.file("a.json", Self.record)]))
        let archive = dir + "/cut.tar.gz"
        try Data(whole.prefix(whole.count / 2)).write(to: URL(fileURLWithPath: archive))
        let scratchBefore = try Self.scratchDirectories()
        let store = try SQLiteAdvisoryStore.inMemory()
        let before = try store.rowCounts()
        let error = #expect(throws: ShrikeError.self) { try store.importAdvisories([AdvisoryPathImporter(path: archive)]) }
        #expect(error?.code == .malformed)
        #expect(error?.description.contains("cut.tar.gz") == true)
        #expect(try store.rowCounts() == before)
        #expect(try Self.scratchDirectories() == scratchBefore)
    }

    static func scratchDirectories() throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
            .filter { $0.hasPrefix("shrike-import-") })
    }
}

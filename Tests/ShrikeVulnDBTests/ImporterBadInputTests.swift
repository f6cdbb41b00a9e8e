import Foundation
#if canImport(Glibc)
import Glibc
#endif
import ShrikeCore
import ShrikeTestSupport
import Testing
@testable import ShrikeVulnDB

/// Every advisory format Shrike imports, each as the path importer meets it.
enum AdvisoryFormat: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case osvJSON, osvYAML, alpineSecDB, debianTracker, ubuntuTracker, oval, updateInfo, wolfiAdvisories, wolfiSecDB, trackerArchive

    var testDescription: String { rawValue }

    /// A small valid document of the format.
    var valid: Data {
        get throws {
            switch self {
            case .osvJSON: return try Self.fixture("osv-go/GO-2020-0001.json")
            case .osvYAML: return try Self.fixture("osv-pypi/vulns/flask/PYSEC-2019-179.yaml")
            case .alpineSecDB: return try Self.fixture("alpine-secdb/v3.9/main.yaml")
            case .debianTracker: return try Self.fixture("debian-tracker/debian.json")
            case .ubuntuTracker, .trackerArchive: return Data(Self.trackerFile.utf8)
            case .oval: return try Self.fixture("oval/suse-oval.xml")
            case .updateInfo: return try Self.fixture("amazon-updateinfo/al2023-updateinfo.xml")
            case .wolfiAdvisories: return Data(Self.wolfiFile.utf8)
            case .wolfiSecDB: return try Self.fixture("wolfi-secdb/security.json")
            }
        }
    }

    /// The name the document has on disk (for the tracker: its path inside the tree).
    var fileName: String {
        switch self {
        case .osvJSON: return "GO-2020-0001.json"
        case .osvYAML: return "PYSEC-2019-179.yaml"
        case .alpineSecDB: return "main.yaml"
        case .debianTracker: return "debian.json"
        case .ubuntuTracker, .trackerArchive: return "active/CVE-2099-0001"
        case .oval: return "suse-oval.xml"
        case .updateInfo: return "updateinfo.xml"
        case .wolfiAdvisories: return "age.advisories.yaml"
        case .wolfiSecDB: return "security.json"
        }
    }

    /// Where 200 MB of padding can go without changing what the document says, and the padding byte: whitespace
    /// after the first `{` of JSON, blank lines after YAML's first line and at the end of a tracker file, whitespace
    /// after the XML root's start tag.
    func paddingPoint(in data: Data) -> (offset: Int, byte: UInt8) {
        let bytes = [UInt8](data)
        switch self {
        case .osvJSON, .debianTracker, .wolfiSecDB:
            return ((bytes.firstIndex(of: UInt8(ascii: "{")) ?? 0) + 1, UInt8(ascii: " "))
        case .osvYAML, .alpineSecDB, .wolfiAdvisories:
            return ((bytes.firstIndex(of: UInt8(ascii: "\n")) ?? 0) + 1, UInt8(ascii: "\n"))
        case .ubuntuTracker, .trackerArchive:
            return (bytes.count, UInt8(ascii: "\n"))
        case .oval, .updateInfo:
            let root = self == .oval ? "<oval_definitions" : "<updates"
            let start = Data(bytes).range(of: Data(root.utf8))?.lowerBound ?? 0
            let close = bytes[start...].firstIndex(of: UInt8(ascii: ">")) ?? start
            return (close + 1, UInt8(ascii: " "))
        }
    }

    static func fixture(_ relative: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: VulnDBFixtures.path(relative)))
    }

    /// A tracker file in the real files' layout.
    static let trackerFile = """
        Candidate: CVE-2099-0001
        PublicDate: 2020-03-10 20:15:00 UTC
        References:
         https://cve.mitre.org/cgi-bin/cvename.cgi?name=CVE-2099-0001
         https://ubuntu.com/security/notices/USN-4400-2
        Description:
         In vp8_decode_frame of decodeframe.c, there is a possible out of bounds
         read due to improper input validation.
        Ubuntu-Description:
        Notes:
        Bugs:
        Priority: medium
        Discovered-by:
        Assigned-to:
        CVSS:

        Patches_libvpx:
        upstream_libvpx: needs-triage
        bionic_libvpx: released (1.7.0-3ubuntu0.18.04.1)
        focal_libvpx: needed
        xenial_libvpx: deferred (2020-06-01)

        """

    /// A Wolfi advisories file (schema 2.0.2) in the real files' layout.
    static let wolfiFile = """
        schema-version: 2.0.2

        package:
          name: age

        advisories:
          - id: CGA-2h26-rh8h-r2vp
            aliases:
              - CVE-2024-1234
              - GHSA-aaaa-bbbb-cccc
            events:
              - timestamp: 2025-04-10T08:18:45Z
                type: detection
                data:
                  type: manual
              - timestamp: 2025-04-11T08:18:45Z
                type: fixed
                data:
                  fixed-version: 1.2.1-r4
          - id: CGA-3j37-sj9j-s3wq
            aliases:
              - CVE-2024-5678
            events:
              - timestamp: 2025-05-01T10:00:00Z
                type: false-positive-determination
                data:
                  type: vulnerable-code-not-included-in-package

        """
}

/// What a bad input did to the store.
enum ImportOutcome: CustomStringConvertible {
    /// The import threw (and the store was left exactly as before: `importOutcome` checks it).
    case thrown(ShrikeError)
    /// The import went through; what it stored and counted.
    case imported(ImportReport)

    var description: String {
        switch self {
        case .thrown(let error): return "thrown \(error.code): \(error)"
        case .imported(let report):
            return "imported records=\(report.totalRecords) failed=\(report.totalFailed) \(report.sources.flatMap(\.firstFailures).map(\.reason))"
        }
    }
}

/// What a bad input must give.
enum BadInputExpectation: Sendable {
    /// A counted failure whose reason holds `reason`, and nothing of the file stored.
    case counted(String)
    /// A counted failure whose reason holds `reason`; the records before the cut are kept (a YAML list cut between
    /// entries is still valid YAML up to the broken entry).
    case countedKeepingRest(String)
    /// The import throws `code` with a message holding `message`; the store keeps what it had.
    case thrown(ShrikeError.Code, String)
}

/// Truncated files, 200 MB files and bytes that are not the format, for every importer, through the path importer
/// into a real store: each gives a clear error or a counted failure, never a crash, and a failed import leaves the
/// store as it was. Files over `AdvisoryPathImporter`'s per-file bound are refused before they are read.
@Suite("Bad input for every importer", .serialized)
struct ImporterBadInputTests {
    // MARK: - Helpers

    /// Peak resident memory (VmHWM) since the last `resetPeak()`, in MiB; Linux only (nil elsewhere).
    static func peakMiB() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kB = Int(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kB / 1024
    }

    /// Resets VmHWM to the current resident size (Linux 4.0+: `echo 5 > /proc/self/clear_refs`), so the next
    /// `peakMiB()` is the peak of what runs in between. Other suites running at the same time add to it.
    static func resetPeak() {
        try? Data("5".utf8).write(to: URL(fileURLWithPath: "/proc/self/clear_refs"))
    }

    /// `ru_maxrss` of this process, in MiB: its peak since it started or since the last `resetPeak()` (Linux resets
    /// both together).
    static func maxRSSMiB() -> Int {
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return Int(usage.ru_maxrss) / 1024
    }

    /// Writes `data` to `path`, creating the directories above it.
    static func write(_ data: Data, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path))
    }

    /// Writes `data` with `count` padding bytes inserted at `offset`, streamed in 1 MiB pieces so the test itself
    /// does not hold the file in memory.
    static func writePadded(_ data: Data, offset: Int, byte: UInt8, count: Int, to path: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw ShrikeError(.io, "cannot create the test file", input: path)
        }
        defer { try? handle.close() }
        try handle.write(contentsOf: data.prefix(offset))
        let chunk = Data(repeating: byte, count: 1 << 20)
        var left = count
        while left > 0 {
            try handle.write(contentsOf: chunk.prefix(min(left, chunk.count)))
            left -= chunk.count
        }
        try handle.write(contentsOf: data.dropFirst(offset))
    }

    /// A sparse file of `size` bytes starting with `prefix`: as large as the bound needs, costing no disk.
    static func writeSparse(_ prefix: Data, size: Int, to path: String) throws {
        try write(prefix, to: path)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        try handle.truncate(atOffset: UInt64(size))
    }

    /// 4 KiB of bytes that are no format at all (a fixed pseudo-random sequence, so runs are repeatable).
    static let junk: Data = {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        return Data((0..<4096).map { _ in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        })
    }()

    /// Lays a document out as `format` is imported (a file, a tracker tree, a `.tar.gz` of the tree) below `dir`,
    /// `write` writing it to the path it is given, and returns the path to import.
    static func place(_ format: AdvisoryFormat, in dir: String, write: (String) throws -> Void) throws -> String {
        switch format {
        case .ubuntuTracker:
            try write(dir + "/tracker/" + format.fileName)
            return dir + "/tracker"
        case .trackerArchive:
            try write(dir + "/tree/ubuntu-cve-tracker/" + format.fileName)
            let archive = dir + "/tracker.tar.gz"
            let run = try ExternalTool.run(["tar", "-czf", archive, "-C", dir + "/tree", "ubuntu-cve-tracker"])
            try #require(run.status == 0, "tar: \(run.stderr)")
            try FileManager.default.removeItem(atPath: dir + "/tree")
            return archive
        default:
            try write(dir + "/" + format.fileName)
            return dir + "/" + format.fileName
        }
    }

    /// Where the import reads `format`'s broken bytes from: for the archive the `.tar.gz` itself is cut or replaced,
    /// for the others the document inside.
    static func placeBroken(_ format: AdvisoryFormat, in dir: String, bytes: (Data) -> Data) throws -> String {
        let valid = try format.valid
        guard format == .trackerArchive else {
            return try place(format, in: dir) { try write(bytes(valid), to: $0) }
        }
        let archive = try place(format, in: dir) { try write(valid, to: $0) }
        try bytes(try Data(contentsOf: URL(fileURLWithPath: archive))).write(to: URL(fileURLWithPath: archive))
        return archive
    }

    /// Imports `path` into `store` and says what happened; when the import throws, checks the store kept its rows.
    static func importOutcome(_ path: String, into store: SQLiteAdvisoryStore, strict: Bool = false,
                              origin: String? = nil) throws -> ImportOutcome {
        let before = try store.rowCounts()
        do {
            return .imported(try store.importAdvisories([AdvisoryPathImporter(path: path, origin: origin, strict: strict)]))
        } catch let error as ShrikeError {
            #expect(try store.rowCounts() == before, "a failed import must leave the store as it was")
            return .thrown(error)
        }
    }

    /// A store that already holds data (the real Alpine 3.8 secdb), so "unchanged" means something.
    static func baselineStore() throws -> SQLiteAdvisoryStore {
        let store = try SQLiteAdvisoryStore.inMemory()
        _ = try store.importAdvisories([AdvisoryPathImporter(path: VulnDBFixtures.path("alpine-secdb/v3.8/main.yaml"))])
        return store
    }

    /// Checks `outcome` against `expected`; `before` is the store's rows before the import.
    static func check(_ outcome: ImportOutcome, _ expected: BadInputExpectation, before: [String: Int], after: [String: Int],
                      _ what: String) {
        switch (expected, outcome) {
        case (.thrown(let code, let message), .thrown(let error)):
            #expect(error.code == code, "\(what): \(error)")
            #expect(error.message.contains(message), "\(what): \(error.message)")
            #expect(error.input != nil, "\(what): the error names its input")
        case (.counted(let reason), .imported(let report)), (.countedKeepingRest(let reason), .imported(let report)):
            #expect(report.totalFailed >= 1, "\(what): the failure is counted")
            let reasons = report.sources.flatMap(\.firstFailures).map(\.reason)
            #expect(reasons.contains { $0.contains(reason) }, "\(what): \(reasons)")
            if case .counted = expected {
                #expect(report.totalRecords == 0, "\(what): nothing of a broken file is stored")
                #expect(after["affectedPackage"] == before["affectedPackage"] && after["vulnerability"] == before["vulnerability"],
                        "\(what): \(before) → \(after)")
            }
            #expect(after["importError"] == (before["importError"] ?? 0) + report.totalFailed, "\(what): every failure is stored")
        default:
            Issue.record("\(what): expected \(expected), got \(outcome)")
        }
    }

    // MARK: - Truncated

    /// Cut at 60% of its bytes (of the `.tar.gz` for the archive). YAML and the tracker's files have no end marker:
    /// a cut between two list items or two header fields still reads, which is the known issue below.
    static let truncated: [AdvisoryFormat: BadInputExpectation] = [
        .osvJSON: .counted("not valid JSON"),
        .osvYAML: .counted(""),
        .alpineSecDB: .countedKeepingRest("lists no ids"),
        .debianTracker: .counted("not valid JSON"),
        .ubuntuTracker: .counted(""),
        .oval: .thrown(.malformed, "the file is truncated"),
        .updateInfo: .counted("the file is truncated"),
        .wolfiAdvisories: .counted("no data.fixed-version"),
        .wolfiSecDB: .counted("not valid JSON"),
        .trackerArchive: .thrown(.malformed, "gzip stream is truncated"),
    ]

    static let truncationKnownIssues: [AdvisoryFormat: String] = [
        .osvYAML: "an OSV YAML file cut between two list items is valid YAML: the record imports, short of its tail, with no failure",
        .ubuntuTracker: "a tracker file cut inside its header imports as a record with no package lines and no failure",
    ]

    @Test("a truncated file is a counted failure or a clear error, and nothing of it is stored", arguments: AdvisoryFormat.allCases)
    func truncatedFile(format: AdvisoryFormat) throws {
        let dir = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = try Self.placeBroken(format, in: dir) { $0.prefix($0.count * 6 / 10) }
        let store = try Self.baselineStore()
        let before = try store.rowCounts()
        let outcome = try Self.importOutcome(path, into: store)
        let expected = try #require(Self.truncated[format])
        if let issue = Self.truncationKnownIssues[format] {
            withKnownIssue(Comment(rawValue: issue)) {
                Self.check(outcome, expected, before: before, after: (try? store.rowCounts()) ?? [:], "\(format) truncated")
            }
        } else {
            Self.check(outcome, expected, before: before, after: try store.rowCounts(), "\(format) truncated")
        }
    }

    // MARK: - Not the format

    static let notTheFormat: [AdvisoryFormat: BadInputExpectation] = [
        .osvJSON: .counted("not valid JSON"),
        .osvYAML: .counted("not UTF-8 text"),
        .alpineSecDB: .counted("not UTF-8 text"),
        .debianTracker: .counted("not valid JSON"),
        .ubuntuTracker: .counted("not UTF-8 text"),
        .oval: .counted("is not advisory data"),
        .updateInfo: .counted("is not advisory data"),
        .wolfiAdvisories: .counted("not UTF-8 text"),
        .wolfiSecDB: .counted("not valid JSON"),
        .trackerArchive: .thrown(.malformed, "gzip data is corrupt"),
    ]

    static let plainText: [AdvisoryFormat: BadInputExpectation] = [
        .osvJSON: .counted("not valid JSON"),
        .osvYAML: .counted("must be an object"),
        .alpineSecDB: .counted("must be an object"),
        .debianTracker: .counted("not valid JSON"),
        .ubuntuTracker: .counted("no 'Candidate:'"),
        .oval: .counted("is not advisory data"),
        .updateInfo: .counted("is not advisory data"),
        .wolfiAdvisories: .counted("must be an object"),
        .wolfiSecDB: .counted("not valid JSON"),
        .trackerArchive: .thrown(.malformed, "gzip data is corrupt"),
    ]

    @Test("bytes that are not the format (binary junk, then plain text) are a counted failure or a clear error",
          arguments: AdvisoryFormat.allCases)
    func notTheFormat(format: AdvisoryFormat) throws {
        let text = Data("This is a README, not advisory data.\nIt has two lines.\n".utf8)
        for (bytes, expected, what) in [(Self.junk, Self.notTheFormat[format], "junk"), (text, Self.plainText[format], "text")] {
            let dir = try VulnDBFixtures.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let path = try Self.placeBroken(format, in: dir) { _ in bytes }
            let store = try Self.baselineStore()
            let before = try store.rowCounts()
            let outcome = try Self.importOutcome(path, into: store)
            Self.check(outcome, try #require(expected), before: before, after: try store.rowCounts(), "\(format) \(what)")
        }
    }

    // MARK: - A downloaded feed that is broken

    /// In strict mode (`db update`: the file is a download), a file that cannot be read as a whole aborts the import:
    /// the store keeps the previous import of the same feed. The tracker's files are each one record, so a bad one
    /// stays a counted failure even then.
    @Test("a broken download (strict) aborts the import with malformed and the previous data of the feed is kept",
          arguments: AdvisoryFormat.allCases.filter { $0 != .ubuntuTracker })
    func strictAbort(format: AdvisoryFormat) throws {
        let origin = "https://feeds.example/" + (format == .trackerArchive ? "tracker.tar.gz" : format.fileName)
        let store = try Self.baselineStore()
        let goodDir = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: goodDir) }
        let good = try Self.place(format, in: goodDir) { try Self.write(try format.valid, to: $0) }
        _ = try store.importAdvisories([AdvisoryPathImporter(path: good, origin: origin, strict: true)])
        let kept = try store.rowCounts()
        for (what, bytes) in [("junk", { (_: Data) in Self.junk }), ("truncated", { (data: Data) in data.prefix(data.count * 6 / 10) })] {
            // YAML and the Wolfi secdb's records cut between entries are record-level failures, not a bad download.
            if what == "truncated", [.osvYAML, .alpineSecDB, .wolfiAdvisories].contains(format) { continue }
            let dir = try VulnDBFixtures.temporaryDirectory()
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let path = try Self.placeBroken(format, in: dir, bytes: bytes)
            let outcome = try Self.importOutcome(path, into: store, strict: true, origin: origin)
            guard case .thrown(let error) = outcome else {
                Issue.record("\(format) \(what): a strict import must abort, got \(outcome)")
                continue
            }
            #expect(error.code == .malformed, "\(format) \(what): \(error)")
            #expect(try store.rowCounts() == kept, "\(format) \(what): the feed's previous data is kept")
        }
    }

    // MARK: - 200 MB

    @Test("a 200 MB file (a valid document padded with 200 MB of whitespace) imports as the small one does",
          arguments: AdvisoryFormat.allCases)
    func twoHundredMegabytes(format: AdvisoryFormat) throws {
        let valid = try format.valid
        let smallDir = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: smallDir) }
        let small = try Self.importOutcome(try Self.place(format, in: smallDir) { try Self.write(valid, to: $0) },
                                           into: try SQLiteAdvisoryStore.inMemory())
        guard case .imported(let smallReport) = small else {
            Issue.record("the valid \(format) document does not import: \(small)")
            return
        }

        let dir = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let point = format.paddingPoint(in: valid)
        let path = try Self.place(format, in: dir) {
            try Self.writePadded(valid, offset: point.offset, byte: point.byte, count: 200_000_000, to: $0)
        }
        let maxBefore = Self.maxRSSMiB()
        Self.resetPeak()
        let base = Self.peakMiB()
        let start = Date()
        let outcome = try Self.importOutcome(path, into: try SQLiteAdvisoryStore.inMemory())
        let seconds = Date().timeIntervalSince(start)
        let peak = Self.peakMiB()
        guard case .imported(let report) = outcome else {
            Issue.record("\(format) 200 MB: \(outcome)")
            return
        }
        #expect(report.totalRecords == smallReport.totalRecords, "\(format): \(report.totalRecords) vs \(smallReport.totalRecords)")
        #expect(report.totalFailed == smallReport.totalFailed, "\(format): \(report.sources.flatMap(\.firstFailures))")
        print("200 MB \(format): \(report.totalRecords) records in \(String(format: "%.1f", seconds)) s; peak RSS of the import \(base.map(String.init) ?? "?") → \(peak.map(String.init) ?? "?") MiB (VmHWM); ru_maxrss \(maxBefore) → \(Self.maxRSSMiB()) MiB")
    }

    // MARK: - Past the per-file bound

    /// A sparse file one byte past the bound of its kind: refused before it is read, so the import's peak memory does
    /// not grow by the file's size.
    @Test("a single file past the per-file bound is refused unread with limitExceeded naming it; the store is unchanged",
          arguments: [("GO-2020-0001.json", AdvisoryPathImporter.maximumDocumentBytes, "256 MiB"),
                      ("feed.yaml", AdvisoryPathImporter.maximumDocumentBytes, "256 MiB"),
                      ("rhel-9.oval.xml", AdvisoryPathImporter.maximumXMLBytes, "1024 MiB"),
                      ("updateinfo.xml.gz", AdvisoryPathImporter.maximumXMLBytes, "1024 MiB")])
    func pastTheBound(name: String, limit: Int, stated: String) throws {
        let dir = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/" + name
        try Self.writeSparse(Data("{\"id\": \"X\"".utf8), size: limit + 1, to: path)
        let store = try Self.baselineStore()
        Self.resetPeak()
        let base = Self.peakMiB()
        let outcome = try Self.importOutcome(path, into: store)
        let peak = Self.peakMiB()
        guard case .thrown(let error) = outcome else {
            Issue.record("\(name): expected limitExceeded, got \(outcome)")
            return
        }
        #expect(error.code == .limitExceeded, "\(error)")
        #expect(error.input == path, "the error names the file")
        #expect(error.message.contains(stated) && error.message.contains("split"), "\(error.message)")
        if let base, let peak { #expect(peak - base < 64, "refused unread: peak grew \(peak - base) MiB") }
        print("past the bound \(name) (\((limit + 1) >> 20) MiB): refused, peak \(base ?? -1) → \(peak ?? -1) MiB")
    }

    @Test("in a directory or zip a file past the bound is a counted failure and the rest imports; strict aborts")
    func pastTheBoundInADirectoryAndZip() throws {
        let dir = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let tree = dir + "/osv"
        try Self.write(try AdvisoryFormat.osvJSON.valid, to: tree + "/GO-2020-0001.json")
        try Self.writeSparse(Data("[".utf8), size: AdvisoryPathImporter.maximumDocumentBytes + 1, to: tree + "/big.json")
        guard case .imported(let report) = try Self.importOutcome(tree, into: try Self.baselineStore()) else {
            Issue.record("a directory with one oversized file must still import")
            return
        }
        #expect(report.totalRecords == 1)
        #expect(report.sources.flatMap(\.firstFailures).map(\.file) == ["big.json"])
        #expect(report.sources.flatMap(\.firstFailures).first?.reason.contains("256 MiB") == true)
        guard case .thrown(let error) = try Self.importOutcome(tree, into: try Self.baselineStore(), strict: true,
                                                               origin: "https://feeds.example/osv") else {
            Issue.record("strict: an oversized member must abort")
            return
        }
        #expect(error.code == .limitExceeded)
        #expect(error.input == "https://feeds.example/osv#big.json")

        // A zip member that inflates past the bound (257 MiB of zeros, 250 KB deflated) is not inflated whole.
        let zip = dir + "/all.zip"
        let script = """
            import sys, zipfile
            with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
                z.writestr('GO-2020-0001.json', open(sys.argv[2], 'rb').read())
                with z.open('big.json', 'w', force_zip64=True) as member:
                    block = b'\\0' * (1 << 20)
                    for _ in range(257):
                        member.write(block)
            """
        let run = try ExternalTool.run(["python3", "-c", script, zip, VulnDBFixtures.path("osv-go/GO-2020-0001.json")])
        try #require(run.status == 0, "\(run.stderr)")
        Self.resetPeak()
        let base = Self.peakMiB()
        guard case .imported(let zipReport) = try Self.importOutcome(zip, into: try Self.baselineStore()) else {
            Issue.record("a zip with one oversized member must still import")
            return
        }
        let peak = Self.peakMiB()
        #expect(zipReport.totalRecords == 1)
        #expect(zipReport.sources.flatMap(\.firstFailures).map(\.file) == ["big.json"])
        #expect(zipReport.sources.flatMap(\.firstFailures).first?.reason.contains("256 MiB") == true, "\(zipReport.sources)")
        if let base, let peak { #expect(peak - base < 64, "refused before inflating: peak grew \(peak - base) MiB") }
    }

    // MARK: - Deep nesting

    /// Run through the `shrike` executable, so a crash (a signal) fails this test instead of killing the test run.
    @Test("a deeply nested document (5,000 levels, 10 KB) is a clear error, not a crash",
          .enabled(if: ShrikeExecutable.path != nil, "the shrike executable is not built (swift build)"),
          arguments: ["json", "yaml", "xml"])
    func deepNesting(ext: String) throws {
        let binary = try #require(ShrikeExecutable.path)
        let dir = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let depth = 5_000
        let text = ext == "xml"
            ? "<updates>" + String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth) + "</updates>"
            : String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        let file = dir + "/deep." + ext
        try Self.write(Data(text.utf8), to: file)
        let run = try ExternalTool.runCapturingBytes(executable: binary, arguments: ["db", "import", file, "--db", dir + "/db.sqlite"],
                                                     environment: nil)
        #expect(run.exitedNormally, "shrike db import crashed (signal \(run.status)) on \(depth) nested \(ext) levels")
        // A counted failure of that file (or a refusal), never a crash.
        #expect(run.status == 0 || run.status == 2, "\(run.stderr)")
    }
}

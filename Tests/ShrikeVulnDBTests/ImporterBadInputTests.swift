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
enum ImportOutcome: Equatable, CustomStringConvertible {
    /// The import threw; the store must be exactly as before.
    case thrown(ShrikeError.Code, String)
    /// The import went through with failures counted (and no new advisory data).
    case counted(failed: Int, records: Int, reasons: [String])

    var description: String {
        switch self {
        case .thrown(let code, let message): return "thrown \(code): \(message)"
        case .counted(let failed, let records, let reasons): return "counted failed=\(failed) records=\(records) \(reasons)"
        }
    }
}

/// Truncated files, 200 MB files and bytes that are not the format, for every importer, through the path importer
/// into a real store: each gives a clear error or a counted failure, never a crash, and a failed import leaves the
/// store as it was.
@Suite("Bad input for every importer", .serialized)
struct ImporterBadInputTests {
    /// Peak resident memory of this process so far, in MiB (`ru_maxrss`, KiB on Linux).
    static func peakMiB() -> Int {
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
            let n = min(left, chunk.count)
            try handle.write(contentsOf: chunk.prefix(n))
            left -= n
        }
        try handle.write(contentsOf: data.dropFirst(offset))
    }

    /// Lays `document` out as `format` is imported (a file, a tracker tree, a `.tar.gz` of the tree) below `dir`, and
    /// returns the path to import.
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

    /// Imports `path` into `store` and says what happened, checking the store's rows against `before`.
    static func importOutcome(_ path: String, into store: SQLiteAdvisoryStore, strict: Bool = false,
                              origin: String? = nil) throws -> ImportOutcome {
        let before = try store.rowCounts()
        do {
            let report = try store.importAdvisories([AdvisoryPathImporter(path: path, origin: origin, strict: strict)])
            return .counted(failed: report.totalFailed, records: report.totalRecords,
                            reasons: report.sources.flatMap(\.firstFailures).map(\.reason))
        } catch let error as ShrikeError {
            #expect(try store.rowCounts() == before, "a failed import must leave the store as it was")
            return .thrown(error.code, error.message)
        }
    }

    /// A store holding data already (the real Alpine 3.9 secdb), so "unchanged" means something.
    static func baselineStore() throws -> SQLiteAdvisoryStore {
        let store = try SQLiteAdvisoryStore.inMemory()
        _ = try store.importAdvisories([AdvisoryPathImporter(path: VulnDBFixtures.path("alpine-secdb/v3.8/main.yaml"))])
        return store
    }
}

import Foundation
import Testing
import ShrikeCore
@testable import ShrikeVulnDB
import ShrikeTestSupport

/// The vendor feeds that need more than one plain download: bzip2-compressed OVAL (Oracle's ELSA, Red Hat's OVAL v2)
/// and Amazon Linux's updateinfo reached through a yum `mirror.list`. Compressed copies are made with the real `bzip2`
/// tool; the repository is served by Support/feed_server.py on 127.0.0.1 with the real AL2 `updateinfo.xml.gz`.
@Suite(.enabled(if: ExternalTool.find("bzip2") != nil && ExternalTool.find("python3") != nil,
                "the bzip2 tool and python3 (the local feed server) are needed"),
       .serialized)
struct VendorFeedTests {
    typealias FeedServer = DatabaseUpdateTests.FeedServer

    static let ovalFixtures = ["oracle-elsa.xml", "redhat-rhel7-dotnet.xml", "redhat-shapes.xml", "suse-oval.xml"]

    /// `file` compressed by the bzip2 tool into `directory`, named `<name>.bz2`.
    @discardableResult
    static func bzip2(_ file: String, into directory: String, name: String? = nil) throws -> String {
        let out = directory + "/" + (name ?? (file as NSString).lastPathComponent + ".bz2")
        let result = try ExternalTool.run(["/bin/sh", "-c", "bzip2 -9 -c \"$0\" > \"$1\"", file, out])
        #expect(result.status == 0, "\(result.stderr)")
        return out
    }

    /// What an import read, keyed by source name, with file names made comparable across `x.xml` and `x.xml.bz2`.
    struct Reading: Equatable, CustomStringConvertible {
        var records: [String: [AdvisoryRecord]]
        var failures: [String: [ImportFailure]]
        var skipped: [String: [ImportFailure]]
        var description: String { "\(records.mapValues(\.count)) failures \(failures.mapValues(\.count)) skipped \(skipped.mapValues(\.count))" }

        init(_ sink: CollectingAdvisorySink) {
            func plain(_ failures: [ImportFailure]) -> [ImportFailure] {
                failures.map { ImportFailure(file: $0.file.replacingOccurrences(of: ".xml.bz2", with: ".xml"), reason: $0.reason) }
            }
            records = Dictionary(uniqueKeysWithValues: sink.records.map { ($0.key.name, $0.value) })
            failures = Dictionary(uniqueKeysWithValues: sink.failures.map { ($0.key.name, plain($0.value)) })
            skipped = Dictionary(uniqueKeysWithValues: sink.skipped.map { ($0.key.name, plain($0.value)) })
        }
    }

    static func read(_ path: String) throws -> Reading {
        let sink = CollectingAdvisorySink()
        try AdvisoryPathImporter(path: path).importAdvisories(into: sink)
        return Reading(sink)
    }

    // MARK: - bzip2-compressed OVAL

    @Test("an .xml.bz2 OVAL file imports exactly the records, failures and skips of the plain .xml", arguments: ovalFixtures)
    func bzip2OVALMatchesPlain(fixture: String) throws {
        let dir = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plain = OVALImportTests.fixture(fixture)
        let compressed = try Self.bzip2(plain, into: dir)
        let expected = try Self.read(plain)
        #expect(!expected.records.isEmpty)
        #expect(try Self.read(compressed) == expected)
        // In a directory, too: the walk picks .xml.bz2 files up.
        #expect(try Self.read(dir) == expected)
    }

    @Test("the real Azure Linux 3.0 OVAL (2 MB) imports the same from .xml.bz2; the time is reported",
          .enabled(if: SharedData.has("os/azurelinux-oval/azurelinux-3.0-oval.xml"),
                   Comment(rawValue: SharedData.reason("os/azurelinux-oval/azurelinux-3.0-oval.xml"))))
    func realOVALCompressed() throws {
        let dir = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let plain = SharedData.path("os/azurelinux-oval/azurelinux-3.0-oval.xml")
        let compressed = try Self.bzip2(plain, into: dir)
        let start = Date()
        let fromBzip2 = try Self.read(compressed)
        let seconds = Date().timeIntervalSince(start)
        let expected = try Self.read(plain)
        #expect(fromBzip2 == expected)
        let count = fromBzip2.records.values.map(\.count).reduce(0, +)
        #expect(count > 1000, "\(fromBzip2)")
        print("azurelinux-3.0-oval.xml.bz2: \(count) records in \(String(format: "%.2f", seconds)) s")
    }

    enum BadBzip2: String, CaseIterable, Sendable {
        case truncated, corrupt, notBzip2
    }

    @Test("a truncated or corrupt .xml.bz2 is a failure naming the file in db import, and fails a strict (feed) import",
          arguments: BadBzip2.allCases)
    func badBzip2(breakage: BadBzip2) throws {
        let dir = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let good = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try Self.bzip2(OVALImportTests.fixture("oracle-elsa.xml"), into: dir))))
        var bytes = good
        switch breakage {
        case .truncated: bytes = Array(good.prefix(good.count - 100))
        case .corrupt: for index in stride(from: 60, to: bytes.count - 40, by: 53) { bytes[index] ^= 0x5A }
        case .notBzip2: bytes = Array("BZ this is no bzip2 stream".utf8)
        }
        let path = dir + "/broken/com.oracle.elsa-ol9.xml.bz2"
        try FileManager.default.createDirectory(atPath: dir + "/broken", withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))

        let sink = CollectingAdvisorySink()
        try AdvisoryPathImporter(path: path).importAdvisories(into: sink)
        #expect(sink.allRecords.isEmpty)
        let failure = try #require(sink.allFailures.first, "the broken file is a counted failure")
        #expect(failure.file == "com.oracle.elsa-ol9.xml.bz2")
        #expect(failure.reason.hasPrefix("cannot bunzip2: "), "\(failure.reason)")

        #expect { try AdvisoryPathImporter(path: path, origin: "https://linux.oracle.com/x.xml.bz2", strict: true)
            .importAdvisories(into: CollectingAdvisorySink()) } throws: { error in
            let error = error as? ShrikeError
            return error?.code == .malformed && error?.input == "https://linux.oracle.com/x.xml.bz2"
        }
    }

    @Test("gzip and bzip2 alike: a document that decompresses past the bound is refused (limitExceeded), below it read whole",
          arguments: [("bzip2 -9 -c", CompressedXMLFile.Format.bzip2), ("gzip -9 -c", .gzip)])
    func decompressionBound(tool: String, format: CompressedXMLFile.Format) throws {
        #expect(CompressedXMLFile.decompressedLimit == 1 << 30, "one bound, sized for Red Hat's ~600 MB RHEL 9 OVAL")
        let dir = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // 20 MB of one repeated line packs into a few KB: a bomb's shape at a test's size.
        let result = try ExternalTool.run(["/bin/sh", "-c", "yes '<definition/>' | head -c 20000000 | \(tool) > \"$0/bomb\"", dir])
        #expect(result.status == 0, "\(result.stderr)")
        let packed = try Data(contentsOf: URL(fileURLWithPath: dir + "/bomb"))
        #expect(packed.count < 100_000)
        #expect { try CompressedXMLFile.decompress(packed, format: format, what: "bomb.xml", limit: 1 << 20) } throws: { error in
            (error as? ShrikeError)?.code == .limitExceeded && (error as? ShrikeError)?.input == "bomb.xml"
        }
        #expect(try CompressedXMLFile.decompress(packed, format: format, what: "bomb.xml", limit: 20_000_000).count == 20_000_000)
    }

    @Test("db update sniffs bzip2 (BZh) as .xml.bz2 whatever the URL says", arguments: [
        ("BZh91AY&SY", "https://linux.oracle.com/security/oval/com.oracle.elsa-ol9.xml.bz2", ".xml.bz2"),
        ("BZh91AY&SY", "https://mirror.example/oval/latest", ".xml.bz2"),
        ("<?xml version=\"1.0\"?><oval_definitions/>", "https://mirror.example/oval.xml", ".xml"),
        ("{\"packages\": []}", "https://mirror.example/security.json", ".json"),
    ])
    func sniffsBzip2(head: String, url: String, expected: String) throws {
        let dir = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(head.utf8).write(to: URL(fileURLWithPath: dir + "/download"))
        #expect(try DatabaseUpdater.fileExtension(of: dir + "/download", feed: try FeedSource(url: url)) == expected)
    }

    @Test("db update downloads an .xml.bz2 OVAL feed and stores what db import stores from the plain file",
          .timeLimit(.minutes(2)))
    func bzip2Feed() async throws {
        let server = try FeedServer()
        defer { server.stop() }
        let dir = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let compressed = try Self.bzip2(OVALImportTests.fixture("oracle-elsa.xml"), into: dir, name: "com.oracle.elsa-ol9.xml.bz2")
        try server.put("security/oval/com.oracle.elsa-ol9.xml.bz2", try Data(contentsOf: URL(fileURLWithPath: compressed)))
        // Served under a name without an extension too: the content decides.
        try server.put("oval/latest", try Data(contentsOf: URL(fileURLWithPath: compressed)))

        let reference = try SQLiteAdvisoryStore.inMemory()
        _ = try reference.importAdvisories([AdvisoryPathImporter(path: OVALImportTests.fixture("oracle-elsa.xml"))])
        func counts(_ status: AdvisoryDatabaseStatus) -> [String: [Int]] {
            Dictionary(uniqueKeysWithValues: status.sources.map { ($0.name, [$0.records, $0.affected, $0.failed, $0.skipped]) })
        }
        let expected = counts(try reference.status())
        #expect(expected["oval:oracle:7"]?.first ?? 0 > 0, "\(expected)")

        for path in ["security/oval/com.oracle.elsa-ol9.xml.bz2", "oval/latest"] {
            let db = dir + "/\(path.replacingOccurrences(of: "/", with: "-")).sqlite"
            let report = try await DatabaseUpdater(databasePath: db, feeds: [try server.feed(path)]).update()
            #expect(report.feeds.map(\.outcome) == [.downloaded])
            #expect(Set(report.feeds[0].sources) == Set(expected.keys))
            let store = try SQLiteAdvisoryStore(path: db, create: false)
            #expect(counts(try store.status()) == expected, "\(path)")
            #expect(try store.status().sources.allSatisfy { $0.location == server.url(path) })
        }
    }

    // MARK: - Amazon Linux through mirror.list

    /// Where the test repository lives on the server, laid out as Amazon's CDN lays out AL2.
    static let listPath = "2/core/latest/x86_64/mirror.list"
    static let repositoryPath = "2/core/2.0/x86_64/8e6e2b4e0a1f"
    static let updateInfoFixture = "amazon-updateinfo/al2-updateinfo.xml.gz"

    /// A repomd.xml shaped like Amazon's (primary and updateinfo entries with checksums and sizes); no updateinfo
    /// entry when `href` is nil.
    static func repomd(updateInfoHref href: String?, updateInfo: Data) -> String {
        let updateInfoEntry = href.map { href in
            """
              <data type="updateinfo">
                <checksum type="sha256">\(sha256(updateInfo))</checksum>
                <location href="\(href)"/>
                <timestamp>1569972326</timestamp>
                <size>\(updateInfo.count)</size>
              </data>
            """
        } ?? ""
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">
              <revision>1569972356</revision>
              <data type="primary_db">
                <checksum type="sha256">8508e3ed25587c08ec66683d13963e39f51a56f3450b5493516bf8421cd47bff</checksum>
                <location href="repodata/primary.sqlite.gz"/>
                <timestamp>1569972344</timestamp>
                <size>34874486</size>
              </data>
            \(updateInfoEntry)
            </repomd>

            """
    }

    static func sha256(_ data: Data) -> String {
        let result = try? ExternalTool.run(["sha256sum"], input: Array(data))
        return result?.stdout.split(separator: " ").first.map(String.init) ?? ""
    }

    /// Serves the mirror list, the repository's repomd.xml and its updateinfo (the real AL2 file); returns the feed.
    @discardableResult
    static func serveRepository(_ server: FeedServer, mirrors: [String]? = nil, updateInfoHref: String? = "repodata/updateinfo.xml.gz",
                                repomd: String? = nil) throws -> FeedSource {
        let updateInfo = try Data(contentsOf: URL(fileURLWithPath: VulnDBFixtures.path(updateInfoFixture)))
        let lines = mirrors ?? [server.url(repositoryPath)]
        try server.put(listPath, Data((lines.joined(separator: "\n") + "\n").utf8))
        try server.put(repositoryPath + "/repodata/repomd.xml",
                       Data((repomd ?? Self.repomd(updateInfoHref: updateInfoHref, updateInfo: updateInfo)).utf8))
        try server.put(repositoryPath + "/repodata/updateinfo.xml.gz", updateInfo)
        return try server.feed(listPath)
    }

    @Test("a mirror.list feed is resolved to the repository's updateinfo, which is downloaded and imported as db import reads it",
          .timeLimit(.minutes(2)))
    func mirrorListEndToEnd() async throws {
        let server = try FeedServer()
        defer { server.stop() }
        // A comment, a blank line and a plain-http mirror on another host come first: the first usable URL is taken.
        let feed = try Self.serveRepository(server, mirrors: ["# Amazon Linux 2 core", "", "http://amazonlinux.example.org/2/core/2.0/x86_64/",
                                                              server.url(Self.repositoryPath), server.url("never/used")])
        let db = try VulnDBFixtures.temporaryDirectory() + "/db.sqlite"
        defer { try? FileManager.default.removeItem(atPath: (db as NSString).deletingLastPathComponent) }

        let report = try await DatabaseUpdater(databasePath: db, feeds: [feed]).update()
        #expect(report.replaced)
        #expect(report.feeds.map(\.outcome) == [.downloaded])
        #expect(report.feeds.first?.url == server.url(Self.listPath))
        #expect(report.feeds.first?.sources == ["alas:2"])
        let updateInfoSize = try Data(contentsOf: URL(fileURLWithPath: VulnDBFixtures.path(Self.updateInfoFixture))).count
        #expect(report.feeds.first?.bytes == Int64(updateInfoSize), "the bytes are the updateinfo's")

        // The same as importing the file from disk: 16 CVEs of ALAS2-2018-942 and -949.
        let direct = try VulnDBFixtures.collect(Self.updateInfoFixture)
        let store = try SQLiteAdvisoryStore(path: db, create: false)
        let source = try #require(try store.status().sources.first { $0.name == "alas:2" })
        #expect(source.records == Set(direct.allRecords.map(\.vulnerability.id)).count)
        #expect(source.records == 16)
        #expect(source.affected == direct.allRecords.flatMap(\.affected).count)
        #expect(source.failed == 0)
        #expect(source.location == server.url(Self.listPath), "named by the feed, not the temporary file")
        let qemu = try store.affected(namespace: "amazon:2", packageName: "qemu-kvm")
        #expect(qemu.contains { $0.vulnerabilityID == "CVE-2017-5715" && $0.ranges.first?.fixedVersion == "10:1.5.3-141.amzn2.5.3" })
        // The updateinfo's validators are stored under the feed URL.
        let validators = try store.feedValidators(url: feed.url.absoluteString)
        #expect(validators?.etag != nil && validators?.lastModified != nil)

        #expect(try server.requests().map(\.path) == ["/" + Self.listPath, "/\(Self.repositoryPath)/repodata/repomd.xml",
                                                     "/\(Self.repositoryPath)/repodata/updateinfo.xml.gz"])
        #expect(try DatabaseUpdateTests.leftovers(next: db).isEmpty)
    }

    @Test("a second update re-reads the mirror list and repomd.xml, gets 304 for the updateinfo and leaves the database untouched",
          .timeLimit(.minutes(2)))
    func mirrorListNotModified() async throws {
        let server = try FeedServer()
        defer { server.stop() }
        let feed = try Self.serveRepository(server)
        let db = try VulnDBFixtures.temporaryDirectory() + "/db.sqlite"
        defer { try? FileManager.default.removeItem(atPath: (db as NSString).deletingLastPathComponent) }
        _ = try await DatabaseUpdater(databasePath: db, feeds: [feed]).update()
        let before = try DatabaseUpdateTests.bytes(db)

        let second = try await DatabaseUpdater(databasePath: db, feeds: [feed]).update()
        #expect(!second.replaced)
        #expect(second.imported == nil)
        #expect(second.feeds.map(\.outcome) == [.notModified])
        #expect(second.feeds.first?.sources == ["alas:2"])
        #expect(try DatabaseUpdateTests.bytes(db) == before)
        let requests = try server.requests()
        #expect(requests.count == 6)
        let last = requests.suffix(3).map { ($0.path, $0.status, $0.ifNoneMatch != nil) }
        #expect(last.map(\.0) == ["/" + Self.listPath, "/\(Self.repositoryPath)/repodata/repomd.xml",
                                  "/\(Self.repositoryPath)/repodata/updateinfo.xml.gz"])
        #expect(last.map(\.1) == [200, 200, 304])
        #expect(last.map(\.2) == [false, false, true], "only the updateinfo request is conditional")

        // A new updateinfo under another name (createrepo's unique file names) is downloaded again.
        let respun = server.www + "/" + Self.repositoryPath + "/repodata/0b1c-updateinfo.xml.gz"
        let gzip = try ExternalTool.run(["/bin/sh", "-c", "(gzip -dc \"$0\"; echo '<!-- respun -->') | gzip -c > \"$1\"",
                                         VulnDBFixtures.path(Self.updateInfoFixture), respun])
        #expect(gzip.status == 0, "\(gzip.stderr)")
        let updateInfo = try Data(contentsOf: URL(fileURLWithPath: respun))
        try server.put(Self.repositoryPath + "/repodata/repomd.xml",
                       Data(Self.repomd(updateInfoHref: "repodata/0b1c-updateinfo.xml.gz", updateInfo: updateInfo).utf8))
        let third = try await DatabaseUpdater(databasePath: db, feeds: [feed]).update()
        #expect(third.feeds.map(\.outcome) == [.downloaded])
        #expect(third.replaced)
        #expect(try server.requests().last?.path == "/\(Self.repositoryPath)/repodata/0b1c-updateinfo.xml.gz")
    }

    enum MirrorBreakage: String, CaseIterable, Sendable {
        case mirrorListMissing, emptyMirrorList, plainHTTPMirror, repomdMissing, repomdWithoutUpdateInfo, repomdNotXML,
             updateInfoOffHost, updateInfoTruncated, updateInfoCorrupt
    }

    @Test("any failure on the way from mirror.list to updateinfo throws naming the URL at fault and leaves the database byte-identical",
          .timeLimit(.minutes(2)), arguments: MirrorBreakage.allCases)
    func mirrorListFailure(breakage: MirrorBreakage) async throws {
        let server = try FeedServer()
        defer { server.stop() }
        let good = try server.serveBundledFeeds()
        let db = try VulnDBFixtures.temporaryDirectory() + "/db.sqlite"
        defer { try? FileManager.default.removeItem(atPath: (db as NSString).deletingLastPathComponent) }
        _ = try await DatabaseUpdater(databasePath: db, feeds: good).update()
        let before = try DatabaseUpdateTests.bytes(db)

        let listURL = server.url(Self.listPath)
        let repomdURL = server.url(Self.repositoryPath + "/repodata/repomd.xml")
        var feed = try server.feed(Self.listPath)
        let expected: (code: ShrikeError.Code, input: String, says: String)
        switch breakage {
        case .mirrorListMissing:
            feed = try server.feed("missing/mirror.list")
            expected = (.io, server.url("missing/mirror.list"), "HTTP 404")
        case .emptyMirrorList:
            try Self.serveRepository(server, mirrors: ["# no mirrors today", ""])
            expected = (.malformed, listURL, "names no repository URL")
        case .plainHTTPMirror:
            try Self.serveRepository(server, mirrors: ["http://amazonlinux.example.org/2/core/2.0/x86_64/"])
            expected = (.usage, listURL, "http://amazonlinux.example.org/2/core/2.0/x86_64/")
        case .repomdMissing:
            try Self.serveRepository(server, mirrors: [server.url("2/core/2.0/x86_64/gone")])
            expected = (.io, server.url("2/core/2.0/x86_64/gone/repodata/repomd.xml"), "HTTP 404")
        case .repomdWithoutUpdateInfo:
            try Self.serveRepository(server, updateInfoHref: nil)
            expected = (.malformed, repomdURL, "lists no updateinfo")
        case .repomdNotXML:
            try Self.serveRepository(server, repomd: "{\"this\": \"is not a repository\"}")
            expected = (.malformed, repomdURL, "not a yum repomd.xml")
        case .updateInfoOffHost:
            try Self.serveRepository(server, updateInfoHref: "http://amazonlinux.example.org/updateinfo.xml.gz")
            expected = (.usage, "http://amazonlinux.example.org/updateinfo.xml.gz", "named by \(repomdURL)")
        case .updateInfoTruncated:
            try Self.serveRepository(server, updateInfoHref: server.url("_truncate/\(Self.repositoryPath)/repodata/updateinfo.xml.gz"))
            expected = (.io, server.url("_truncate/\(Self.repositoryPath)/repodata/updateinfo.xml.gz"),
                        "(the updateinfo of the repository in \(listURL))")
        case .updateInfoCorrupt:
            try Self.serveRepository(server)
            var garbled = try Data(contentsOf: URL(fileURLWithPath: VulnDBFixtures.path(Self.updateInfoFixture)))
            for offset in 40..<400 { garbled[offset] ^= 0x5A }
            try server.put(Self.repositoryPath + "/repodata/updateinfo.xml.gz", garbled)
            expected = (.malformed, listURL, "cannot gunzip")
        }

        do {
            _ = try await DatabaseUpdater(databasePath: db, feeds: good + [feed]).update()
            Issue.record("the update succeeded")
        } catch let error as ShrikeError {
            #expect(error.code == expected.code, "\(error)")
            #expect(error.input == expected.input, "\(error)")
            #expect(error.message.contains(expected.says), "\(error)")
        }
        #expect(try DatabaseUpdateTests.bytes(db) == before)
        #expect(try DatabaseUpdateTests.leftovers(next: db).isEmpty, "no staging directory or journal left behind")
        if breakage == .plainHTTPMirror || breakage == .updateInfoOffHost {
            #expect(try !server.requests().contains { $0.path.contains("example.org") })
        }
    }

    @Test("the command: a repository without updateinfo exits 2 with one line naming the repomd.xml", .timeLimit(.minutes(2)))
    func commandNamesRepomd() throws {
        let server = try FeedServer()
        defer { server.stop() }
        let feed = try Self.serveRepository(server, updateInfoHref: nil)
        let db = try VulnDBFixtures.temporaryDirectory() + "/db.sqlite"
        defer { try? FileManager.default.removeItem(atPath: (db as NSString).deletingLastPathComponent) }
        let run = try DatabaseUpdateTests.runShrike(["db", "update", "--db", db, "--source", feed.description])
        #expect(run.status == 2)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(run.stderr)")
        #expect(lines.first?.hasPrefix("shrike: error: \(server.url(Self.repositoryPath + "/repodata/repomd.xml")): the repository metadata lists no updateinfo") == true,
                "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    // MARK: - Resolution rules

    @Test("the repository is the mirror list's first https (or loopback http) line", arguments: [
        ("https://al2023-repos-us-east-1-de612dc2.s3.dualstack.us-east-1.amazonaws.com/core/mirrors/2023.6.20241010/x86_64/\n",
         "https://al2023-repos-us-east-1-de612dc2.s3.dualstack.us-east-1.amazonaws.com/core/mirrors/2023.6.20241010/x86_64/"),
        ("\n# comment\n  http://mirror.example.org/a/\r\nhttps://mirror.example.net/b\n", "https://mirror.example.net/b"),
        ("ftp://mirror.example.org/x\nhttp://127.0.0.1:8080/repo\n", "http://127.0.0.1:8080/repo"),
    ])
    func repositoryFromMirrorList(text: String, expected: String) throws {
        let list = try #require(URL(string: "https://cdn.amazonlinux.com/al2023/core/mirrors/latest/x86_64/mirror.list"))
        #expect(try YumRepositoryFeed.repositoryURL(inMirrorList: text, listURL: list).absoluteString == expected)
    }

    @Test("the updateinfo location is resolved against the repository root, with or without a trailing slash, or xml:base", arguments: [
        ("https://mirror.example/2/core/2.0/x86_64/8e6e", "repodata/updateinfo.xml.gz", nil as String?,
         "https://mirror.example/2/core/2.0/x86_64/8e6e/repodata/updateinfo.xml.gz"),
        ("https://mirror.example/al2023/x86_64/", "repodata/5f1b-updateinfo.xml.gz", nil,
         "https://mirror.example/al2023/x86_64/repodata/5f1b-updateinfo.xml.gz"),
        ("https://mirror.example/repo", "repodata/updateinfo.xml.gz", "https://cdn.example/base",
         "https://cdn.example/base/repodata/updateinfo.xml.gz"),
    ])
    func updateInfoLocation(repository: String, href: String, base: String?, expected: String) throws {
        let repositoryURL = try #require(URL(string: repository))
        let baseAttribute = base.map { " xml:base=\"\($0)\"" } ?? ""
        let repomd = """
            <repomd xmlns="http://linux.duke.edu/metadata/repo">
              <data type="primary"><location href="repodata/primary.xml.gz"/></data>
              <data type="updateinfo"><location\(baseAttribute) href="\(href)"/></data>
            </repomd>
            """
        let url = try YumRepositoryFeed.updateInfoURL(inRepomd: Data(repomd.utf8), repository: repositoryURL,
                                                      repomdURL: repositoryURL.appendingPathComponent("repodata/repomd.xml"))
        #expect(url.absoluteString == expected)
    }

    @Test("only URLs ending in /mirror.list are resolved as yum repositories", arguments: [
        ("https://cdn.amazonlinux.com/al2023/core/mirrors/latest/x86_64/mirror.list", true),
        ("https://cdn.amazonlinux.com/2/core/latest/x86_64/mirror.list", true),
        ("https://example.org/mirror.list.json", false),
        ("https://example.org/repodata/updateinfo.xml.gz", false),
    ])
    func mirrorListURLs(url: String, isList: Bool) throws {
        #expect(YumRepositoryFeed.isMirrorList(try FeedSource(url: url).url) == isList)
    }
}

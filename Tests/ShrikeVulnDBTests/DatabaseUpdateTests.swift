import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import ShrikeCore
@testable import ShrikeVulnDB
import ShrikeTestSupport

/// `shrike db update` against a real HTTP server on 127.0.0.1 (Support/feed_server.py) serving the bundled fixtures
/// as feeds: an OSV zip of the real Go records, the secdb JSON feed file and the Debian tracker JSON.
@Suite(.enabled(if: ExternalTool.find("python3") != nil, "python3 is needed for the local feed server"),
       .serialized)
struct DatabaseUpdateTests {
    /// The feed server, running until `stop()`; serves `root` (a fresh temporary directory).
    final class FeedServer {
        let root: String
        let www: String
        let port: Int
        private let server: PortFileServer

        init() throws {
            root = try VulnDBFixtures.temporaryDirectory()
            www = root + "/www"
            try FileManager.default.createDirectory(atPath: www, withIntermediateDirectories: true)
            server = try PortFileServer(script: "Tests/ShrikeVulnDBTests/Support/feed_server.py",
                                        arguments: ["--root", www, "--log", root + "/requests.log"],
                                        portFile: root + "/port", what: "feed server")
            port = server.port
        }

        /// Stops the server (never waits unbounded) and removes its files.
        func stop() {
            server.stop()
            try? FileManager.default.removeItem(atPath: root)
        }

        deinit { stop() }

        func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }
        func feed(_ path: String) throws -> FeedSource { try FeedSource(url: url(path)) }

        struct Request: Decodable {
            var path: String
            var status: Int
            var ifNoneMatch: String?
            var ifModifiedSince: String?
        }

        /// Every request served so far, in order.
        func requests() throws -> [Request] {
            guard let data = FileManager.default.contents(atPath: root + "/requests.log") else { return [] }
            return try data.split(separator: UInt8(ascii: "\n")).map { try JSONDecoder().decode(Request.self, from: Data($0)) }
        }

        /// Writes `data` to `path` below the served directory.
        func put(_ path: String, _ data: Data) throws {
            let file = www + "/" + path
            try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: file))
        }

        /// Serves the three bundled feeds: `Go/all.zip` (the real Go OSV records, zipped), `v3.99/main.json`
        /// (the secdb feed-shaped file) and `tracker/data/json` (the Debian tracker subset).
        func serveBundledFeeds() throws -> [FeedSource] {
            try put("Go/all.zip", try DatabaseUpdateTests.zip(directory: VulnDBFixtures.path("osv-go")))
            try put("v3.99/main.json", try Data(contentsOf: URL(fileURLWithPath: VulnDBFixtures.path("alpine-feed/v3.99-main.json"))))
            try put("tracker/data/json", try Data(contentsOf: URL(fileURLWithPath: VulnDBFixtures.path("debian-tracker/debian.json"))))
            return [try feed("Go/all.zip"), try feed("v3.99/main.json"), try feed("tracker/data/json")]
        }
    }

    /// A deflated zip of every file in `directory`, made by Python's zipfile (as OSV's exports are ordinary zips).
    static func zip(directory: String) throws -> Data {
        let out = try VulnDBFixtures.temporaryDirectory() + "/all.zip"
        defer { try? FileManager.default.removeItem(atPath: (out as NSString).deletingLastPathComponent) }
        let script = """
            import os, sys, zipfile
            src, out = sys.argv[1], sys.argv[2]
            with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
                for name in sorted(os.listdir(src)):
                    z.write(os.path.join(src, name), name)
            """
        let result = try ExternalTool.run(["python3", "-c", script, directory, out])
        #expect(result.status == 0, "\(result.stderr)")
        return try Data(contentsOf: URL(fileURLWithPath: out))
    }

    /// The file's bytes, to compare a database before and after.
    static func bytes(_ path: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// Files next to the database other than the database itself (a staging directory left behind, a journal).
    static func leftovers(next database: String) throws -> [String] {
        let directory = (database as NSString).deletingLastPathComponent
        return try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0 != (database as NSString).lastPathComponent }
    }

    /// The built `shrike` executable.
    static let shrikeBinary: String? = ShrikeExecutable.path

    static func runShrike(_ arguments: [String]) throws -> ExternalTool.Result {
        let binary = try #require(shrikeBinary, "the shrike executable is not built (swift build)")
        return try ExternalTool.run([binary] + arguments, environment: ["NO_COLOR": "1"])
    }

    // MARK: - Tests

    @Test("a first update downloads every feed and imports it into a new database", .timeLimit(.minutes(2)))
    func firstUpdate() async throws {
        let server = try FeedServer()
        defer { server.stop() }
        let feeds = try server.serveBundledFeeds()
        let db = try VulnDBFixtures.temporaryDirectory() + "/cache/db.sqlite"
        defer { try? FileManager.default.removeItem(atPath: ((db as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent) }

        let report = try await DatabaseUpdater(databasePath: db, feeds: feeds).update()
        #expect(report.replaced)
        #expect(report.feeds.map(\.outcome) == [.downloaded, .downloaded, .downloaded])
        // Sources are named by the feed URL (OSV) or by the data (secdb's distroversion/reponame, the tracker).
        #expect(report.feeds.map(\.sources) == [["osv:" + server.url("Go/all.zip")], ["alpine-secdb:v3.99/main"], ["debian-tracker"]])

        let store = try SQLiteAdvisoryStore(path: db, create: false)
        let status = try store.status()
        let bySource = Dictionary(uniqueKeysWithValues: status.sources.map { ($0.name, $0) })
        // The six Go files in Fixtures/osv-go are six records.
        #expect(bySource["osv:" + server.url("Go/all.zip")]?.records == 6)
        #expect(bySource["osv:" + server.url("Go/all.zip")]?.location == server.url("Go/all.zip"))
        // Same counts as importing the same files from disk.
        let alpine = try VulnDBFixtures.collect("alpine-feed/v3.99-main.json")
        #expect(bySource["alpine-secdb:v3.99/main"]?.records == Set(alpine.allRecords.map(\.vulnerability.id)).count)
        #expect(bySource["alpine-secdb:v3.99/main"]?.failed == alpine.allFailures.count)
        // Failures name the feed's own file, not the download's temporary name.
        let failures = try store.importErrors(source: "alpine-secdb:v3.99/main")
        #expect(!failures.isEmpty && failures.allSatisfy { $0.file.hasPrefix("main.json#") }, "\(failures)")
        #expect(bySource["debian-tracker"]?.location == server.url("tracker/data/json"))
        // A real lookup: musl's CVE-2019-14697 from the feed file, fixed in 1.1.20-r5.
        let musl = try store.affected(namespace: "alpine:3.99", packageName: "musl")
        #expect(musl.contains { $0.vulnerabilityID == "CVE-2019-14697" })
        // Validators are stored for the next update.
        for feed in feeds {
            let validators = try store.feedValidators(url: feed.url.absoluteString)
            #expect(validators?.etag != nil && validators?.lastModified != nil, "\(feed)")
        }
        #expect(try Self.leftovers(next: db).isEmpty, "the staging directory is removed")
        #expect(try server.requests().count == 3)
    }

    @Test("a second update sends the validators, gets 304 for every feed and leaves the database untouched",
          .timeLimit(.minutes(2)))
    func notModified() async throws {
        let server = try FeedServer()
        defer { server.stop() }
        let feeds = try server.serveBundledFeeds()
        let db = try VulnDBFixtures.temporaryDirectory() + "/db.sqlite"
        defer { try? FileManager.default.removeItem(atPath: (db as NSString).deletingLastPathComponent) }
        _ = try await DatabaseUpdater(databasePath: db, feeds: feeds).update()
        let before = try Self.bytes(db)
        // What an update killed mid-way leaves behind (its pid is gone): the next update removes it.
        let abandoned = (db as NSString).deletingLastPathComponent + "/.db.sqlite.update-2147483646-deadbeef"
        try FileManager.default.createDirectory(atPath: abandoned + "/0", withIntermediateDirectories: true)

        let second = try await DatabaseUpdater(databasePath: db, feeds: feeds).update()
        #expect(!FileManager.default.fileExists(atPath: abandoned), "an abandoned staging directory is removed")
        #expect(!second.replaced)
        #expect(second.imported == nil, "nothing re-imported")
        #expect(second.feeds.map(\.outcome) == [.notModified, .notModified, .notModified])
        #expect(second.feeds[1].sources == ["alpine-secdb:v3.99/main"])
        #expect(try Self.bytes(db) == before)
        let requests = try server.requests()
        #expect(requests.count == 6)
        for request in requests.suffix(3) {
            #expect(request.status == 304, "\(request.path)")
            #expect(request.ifNoneMatch?.hasPrefix("\"") == true, "\(request.path) sent If-None-Match")
            #expect(request.ifModifiedSince != nil, "\(request.path) sent If-Modified-Since")
        }

        // One feed changes: only it is downloaded and re-imported; the others keep their records.
        var tracker = try String(contentsOfFile: VulnDBFixtures.path("debian-tracker/debian.json"), encoding: .utf8)
        tracker = tracker.replacingOccurrences(of: "\"txt2man\"", with: "\"txt2man-renamed\"")
        try server.put("tracker/data/json", Data(tracker.utf8))
        let third = try await DatabaseUpdater(databasePath: db, feeds: feeds).update()
        #expect(third.replaced)
        #expect(third.feeds.map(\.outcome) == [.notModified, .notModified, .downloaded])
        #expect(third.imported?.sources.map(\.name) == ["debian-tracker"])
        let store = try SQLiteAdvisoryStore(path: db, create: false)
        let names = try store.status().sources.map(\.name)
        #expect(names.contains("osv:" + server.url("Go/all.zip")) && names.contains("alpine-secdb:v3.99/main"))
        #expect(try !store.affected(namespace: "alpine:3.99", packageName: "musl").isEmpty, "unchanged feed kept its records")
        let renamed = try store.status().sources.first { $0.name == "debian-tracker" }
        #expect(renamed?.records ?? 0 > 0)
    }

    enum Breakage: String, CaseIterable, Sendable {
        case serverError, truncatedTransfer, garbledZip, truncatedZipFile, notJSON
    }

    @Test("a failing feed leaves the old database byte-identical; the command exits 2 with one line naming the URL",
          .timeLimit(.minutes(2)), arguments: Breakage.allCases)
    func failureKeepsOldDatabase(breakage: Breakage) async throws {
        let server = try FeedServer()
        defer { server.stop() }
        let feeds = try server.serveBundledFeeds()
        let db = try VulnDBFixtures.temporaryDirectory() + "/db.sqlite"
        defer { try? FileManager.default.removeItem(atPath: (db as NSString).deletingLastPathComponent) }
        _ = try await DatabaseUpdater(databasePath: db, feeds: feeds).update()
        let before = try Self.bytes(db)

        let zip = try Self.zip(directory: VulnDBFixtures.path("osv-rust"))
        let badURL: String
        switch breakage {
        case .serverError:
            badURL = server.url("_status/500/crates.io/all.zip")
        case .truncatedTransfer:
            try server.put("crates.io/all.zip", zip)
            badURL = server.url("_truncate/crates.io/all.zip")
        case .garbledZip:
            // Overwrite compressed bytes of the first member: the zip opens, its CRC (or inflate) fails.
            var garbled = zip
            for offset in 80..<240 { garbled[offset] ^= 0x5A }
            try server.put("crates.io/all.zip", garbled)
            badURL = server.url("crates.io/all.zip")
        case .truncatedZipFile:
            try server.put("crates.io/all.zip", zip.prefix(zip.count / 2))
            badURL = server.url("crates.io/all.zip")
        case .notJSON:
            try server.put("v3.100/main.json", Data("<html>maintenance</html>".utf8))
            badURL = server.url("v3.100/main.json")
        }

        // The library: throws naming the URL, leaves the file alone.
        await #expect(throws: ShrikeError.self) {
            _ = try await DatabaseUpdater(databasePath: db, feeds: [try FeedSource(url: badURL)] + feeds).update()
        }
        do {
            _ = try await DatabaseUpdater(databasePath: db, feeds: feeds + [try FeedSource(url: badURL)]).update()
        } catch let error as ShrikeError {
            #expect(error.input == badURL, "\(error)")
        }
        #expect(try Self.bytes(db) == before)
        #expect(try Self.leftovers(next: db).isEmpty, "no staging directory or journal left behind")

        // The command: exit 2, exactly one line on stderr, naming the URL.
        let run = try Self.runShrike(["db", "update", "--db", db] + feeds.flatMap { ["--source", $0.description] } + ["--source", badURL])
        #expect(run.status == 2)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(run.stderr)")
        #expect(lines.first?.hasPrefix("shrike: error: \(badURL): ") == true, "\(run.stderr)")
        #expect(try Self.bytes(db) == before)
        #expect(try Self.leftovers(next: db).isEmpty)
    }

    @Test("feeds are https; plain http only from loopback hosts", .timeLimit(.minutes(2)), arguments: [
        ("https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip", true),
        ("http://127.0.0.1:8080/PyPI/all.zip", true),
        ("http://127.9.9.9/x.json", true),
        ("http://localhost/v3.20/main.json", true),
        ("http://[::1]:9000/tracker/data/json", true),
        ("http://secdb.alpinelinux.org/v3.20/main.json", false),
        ("http://127.0.0.1.example.org/x.zip", false),
        ("http://10.0.0.1/x.zip", false),
        ("ftp://127.0.0.1/x.zip", false),
        ("secdb.alpinelinux.org/v3.20/main.json", false),
    ])
    func scheme(url: String, accepted: Bool) {
        if accepted {
            #expect((try? FeedSource(url: url)) != nil)
        } else {
            #expect(throws: ShrikeError.self) { try FeedSource(url: url) }
        }
    }

    @Test("the default feeds are all https; the CLI refuses plain http to other hosts and says why",
          .timeLimit(.minutes(2)))
    func httpsByDefault() throws {
        let defaults = FeedSource.defaults
        #expect(defaults.count == FeedSource.defaultOSVEcosystems.count + FeedSource.defaultDistroOSVEcosystems.count
                    + 2 * FeedSource.defaultAlpineReleases.count + 1 + FeedSource.defaultVendorFeeds.count
                    + FeedSource.defaultAmazonMirrorLists.count)
        // Oracle's and Red Hat's OVAL (bzip2) for releases 8 and 9; Amazon Linux 2023 and 2 through their mirror lists.
        for url in ["https://linux.oracle.com/security/oval/com.oracle.elsa-ol8.xml.bz2",
                    "https://linux.oracle.com/security/oval/com.oracle.elsa-ol9.xml.bz2",
                    "https://security.access.redhat.com/data/oval/v2/RHEL8/rhel-8.oval.xml.bz2",
                    "https://security.access.redhat.com/data/oval/v2/RHEL9/rhel-9.oval.xml.bz2",
                    "https://cdn.amazonlinux.com/al2023/core/mirrors/latest/x86_64/mirror.list",
                    "https://cdn.amazonlinux.com/2/core/latest/x86_64/mirror.list"] {
            #expect(defaults.contains { $0.description == url }, "\(url)")
        }
        #expect(defaults.filter { YumRepositoryFeed.isMirrorList($0.url) }.count == FeedSource.defaultAmazonMirrorLists.count)
        #expect(Set(defaults).count == defaults.count, "no feed is listed twice")
        #expect(defaults.contains { $0.description == "https://osv-vulnerabilities.storage.googleapis.com/Ubuntu/all.zip" })
        #expect(defaults.contains { $0.description == "https://osv-vulnerabilities.storage.googleapis.com/Rocky%20Linux/all.zip" })
        #expect(defaults.contains { $0.description.hasSuffix("azurelinux-3.0-oval.xml") })
        #expect(defaults.allSatisfy { $0.url.scheme == "https" })
        #expect(defaults.contains { $0.description == "https://security-tracker.debian.org/tracker/data/json" })
        #expect(defaults.contains { $0.description == "https://secdb.alpinelinux.org/v3.20/community.json" })

        let db = try VulnDBFixtures.temporaryDirectory() + "/db.sqlite"
        defer { try? FileManager.default.removeItem(atPath: (db as NSString).deletingLastPathComponent) }
        let run = try Self.runShrike(["db", "update", "--db", db, "--source", "http://example.org/PyPI/all.zip"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("http://example.org/PyPI/all.zip: plain http is only accepted for loopback hosts"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    @Test("a redirect to plain http on another host is refused", .timeLimit(.minutes(2)))
    func redirectDowngrade() async throws {
        let server = try FeedServer()
        defer { server.stop() }
        let downloader = FeedDownloader()
        let file = server.root + "/download"
        let result: Result<FeedFetch, any Error>
        do {
            result = .success(try await downloader.fetch(try server.feed("_redirect/http://example.org/PyPI/all.zip"),
                                                          previous: nil, to: file))
        } catch {
            result = .failure(error)
        }
        try await downloader.shutdown()
        #expect(throws: ShrikeError.self) { try result.get() }
        if case .failure(let error as ShrikeError) = result {
            #expect(error.code == .usage && error.description.contains("loopback"), "\(error)")
        }
    }

    @Test("a feeds file lists one URL per line with comments; bad lines are named", .timeLimit(.minutes(2)))
    func feedsFile() throws {
        let feeds = try FeedSource.list(parsing: """
            # Alpine only
            https://secdb.alpinelinux.org/v3.20/main.json   # main
            https://secdb.alpinelinux.org/v3.20/community.json

            """, file: "feeds.txt")
        #expect(feeds.map(\.description) == ["https://secdb.alpinelinux.org/v3.20/main.json",
                                             "https://secdb.alpinelinux.org/v3.20/community.json"])
        #expect(throws: ShrikeError.self) { try FeedSource.list(parsing: "# nothing\n", file: "feeds.txt") }
        do {
            _ = try FeedSource.list(parsing: "https://a.example/x.zip\nhttp://b.example/y.zip\n", file: "feeds.txt")
            Issue.record("a plain http line was accepted")
        } catch let error as ShrikeError {
            #expect(error.description.hasPrefix("feeds.txt: line 2: http://b.example/y.zip: plain http"), "\(error)")
        }
    }
}

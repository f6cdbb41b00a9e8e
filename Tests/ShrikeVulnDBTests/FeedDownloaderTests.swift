import Foundation
#if canImport(Glibc)
import Glibc
#endif
import Testing
import ShrikeCore
@testable import ShrikeVulnDB
import ShrikeTestSupport

/// Feed downloads against a real HTTP server on 127.0.0.1 (Python's http.server, which answers If-Modified-Since).
@Suite(.enabled(if: ExternalTool.find("python3") != nil, "python3 is needed for the local HTTP server"),
       .timeLimit(.minutes(1)))
struct FeedDownloaderTests {
    /// A local HTTP server serving `directory`, stopped when released.
    final class LocalServer {
        let process = Process()
        let port: Int

        init(directory: String) throws {
            port = Int.random(in: 20_000...60_000)
            process.executableURL = URL(fileURLWithPath: ExternalTool.find("python3") ?? "/usr/bin/python3")
            process.arguments = ["-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", directory]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Wait until it accepts TCP connections (bounded: 5 s). A plain socket, not Foundation's blocking
            // URL loading, which must not run on the test's cooperative threads.
            for _ in 0..<50 {
                if Self.accepts(port: port) { return }
                usleep(100_000)
            }
            process.terminate()
            throw ShrikeError(.io, "local HTTP server did not start")
        }

        deinit {
            process.terminate()
            process.waitUntilExit()
        }

        static func accepts(port: Int) -> Bool {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            return withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
        }

        func url(_ path: String) -> String { "http://127.0.0.1:\(port)/\(path)" }
    }

    @Test("downloads once, then asks the server whether anything changed")
    func conditional() async throws {
        let root = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: root + "/www/PyPI", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/www/v3.9", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/staging", withIntermediateDirectories: true)
        let zipBytes = Data((0..<5000).map { UInt8($0 % 251) })
        try zipBytes.write(to: URL(fileURLWithPath: root + "/www/PyPI/all.zip"))
        try Data(#"{"distroversion":"v3.9","reponame":"main","packages":[]}"#.utf8).write(to: URL(fileURLWithPath: root + "/www/v3.9/main.json"))
        let server = try LocalServer(directory: root + "/www")
        let downloader = FeedDownloader(timeout: 10)

        let zipFeed = try Feed(url: server.url("PyPI/all.zip"))
        #expect(zipFeed.kind == .osvZip)
        let first = try await downloader.fetch(zipFeed, previous: nil, into: root + "/staging")
        let file = try #require(first.file)
        #expect(file.hasPrefix(root + "/staging/"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: file)) == zipBytes)
        #expect(first.validators.lastModified != nil)

        let second = try await downloader.fetch(zipFeed, previous: first.validators, into: root + "/staging")
        #expect(second.file == nil, "304 Not Modified: nothing downloaded")
        #expect(second.validators == first.validators)

        let secdb = try Feed(url: server.url("v3.9/main.json"))
        #expect(secdb.kind == .alpineSecDB)
        #expect(try await downloader.fetch(secdb, previous: nil, into: root + "/staging").bytes > 10)

        await #expect(throws: ShrikeError.self) {
            try await downloader.fetch(try Feed(url: server.url("missing.zip")), previous: nil, into: root + "/staging")
        }
    }

    @Test("feed kinds are told by the URL; other URLs are refused", arguments: [
        ("https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip", Feed.Kind.osvZip),
        ("https://secdb.alpinelinux.org/v3.20/community.json", .alpineSecDB),
        ("https://security-tracker.debian.org/tracker/data/json", .debianTracker),
    ])
    func kinds(url: String, kind: Feed.Kind) throws {
        #expect(try Feed(url: url).kind == kind)
    }

    @Test("bad feed URLs are usage errors", arguments: ["ftp://example.org/x.zip", "not a url", "https://example.org/index.html"])
    func badURLs(url: String) {
        #expect(throws: ShrikeError.self) { try Feed(url: url) }
    }
}

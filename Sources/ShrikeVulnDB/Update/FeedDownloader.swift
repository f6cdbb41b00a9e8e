import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ShrikeCore

/// Downloads advisory feeds with AsyncHTTPClient (SwiftNIO; Foundation's URLSession hangs in tests on Linux).
///
/// Requests are conditional when validators from an earlier download are given, redirects are followed by hand (at
/// most 5) so every hop passes `FeedSource`'s https rule, and a body shorter than its `Content-Length` is an error.
/// Create one per update and call `shutdown()` when done (or use `withDownloader`).
public final class FeedDownloader: Sendable {
    private let client: HTTPClient
    private let requestTimeout: TimeAmount

    /// - Parameters:
    ///   - connectTimeout: seconds allowed to open a connection.
    ///   - readTimeout: seconds a response may stall without sending a byte.
    ///   - requestTimeout: seconds one whole download (head and body) may take.
    public init(connectTimeout: Int64 = 15, readTimeout: Int64 = 60, requestTimeout: Int64 = 1800) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(connectTimeout), read: .seconds(readTimeout))
        configuration.redirectConfiguration = .disallow
        configuration.httpVersion = .automatic
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.requestTimeout = .seconds(requestTimeout)
    }

    /// Closes the client's connections. Call it once, after the last `fetch`.
    public func shutdown() async throws {
        try await client.shutdown()
    }

    /// Runs `body` with a new downloader and shuts it down afterwards, whether `body` returns or throws.
    public static func withDownloader<T: Sendable>(_ body: (FeedDownloader) async throws -> T) async throws -> T {
        let downloader = FeedDownloader()
        let result: Result<T, any Error>
        do {
            result = .success(try await body(downloader))
        } catch {
            result = .failure(error)
        }
        try await downloader.shutdown()
        return try result.get()
    }

    /// Downloads `feed` into `file` (created or truncated), or learns that it has not changed since `previous`.
    ///
    /// Throws `io` naming the URL for a connection failure, a status other than 200 and 304, a redirect loop or a
    /// truncated body; `usage` when a redirect leads to a URL `FeedSource` refuses.
    public func fetch(_ feed: FeedSource, previous: FeedValidators?, to file: String,
                      progress: any ProgressReporter = SilentProgress()) async throws -> FeedFetch {
        var url = feed.url
        for _ in 0...5 {
            var request = HTTPClientRequest(url: url.absoluteString)
            request.method = .GET
            request.headers.add(name: "User-Agent", value: "shrike-db-update")
            if let etag = previous?.etag { request.headers.add(name: "If-None-Match", value: etag) }
            if let lastModified = previous?.lastModified { request.headers.add(name: "If-Modified-Since", value: lastModified) }
            let response: HTTPClientResponse
            do {
                response = try await client.execute(request, timeout: requestTimeout)
            } catch {
                throw Self.failure("cannot download: \(Self.describe(error))", url: url, feed: feed)
            }
            switch response.status.code {
            case 200:
                return try await save(response, from: url, feed: feed, to: file, progress: progress)
            case 304:
                return .notModified
            case 301, 302, 303, 307, 308:
                guard let location = response.headers.first(name: "Location"),
                      let next = URL(string: location, relativeTo: url)?.absoluteURL else {
                    throw Self.failure("HTTP \(response.status.code) without a usable Location header", url: url, feed: feed)
                }
                _ = try FeedSource(url: next.absoluteString)
                url = next
            default:
                throw Self.failure("HTTP \(response.status.code) \(response.status.reasonPhrase)", url: url, feed: feed)
            }
        }
        throw Self.failure("more than 5 redirects", url: url, feed: feed)
    }

    private func save(_ response: HTTPClientResponse, from url: URL, feed: FeedSource, to file: String,
                      progress: any ProgressReporter) async throws -> FeedFetch {
        let expected = response.headers.first(name: "Content-Length").flatMap { Int64($0) }
        guard FileManager.default.createFile(atPath: file, contents: nil),
              let handle = FileHandle(forWritingAtPath: file) else {
            throw ShrikeError(.io, "cannot create the download file", input: file)
        }
        defer { try? handle.close() }
        progress.begin("downloading \(Self.shortName(url))", total: expected)
        defer { progress.end() }
        var received: Int64 = 0
        do {
            for try await buffer in response.body {
                try handle.write(contentsOf: Data(buffer.readableBytesView))
                received += Int64(buffer.readableBytes)
                progress.advance(to: received)
            }
        } catch let error as ShrikeError {
            throw error
        } catch {
            throw Self.failure("the download broke off after \(received) bytes: \(Self.describe(error))", url: url, feed: feed)
        }
        if let expected, expected != received {
            throw Self.failure("the download is truncated: \(received) of \(expected) bytes", url: url, feed: feed)
        }
        let validators = FeedValidators(etag: response.headers.first(name: "ETag"),
                                        lastModified: response.headers.first(name: "Last-Modified"))
        return .downloaded(file: file, bytes: received, validators: validators)
    }

    /// The last two path components (`PyPI/all.zip`, `v3.20/main.json`), for the progress line.
    static func shortName(_ url: URL) -> String {
        let parts = url.path.split(separator: "/").suffix(2)
        return parts.isEmpty ? (url.host ?? url.absoluteString) : parts.joined(separator: "/")
    }

    private static func failure(_ message: String, url: URL, feed: FeedSource) -> ShrikeError {
        let via = url == feed.url ? "" : " (redirected from \(feed.url.absoluteString))"
        return ShrikeError(.io, message + via, input: url.absoluteString)
    }

    /// One line, whatever the error type prints.
    static func describe(_ error: any Error) -> String {
        String(describing: error).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .joined(separator: " ")
    }
}

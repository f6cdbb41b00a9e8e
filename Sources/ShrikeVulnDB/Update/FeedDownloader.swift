import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ShrikeCore

/// What the last download of a feed returned, kept so the next update can ask "changed since?".
public struct FeedValidators: Sendable, Equatable, Codable {
    public var etag: String?
    public var lastModified: String?

    public init(etag: String? = nil, lastModified: String? = nil) {
        self.etag = etag
        self.lastModified = lastModified
    }
}

/// The result of fetching one feed.
public struct FeedDownload: Sendable, Equatable {
    public var feed: Feed
    /// The downloaded file, nil when the server said nothing changed (304).
    public var file: String?
    public var validators: FeedValidators
    public var bytes: Int64
}

/// Downloads advisory feeds over HTTP(S) with conditional requests, into a staging directory.
///
/// Sends `If-None-Match` / `If-Modified-Since` from the previous download's validators, so unchanged feeds cost one
/// round trip and no import. Responses other than 200 and 304 are errors naming the URL and the status. Nothing is
/// written outside `staging`.
public struct FeedDownloader: Sendable {
    public var session: URLSession
    public var timeout: TimeInterval
    /// The most bytes one feed may have (OSV's largest export is well under this).
    public var maxBytes: Int

    public init(session: URLSession = .shared, timeout: TimeInterval = 120, maxBytes: Int = 2 << 30) {
        self.session = session
        self.timeout = timeout
        self.maxBytes = maxBytes
    }

    public func fetch(_ feed: Feed, previous: FeedValidators?, into staging: String,
                      progress: any ProgressReporter = SilentProgress()) async throws -> FeedDownload {
        var request = URLRequest(url: feed.url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.setValue("shrike", forHTTPHeaderField: "User-Agent")
        if let etag = previous?.etag { request.setValue(etag, forHTTPHeaderField: "If-None-Match") }
        if let modified = previous?.lastModified { request.setValue(modified, forHTTPHeaderField: "If-Modified-Since") }
        progress.begin("downloading \(feed.url.absoluteString)", total: nil)
        defer { progress.end() }
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw ShrikeError(.io, "download failed: \(error.localizedDescription)", input: feed.url.absoluteString)
        }
        guard let http = response as? HTTPURLResponse else {
            throw ShrikeError(.io, "not an HTTP response", input: feed.url.absoluteString)
        }
        let validators = FeedValidators(etag: http.value(forHTTPHeaderField: "ETag") ?? previous?.etag,
                                        lastModified: http.value(forHTTPHeaderField: "Last-Modified") ?? previous?.lastModified)
        switch http.statusCode {
        case 304:
            return FeedDownload(feed: feed, file: nil, validators: previous ?? validators, bytes: 0)
        case 200:
            guard data.count <= maxBytes else {
                throw ShrikeError(.limitExceeded, "feed is \(data.count) bytes, over the \(maxBytes)-byte limit", input: feed.url.absoluteString)
            }
            progress.advance(to: Int64(data.count))
            let path = staging + "/" + feed.localName
            do {
                try data.write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw ShrikeError(.io, "cannot write the download: \(error.localizedDescription)", input: path)
            }
            return FeedDownload(feed: feed, file: path, validators: validators, bytes: Int64(data.count))
        default:
            throw ShrikeError(.io, "server answered HTTP \(http.statusCode)", input: feed.url.absoluteString)
        }
    }
}

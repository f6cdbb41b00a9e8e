import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ShrikeCore

/// A feed that is a yum repository's security advisories, reached the way yum reaches Amazon Linux's repositories:
/// through a `mirror.list` (`https://cdn.amazonlinux.com/al2023/core/mirrors/latest/x86_64/mirror.list`).
///
/// A mirror list is text whose lines are repository base URLs. The first one `FeedSource` accepts (https, or http to
/// a loopback host) is the repository; its `repodata/repomd.xml` names the updateinfo file in
/// `<data type="updateinfo"><location href="repodata/…-updateinfo.xml.gz"/>`, and that file is the download that is
/// imported. The mirror list and repomd.xml are small and fetched in full every time; the updateinfo request is
/// conditional with the validators stored under the feed (mirror list) URL, so an unchanged repository costs two
/// small requests and a 304. Every hop, redirects included, passes the same https/loopback rule as any feed.
enum YumRepositoryFeed {
    /// Bounds on the two small files: a real mirror list is one line, a real repomd.xml a few KB (and XMLParser takes
    /// a document in one piece only up to 10 MB).
    static let mirrorListLimit: Int64 = 1 << 20
    static let repomdLimit: Int64 = 4 << 20

    /// Whether `url` is a mirror list (its path ends in `/mirror.list`).
    static func isMirrorList(_ url: URL) -> Bool {
        url.path.hasSuffix("/mirror.list")
    }

    /// What resolving and fetching a mirror-list feed gave: the updateinfo URL and its download.
    struct Resolved: Sendable {
        var updateInfo: URL
        var fetch: FeedFetch
    }

    /// Resolves `feed` (a mirror list) to its repository's updateinfo and downloads that into `file`, or learns that
    /// it has not changed since `previous`. Throws `io` for a failed download (naming the URL that failed), `usage`
    /// when the mirror list names no repository Shrike may download from, `malformed` for a mirror list or repomd.xml
    /// that is empty, too large or not what it should be; nothing is written to the database either way.
    static func fetch(_ feed: FeedSource, previous: FeedValidators?, to file: String, downloader: FeedDownloader,
                      progress: any ProgressReporter) async throws -> Resolved {
        let list = try await smallFile(feed, limit: mirrorListLimit, what: "mirror list", to: file + ".mirror.list",
                                       downloader: downloader, progress: progress)
        let repository = try repositoryURL(inMirrorList: String(decoding: list, as: UTF8.self), listURL: feed.url)
        let repomdURL = try resolve("repodata/repomd.xml", against: repository, listedBy: feed.url)
        let repomdFeed = try feedSource(repomdURL, listedBy: feed.url)
        let repomd = try await smallFile(repomdFeed, limit: repomdLimit, what: "repomd.xml", to: file + ".repomd.xml",
                                         downloader: downloader, progress: progress)
        let updateInfo = try updateInfoURL(inRepomd: repomd, repository: repository, repomdURL: repomdURL)
        let updateInfoFeed = try feedSource(updateInfo, listedBy: repomdURL)
        do {
            return Resolved(updateInfo: updateInfo,
                            fetch: try await downloader.fetch(updateInfoFeed, previous: previous, to: file, progress: progress))
        } catch let error as ShrikeError {
            throw ShrikeError(error.code, "\(error.message) (the updateinfo of the repository in \(feed.url.absoluteString))",
                              input: error.input)
        }
    }

    /// The repository a mirror list names: its first line that is an acceptable feed URL (blank lines and `#`
    /// comments skipped). Throws `malformed` naming the list when it holds no URL, `usage` when no URL in it is
    /// https (or http to a loopback host).
    static func repositoryURL(inMirrorList text: String, listURL: URL) throws -> URL {
        var refused: [String] = []
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            // Resolved against the list's own URL, so a relative line means a repository on the same host.
            guard let url = URL(string: line, relativeTo: listURL)?.absoluteURL,
                  let accepted = try? FeedSource(url: url.absoluteString) else {
                refused.append(line)
                continue
            }
            return accepted.url
        }
        guard let first = refused.first else {
            throw ShrikeError(.malformed, "the mirror list names no repository URL (expected one repository base URL per line)",
                              input: listURL.absoluteString)
        }
        throw ShrikeError(.usage, "the mirror list names no repository Shrike may download from (first: \(first)); repositories must be https (plain http only on loopback hosts), so use a mirror list of https mirrors",
                          input: listURL.absoluteString)
    }

    /// The updateinfo file a repomd.xml names, resolved against its `xml:base` or the repository. Throws `malformed`
    /// naming `repomdURL` when the document is not repomd XML or lists no updateinfo.
    static func updateInfoURL(inRepomd data: Data, repository: URL, repomdURL: URL) throws -> URL {
        let reader = RepomdReader()
        // XMLParser traps on bytes that are not UTF-8 (see XMLInputEncoding); refuse them first.
        try XMLInputEncoding.requireUTF8(data, input: repomdURL.absoluteString)
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.delegate = reader
        let parsed = parser.parse()
        guard parsed, reader.rootName == "repomd" else {
            let what = parsed ? "its root element is <\(reader.rootName ?? "")>, not <repomd>"
                : "not well-formed XML at line \(parser.lineNumber)"
            throw ShrikeError(.malformed, "not a yum repomd.xml: \(what); the mirror list points at something that is not a yum repository",
                              input: repomdURL.absoluteString)
        }
        guard let location = reader.updateInfo, !location.href.isEmpty else {
            throw ShrikeError(.malformed, "the repository metadata lists no updateinfo (no <data type=\"updateinfo\"> with a <location href>): this repository publishes no advisories; give the mirror list of a repository that does (Amazon Linux's core repository)",
                              input: repomdURL.absoluteString)
        }
        // `href` is relative to the repository root (not to repodata/), or to `xml:base` when that is given.
        let base = location.base.flatMap { URL(string: $0, relativeTo: directory(repository))?.absoluteURL } ?? repository
        return try resolve(location.href, against: base, listedBy: repomdURL)
    }

    /// `reference` resolved against `base` taken as a directory (`…/x86_64/abc` is `…/x86_64/abc/`: yum treats a
    /// base URL as the repository's root whether or not it ends in a slash).
    static func resolve(_ reference: String, against base: URL, listedBy: URL) throws -> URL {
        guard let url = URL(string: reference, relativeTo: directory(base))?.absoluteURL else {
            throw ShrikeError(.malformed, "'\(reference)' is not a URL", input: listedBy.absoluteString)
        }
        return url
    }

    private static func directory(_ url: URL) -> URL {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: true), !components.path.hasSuffix("/") else {
            return url
        }
        components.path += "/"
        return components.url ?? url
    }

    /// `url` as a feed, or the `usage` error for a URL a file on the way (`listedBy`) pointed to.
    private static func feedSource(_ url: URL, listedBy: URL) throws -> FeedSource {
        do {
            return try FeedSource(url: url.absoluteString)
        } catch let error as ShrikeError {
            throw ShrikeError(error.code, "\(error.message) (named by \(listedBy.absoluteString))", input: error.input)
        }
    }

    /// Downloads a small file in full and returns its bytes; the temporary copy is removed.
    private static func smallFile(_ feed: FeedSource, limit: Int64, what: String, to file: String,
                                  downloader: FeedDownloader, progress: any ProgressReporter) async throws -> Data {
        defer { try? FileManager.default.removeItem(atPath: file) }
        guard case .downloaded(_, let bytes, _) = try await downloader.fetch(feed, previous: nil, to: file, progress: progress) else {
            // Unconditional requests are never answered 304 by a correct server.
            throw ShrikeError(.io, "the server answered 304 Not Modified to an unconditional request for the \(what)",
                              input: feed.url.absoluteString)
        }
        guard bytes <= limit else {
            throw ShrikeError(.malformed, "the \(what) is \(bytes) bytes, more than \(limit) (a real one is a few KB): this is not a yum \(what)",
                              input: feed.url.absoluteString)
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw ShrikeError(.io, "cannot read the downloaded \(what)", input: file)
        }
        return data
    }
}

/// Reads a repomd.xml far enough to find `<data type="updateinfo"><location href=… xml:base=…/>`.
private final class RepomdReader: NSObject, XMLParserDelegate {
    struct Location {
        var href: String
        var base: String?
    }

    private(set) var rootName: String?
    private(set) var updateInfo: Location?
    private var inUpdateInfo = false

    private static func local(_ name: String) -> String {
        name.split(separator: ":").last.map(String.init) ?? name
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes: [String: String] = [:]) {
        let name = Self.local(elementName)
        guard rootName != nil else {
            rootName = name
            return
        }
        switch name {
        case "data":
            inUpdateInfo = attributes["type"] == "updateinfo" && updateInfo == nil
        case "location" where inUpdateInfo:
            updateInfo = Location(href: attributes["href"] ?? "", base: attributes["xml:base"])
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        if Self.local(elementName) == "data" { inUpdateInfo = false }
    }
}

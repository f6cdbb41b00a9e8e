#if canImport(Glibc)
import Glibc
#endif
import Foundation
import ShrikeCore

/// `shrike db update`: downloads the feeds and swaps a freshly built database in for the old one, atomically.
///
/// The old database is copied to a staging directory next to it, every feed is fetched (conditionally, with the
/// validators stored from the last update) and the changed ones are imported into the copy, which is then closed,
/// flushed and `rename(2)`d over the old file. Any failure (a server error, a truncated or corrupt download, an
/// interrupted run) throws before the rename and leaves the old database byte for byte as it was; the staging
/// directory is removed (or, after a crash, by the next update). When every feed answers 304 Not Modified the old
/// file is not touched at all.
public struct DatabaseUpdater: Sendable {
    /// The database to update (created when missing).
    public var databasePath: String
    public var feeds: [FeedSource]
    public var progress: any ProgressReporter

    public init(databasePath: String, feeds: [FeedSource] = FeedSource.defaults,
                progress: any ProgressReporter = SilentProgress()) {
        self.databasePath = databasePath
        self.feeds = feeds
        self.progress = progress
    }

    /// Runs the update. Throws `io` or `malformed` naming the feed URL (or the database path) on any failure, with
    /// the old database left unchanged; `usage` when there are no feeds.
    public func update(now: Date = Date()) async throws -> DatabaseUpdateReport {
        let start = Date()
        guard !feeds.isEmpty else { throw ShrikeError(.usage, "no feeds to download; give --source URL or a feeds file") }
        let target = URL(fileURLWithPath: databasePath).standardizedFileURL.path
        let directory = (target as NSString).deletingLastPathComponent
        let baseName = (target as NSString).lastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw ShrikeError(.io, "cannot create the database directory: \(error.localizedDescription)", input: directory)
        }
        Self.removeAbandonedStaging(in: directory, baseName: baseName)
        let staging = "\(directory)/.\(baseName).update-\(getpid())-\(UUID().uuidString.prefix(8))"
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: false)
        } catch {
            throw ShrikeError(.io, "cannot create a staging directory next to the database: \(error.localizedDescription)", input: staging)
        }
        defer { try? FileManager.default.removeItem(atPath: staging) }

        let staged = staging + "/" + baseName
        if FileManager.default.fileExists(atPath: target) {
            guard !FileManager.default.fileExists(atPath: target + "-journal") else {
                throw ShrikeError(.io, "the database has a journal file from an unfinished write; wait for the other shrike to finish, or run 'shrike db status' once to recover it", input: target)
            }
            do {
                try FileManager.default.copyItem(atPath: target, toPath: staged)
            } catch {
                throw ShrikeError(.io, "cannot copy the database for the update: \(error.localizedDescription)", input: target)
            }
        }
        let store = try SQLiteAdvisoryStore(path: staged)
        var closed = false
        defer { if !closed { try? store.close() } }

        // Download everything first: a feed that fails stops the update before anything is imported.
        // `served` is the URL the data came from: the feed's own, or the updateinfo a mirror list led to.
        var fetched: [(feed: FeedSource, fetch: FeedFetch, served: URL)] = []
        try await FeedDownloader.withDownloader { downloader in
            for (index, feed) in feeds.enumerated() {
                let previous = try store.feedValidators(url: feed.url.absoluteString)
                let file = "\(staging)/feed-\(index).download"
                if YumRepositoryFeed.isMirrorList(feed.url) {
                    let resolved = try await YumRepositoryFeed.fetch(feed, previous: previous, to: file,
                                                                     downloader: downloader, progress: progress)
                    fetched.append((feed, resolved.fetch, resolved.updateInfo))
                } else {
                    fetched.append((feed, try await downloader.fetch(feed, previous: previous, to: file, progress: progress), feed.url))
                }
            }
        }

        var importers: [any AdvisoryImporter] = []
        for (feed, fetch, served) in fetched {
            guard case .downloaded(let file, _, _) = fetch else { continue }
            // Named after the URL's last component, which failure lists show (`main.json#xen/4.11.2-r0`).
            let fileExtension = try Self.fileExtension(of: file, feed: feed, served: served)
            var name = served.lastPathComponent.isEmpty || served.lastPathComponent == "/" ? "feed" : served.lastPathComponent
            if !name.lowercased().hasSuffix(fileExtension) { name += fileExtension }
            let directory = file.replacingOccurrences(of: ".download", with: "")
            let named = directory + "/" + name
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
                try FileManager.default.moveItem(atPath: file, toPath: named)
            } catch {
                throw ShrikeError(.io, "cannot rename the download: \(error.localizedDescription)", input: file)
            }
            importers.append(AdvisoryPathImporter(path: named, origin: feed.url.absoluteString, strict: true))
        }

        var feedReports: [DatabaseUpdateReport.Feed] = []
        var imported: ImportReport?
        if !importers.isEmpty {
            progress.begin("importing \(importers.count) feed\(importers.count == 1 ? "" : "s")", total: nil)
            imported = try store.importAdvisories(importers, now: now)
            progress.end()
        }
        for (feed, fetch, _) in fetched {
            let url = feed.url.absoluteString
            switch fetch {
            case .notModified:
                feedReports.append(.init(url: url, outcome: .notModified, bytes: 0, sources: try store.feedSourceNames(url: url)))
            case .downloaded(_, let bytes, let validators):
                feedReports.append(.init(url: url, outcome: .downloaded, bytes: bytes,
                                         sources: try store.recordFeedValidators(validators, url: url)))
            }
        }
        try store.close()
        closed = true

        guard imported != nil else {
            return DatabaseUpdateReport(path: target, feeds: feedReports, imported: nil, replaced: false,
                                        seconds: Date().timeIntervalSince(start))
        }
        try Self.flush(staged)
        guard rename(staged, target) == 0 else {
            throw ShrikeError(.io, "cannot move the updated database into place: \(String(cString: strerror(errno)))", input: target)
        }
        try? Self.flush(directory)
        return DatabaseUpdateReport(path: target, feeds: feedReports, imported: imported, replaced: true,
                                    seconds: Date().timeIntervalSince(start))
    }

    /// The extension the importer reads the download by, from its first bytes (a feed URL such as
    /// `…/tracker/data/json` need not carry one): `.zip` for a zip archive; for gzip, `.tar.gz` or `.xml.gz` as the
    /// URL it was `served` from names it (a tarball otherwise); `.xml.bz2` for bzip2 (`BZh`: the vendors' OVAL);
    /// `.xml` for XML (OVAL, yum updateinfo); else `.json`.
    static func fileExtension(of file: String, feed: FeedSource, served: URL? = nil) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: file) else {
            throw ShrikeError(.io, "cannot read the download", input: file)
        }
        defer { try? handle.close() }
        let magic = (try? handle.read(upToCount: 64)) ?? Data()
        if magic.starts(with: [0x50, 0x4B]) { return ".zip" }
        if magic.isEmpty {
            throw ShrikeError(.malformed, "the server sent an empty body; the feed is not an advisory file", input: feed.url.absoluteString)
        }
        let path = (served ?? feed.url).path.lowercased()
        if magic.starts(with: [0x1F, 0x8B]) { return path.hasSuffix(".xml.gz") ? ".xml.gz" : ".tar.gz" }
        if magic.starts(with: Array("BZh".utf8)) { return ".xml.bz2" }
        let text = magic.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0xEF || $0 == 0xBB || $0 == 0xBF }
        if text.first == UInt8(ascii: "<") { return ".xml" }
        return ".json"
    }

    /// fsync(2) on a file or directory, so the rename never exposes a file whose content is not on disk yet.
    static func flush(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw ShrikeError(.io, "cannot open for fsync: \(String(cString: strerror(errno)))", input: path) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw ShrikeError(.io, "fsync failed: \(String(cString: strerror(errno)))", input: path) }
    }

    /// Removes staging directories left by updates whose process is gone (killed before it could clean up).
    static func removeAbandonedStaging(in directory: String, baseName: String) {
        let prefix = ".\(baseName).update-"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return }
        for name in names where name.hasPrefix(prefix) {
            let pidText = name.dropFirst(prefix.count).prefix { $0 != "-" }
            guard let pid = pid_t(pidText), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(atPath: directory + "/" + name)
            }
        }
    }
}

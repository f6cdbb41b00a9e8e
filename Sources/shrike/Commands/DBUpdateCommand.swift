import ArgumentParser
import Foundation
import ShrikeCore
import ShrikeVulnDB

struct DBUpdateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Download the advisory feeds (OSV, Alpine, Debian, distribution vendors) and update the database.",
        discussion: """
        Feeds are fetched over https (plain http only from loopback hosts) with conditional requests: a feed that has \
        not changed since the last update (HTTP 304) keeps its records and is not imported again. The new database is \
        built next to the old one and renamed over it at the end, so a failed or interrupted update leaves the old \
        database as it was. Default feeds: OSV for \(FeedSource.defaultOSVEcosystems.joined(separator: ", ")); Alpine \
        secdb main and community for v\(FeedSource.defaultAlpineReleases.joined(separator: ", v")); the Debian security \
        tracker; OSV exports of AlmaLinux, Rocky Linux and Ubuntu; Wolfi and Chainguard secdb; Microsoft's OVAL for \
        Azure Linux and CBL-Mariner; Oracle and Red Hat OVAL; Amazon Linux 2 and 2023 updateinfo through their mirror \
        lists (docs/vulnerability-data.md). --source (repeatable) or --feeds FILE (one URL per line, '#' comments) replace that list.
        """
    )

    @OptionGroup var database: DBOptions

    @Option(name: .customLong("source"), help: ArgumentHelp("A feed URL to download instead of the defaults (repeatable).", valueName: "URL"))
    var sources: [String] = []

    @Option(name: .customLong("feeds"), help: ArgumentHelp("A file listing feed URLs, one per line, instead of the defaults.", valueName: "FILE"))
    var feedsFile: String?

    @Flag(name: .customLong("json"), help: "Print the update report as JSON.")
    var json = false

    func run() async throws {
        try await CommandFailure.run {
            var feeds = try sources.map { try FeedSource(url: $0) }
            if let feedsFile { feeds += try FeedSource.list(contentsOf: feedsFile) }
            if feeds.isEmpty { feeds = FeedSource.defaults }
            let updater = DatabaseUpdater(databasePath: database.resolvedPath, feeds: feeds, progress: TerminalProgress())
            let report: DatabaseUpdateReport
            do {
                report = try await updater.update()
            } catch let error as ShrikeError {
                throw error
            } catch {
                // Anything else (the HTTP client's shutdown, say) still gets the CLI's one-line, exit-2 treatment.
                throw ShrikeError(.io, "update failed: \(String(describing: error).split(whereSeparator: \.isNewline).joined(separator: " "))",
                                  input: database.resolvedPath)
            }
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                Terminal.write(bytes: Array(try encoder.encode(report)) + [0x0A])
            } else {
                Terminal.write(DBUpdateCommand.render(report))
            }
        }
    }

    static func render(_ report: DatabaseUpdateReport) -> String {
        var out = ""
        for feed in report.feeds {
            let sources = feed.sources.isEmpty ? "" : " → " + feed.sources.joined(separator: ", ")
            switch feed.outcome {
            case .downloaded: out += "\(feed.url): downloaded \(ByteCount.human(feed.bytes))\(sources)\n"
            case .notModified: out += "\(feed.url): not modified\(sources)\n"
            }
        }
        if let imported = report.imported {
            out += DBImportCommand.render(imported, path: report.path)
            out += "updated \(report.path) in \(String(format: "%.2f", report.seconds)) s\n"
        } else {
            out += "every feed is unchanged; \(report.path) was left as it was\n"
        }
        return out
    }
}

import ArgumentParser
import Foundation
import ShrikeVulnDB

struct DBImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import advisory data: files, directories, .zip and .tar.gz of any format Shrike reads.",
        discussion: """
        Formats, recognised by content: OSV (also AlmaLinux, Rocky and Ubuntu OSV), Alpine, Wolfi and Chainguard \
        secdb, the Debian tracker JSON, the Ubuntu CVE Tracker tree, OVAL (Azure Linux/CBL-Mariner, Oracle, SUSE, \
        Red Hat), yum updateinfo.xml(.gz) (Amazon Linux ALAS) and Wolfi advisories YAML; docs/vulnerability-data.md \
        lists each vendor's source and semantics. All paths are imported in one transaction: if any path cannot be read, the database is left as it was. \
        Records that fail to parse are counted, kept in the database and listed by 'shrike db status'. \
        Importing a source again replaces what it held.
        """
    )

    @Argument(help: "Files or directories to import.")
    var paths: [String]

    @OptionGroup var database: DBOptions

    func run() async throws {
        try await CommandFailure.run {
            let store = try SQLiteAdvisoryStore(path: database.resolvedPath)
            let report = try store.importAdvisories(paths.map { AdvisoryPathImporter(path: $0) })
            Terminal.write(DBImportCommand.render(report, path: store.path))
        }
    }

    static func render(_ report: ImportReport, path: String) -> String {
        var out = ""
        for source in report.sources {
            out += "\(source.name): imported \(source.records) records (\(source.affected) package entries), "
                + "\(source.failed) failed" + (source.skipped > 0 ? ", \(source.skipped) skipped" : "") + "\n"
            for failure in source.firstFailures {
                out += "  failed: \(failure.file): \(failure.reason)\n"
            }
            if source.failed > source.firstFailures.count {
                out += "  … and \(source.failed - source.firstFailures.count) more (see 'shrike db status')\n"
            }
        }
        out += "imported \(report.totalRecords) records, \(report.totalFailed) failed, from \(report.sources.count) "
            + "source\(report.sources.count == 1 ? "" : "s") in \(String(format: "%.2f", report.seconds)) s into \(path)\n"
        return out
    }
}

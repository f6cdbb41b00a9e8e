import ArgumentParser
import ShrikeAgent
import ShrikeCatalog
import ShrikeCore
import ShrikeReport
import ShrikeVulnDB

struct ScanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Find known vulnerabilities in the packages of an image or root file system.",
        discussion: """
        OS packages are matched against their own distribution's advisories (by the names the vendor publishes), \
        language packages against OSV. Packages with no advisory data for their distribution release are never \
        reported as clean: one line per release says how many were not checked, and JSON/SARIF list them. \
        Exit status: 0 when the scan ran, 1 when --fail-on found a match at or above its severity (or packages were \
        not checked, unless --allow-unchecked), 2 on usage or input errors. TARGET is as for `shrike sbom`.
        """
    )

    @Argument(help: "The image or root file system to scan.")
    var target: String

    @Option(name: [.customShort("o"), .customLong("output")], help: "Output format: table, json, sarif, cyclonedx-json.")
    var format: ScanFormat = .table

    @Option(name: .customLong("db"), help: "The advisory database (default: ~/.cache/shrike/db.sqlite).")
    var database: String?

    @Option(help: "Report only these severities (comma-separated: critical,high,medium,low,negligible,unknown).")
    var severity: String?

    @Option(name: .customLong("fail-on"), help: "Exit 1 when a reported match is at or above this severity.")
    var failOn: String?

    @Flag(name: .customLong("allow-unchecked"),
          help: "With --fail-on, do not fail because some packages had no advisory data to be checked against.")
    var allowUnchecked = false

    @Flag(name: .customLong("ignore-unfixed"), help: "Leave out vulnerabilities that have no fix to install.")
    var ignoreUnfixed = false

    @Option(name: .customLong("vex"), help: "An OpenVEX file; not_affected and fixed statements suppress matches (repeatable).")
    var vex: [String] = []

    @Flag(name: .customLong("show-suppressed"), help: "Also list the matches VEX suppressed.")
    var showSuppressed = false

    @Option(name: .customLong("file"), help: "Write the output to this file instead of standard output.")
    var file: String?

    @OptionGroup var image: ImageOptions

    @OptionGroup var server: ServerOptions

    @Option(name: .customLong("server-ca-file"), help: "PEM CA certificates to trust for the server's HTTPS.")
    var serverCAFile: String?

    func run() async throws {
        var failed = false
        try await CommandFailure.run {
            // Parse every option before the (slow) catalog so a typo fails at once.
            let filter = MatchFilter(severities: try severity.map(MatchFilter.severities(parsing:)),
                                     ignoreUnfixed: ignoreUnfixed)
            let threshold = try failOn.map { FailureThreshold(try MatchFilter.severity(parsing: $0)) }
            let documents = try vex.map(VEXDocument.load(path:))
            let store = try openAdvisoryStore(path: database ?? defaultAdvisoryDatabasePath())

            let sbom = try image.catalog(target: target)
            let result = try Matcher(store: store).match(sbom)
            for warning in result.warnings { Terminal.warning(warning.description) }
            for group in result.unchecked { Terminal.warning(group.message) }
            let suppressor = documents.isEmpty ? nil : VEXSuppressor(
                documents: documents, imageDigests: [sbom.source.digest, sbom.source.imageID].compactMap { $0 })
            let report = ScanReport(sbom: sbom, result: result, filter: filter, vex: suppressor,
                                    showSuppressed: showSuppressed)
            let writer = format.writer(useColor: file == nil && Terminal.useColor())
            try OutputFile.write(try writer.write(report), to: file)
            if let agent = try server.agentConfiguration(caFile: serverCAFile) {
                // The server takes the JSON document whatever -o printed.
                try await ServerUpload.upload(.scan, body: try ScanFormat.json.writer().write(report), configuration: agent)
            }
            if let threshold, threshold.fails(report.matches) {
                let count = threshold.offending(report.matches).count
                Terminal.error("\(count) \(count == 1 ? "match is" : "matches are") at or above --fail-on \(threshold.severity.rawValue)")
                failed = true
            }
            if threshold != nil, !allowUnchecked, result.uncheckedCount > 0 {
                let count = result.uncheckedCount
                Terminal.error("\(count) \(count == 1 ? "package was" : "packages were") not checked (no advisory data), so --fail-on cannot pass; import the data or add --allow-unchecked")
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}

extension ScanFormat: ExpressibleByArgument {}

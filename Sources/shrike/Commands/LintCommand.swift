import ArgumentParser
import Foundation
import ShrikeCore
import ShrikeLint
import ShrikeReport

struct LintCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lint",
        abstract: "Lint Dockerfiles with hadolint's rule ids (and Shrike's own SHL rules).",
        discussion: """
        Reads .hadolint.yaml (ignored, trustedRegistries, failure-threshold, override, no-fail) from --config or the \
        current directory, and honours `# hadolint ignore=` and `# hadolint global ignore=` comments. Exit status: \
        0 when no finding is at or above the failure threshold (default info, as hadolint), 1 when one is, 2 when a \
        file cannot be read or parsed (the other files are still linted). See docs/lint.md.
        """
    )

    @Argument(help: "The Dockerfiles to lint.")
    var files: [String]

    @Option(name: [.customShort("o"), .customLong("output")], help: "Output format: table, json, sarif.")
    var format: LintFormat = .table

    @Option(name: .customLong("config"), help: "A .hadolint.yaml (default: .hadolint.yaml in the current directory, if any).")
    var config: String?

    @Option(name: .customLong("fail-on"),
            help: "Exit 1 when a finding is at or above this severity: error, warning, info, style (overrides failure-threshold and no-fail).")
    var failOn: String?

    @Option(name: .customLong("file"), help: "Write the output to this file instead of standard output.")
    var file: String?

    func run() async throws {
        var failed = false
        var unreadable = false
        try await CommandFailure.run {
            var configuration = try config.map(LintConfiguration.load(path:))
                ?? LintConfiguration.discover(in: FileManager.default.currentDirectoryPath)
            if let failOn {
                guard let severity = LintSeverity(name: failOn), severity != .ignore else {
                    throw ShrikeError(.usage, "--fail-on takes error, warning, info or style", input: failOn)
                }
                configuration.failureThreshold = severity
                configuration.noFail = false
            }
            let linter = DockerfileLinter(configuration: configuration)
            var findings: [LintFinding] = []
            for path in files {
                do {
                    findings += try linter.lint(path: path)
                } catch let error as ShrikeError {
                    Terminal.error(TerminalText.safe(error.description))
                    unreadable = true
                }
            }
            let bytes = try format.write(findings, toolVersion: ShrikeTool.version,
                                         useColor: file == nil && Terminal.useColor())
            try OutputFile.write(bytes, to: file)
            failed = configuration.fails(findings)
        }
        if unreadable { throw ExitCode(2) }
        if failed { throw ExitCode(1) }
    }
}

extension LintFormat: ExpressibleByArgument {}

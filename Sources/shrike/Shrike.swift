import ArgumentParser
import ShrikeReport

@main
struct Shrike: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shrike",
        abstract: "Container security in one binary: SBOMs, vulnerability scans, supply chain, runtime detection.",
        version: ShrikeTool.version,
        subcommands: [SBOMCommand.self, ScanCommand.self, DBCommand.self, VersionCommand.self, WatchCommand.self,
                      RulesCommand.self, IncidentsCommand.self, ServerCommand.self,
                      KeyCommand.self, SignCommand.self, VerifyCommand.self, AttestCommand.self, LockCommand.self,
                      PolicyCommand.self, AnalyzeCommand.self, LintCommand.self, SpoolBenchCommand.self]
    )

    /// ArgumentParser's own `main`, except for usage errors: the CLI contract wants exit 2 and one line on stderr,
    /// where ArgumentParser prints the usage text and exits 64 (EX_USAGE).
    static func main() async {
        Diagnostics.bootstrap()
        do {
            var command = try await asyncParseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            Terminal.error(UsageErrorLine.make(message: message(for: error), fullMessage: fullMessage(for: error)))
            exit(withError: ExitCode(2))
        }
    }
}

import ArgumentParser
import ShrikeReport

@main
struct Shrike: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shrike",
        abstract: "Container security in one binary: SBOMs, vulnerability scans, supply chain, runtime detection.",
        version: ShrikeTool.version,
        subcommands: [SBOMCommand.self]
    )

    static func main() async {
        Diagnostics.bootstrap()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

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
}

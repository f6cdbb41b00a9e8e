import ArgumentParser

@main
struct Shrike: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shrike",
        abstract: "Container security in one binary: SBOMs, vulnerability scans, supply chain, runtime detection.",
        version: "0.1.0",
        subcommands: []
    )
}

import ArgumentParser

struct VersionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Compare versions by an ecosystem's rules (dpkg, apk, rpm, ...).",
        subcommands: [VersionCompareCommand.self, VersionCheckCommand.self]
    )
}

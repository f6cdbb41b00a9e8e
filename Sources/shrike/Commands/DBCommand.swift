import ArgumentParser

struct DBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Manage the advisory database the scanner matches against.",
        discussion: "The database lives at $XDG_CACHE_HOME/shrike/db.sqlite (or ~/.cache/shrike/db.sqlite); --db overrides.",
        subcommands: [DBImportCommand.self, DBUpdateCommand.self, DBStatusCommand.self]
    )
}

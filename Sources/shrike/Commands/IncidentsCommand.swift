import ArgumentParser

struct IncidentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidents",
        abstract: "List, show and export the incidents the flight recorder saved.",
        discussion: """
            An incident holds what happened in an alert's container or process tree from --before seconds before the \
            alert to --after seconds after it (see 'shrike watch'). Incidents live under \
            $XDG_CACHE_HOME/shrike/incidents (or ~/.cache/shrike/incidents); --record-dir overrides.
            """,
        subcommands: [IncidentsListCommand.self, IncidentsShowCommand.self, IncidentsExportCommand.self,
                      IncidentsBenchCommand.self]
    )
}

/// `--record-dir`, shared by the incidents subcommands.
struct RecordDirectoryOptions: ParsableArguments {
    @Option(name: .customLong("record-dir"), help: "The record directory (default: $XDG_CACHE_HOME/shrike/incidents).")
    var recordDirectory: String?
}

import ArgumentParser
import ShrikeCore
import ShrikeRecorder

struct IncidentsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show an incident's timeline: the events in time order with the process tree, then files, network and alerts.")

    @Argument(help: "The incident id (inc-…), as 'shrike incidents list' prints it.")
    var id: String

    @OptionGroup var options: RecordDirectoryOptions

    func run() async throws {
        try await CommandFailure.run {
            let store = try IncidentStoreOpening.open(options)
            let incident = try store.load(id: id)
            let timeline = TimelineBuilder().build(incident)
            Terminal.write(TimelineTerminalRenderer(color: Terminal.useColor()).render(timeline))
        }
    }
}

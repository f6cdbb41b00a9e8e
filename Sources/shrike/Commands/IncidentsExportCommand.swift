import ArgumentParser
import ShrikeCore
import ShrikeRecorder

struct IncidentsExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export an incident's timeline as JSON or as one self-contained HTML file.")

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case json, html
    }

    @Argument(help: "The incident id (inc-…).")
    var id: String

    @Option(name: .customLong("format"), help: "json or html.")
    var format: Format = .json

    @Option(name: .customLong("file"), help: "Write to this file instead of standard output.")
    var file: String?

    @OptionGroup var options: RecordDirectoryOptions

    func run() async throws {
        try await CommandFailure.run {
            let store = try IncidentStoreOpening.open(options)
            let timeline = TimelineBuilder().build(try store.load(id: id))
            switch format {
            case .json: try OutputFile.write(try TimelineJSONRenderer.render(timeline) + [0x0A], to: file)
            case .html: try OutputFile.write(Array(try TimelineHTMLRenderer.render(timeline).utf8), to: file)
            }
        }
    }
}

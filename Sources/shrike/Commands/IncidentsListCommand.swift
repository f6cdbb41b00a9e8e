import ArgumentParser
import Foundation
import ShrikeRecorder

struct IncidentsListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List stored incidents, newest first.")

    @OptionGroup var options: RecordDirectoryOptions

    @Flag(name: .customLong("json"), help: "Print the list as JSON.")
    var json = false

    func run() async throws {
        try await CommandFailure.run {
            let store = try IncidentStoreOpening.open(options)
            let incidents = try store.list()
            if json {
                let timelines = incidents.map(IncidentListItem.init)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                Terminal.write(bytes: Array(try encoder.encode(timelines)) + [0x0A])
                return
            }
            guard !incidents.isEmpty else {
                Terminal.write("no incidents in \(store.directory)\n")
                return
            }
            let header = ["ID", "OPENED (UTC)", "PRIORITY", "RULE", "SCOPE", "ALERTS", "EVENTS", "SIZE"]
            var rows = [header]
            for incident in incidents {
                rows.append([incident.id, String(Timestamp(incident.openedAt).description.prefix(19)),
                             incident.priority, incident.firstRule, incident.scope.description,
                             String(incident.alertCount), String(incident.eventCount),
                             ByteCount.human(Int64(incident.bytes))].map(IncidentsListCommand.clean))
            }
            let widths = header.indices.map { column in rows.map { min($0[column].count, 48) }.max() ?? 0 }
            var out = ""
            for row in rows {
                out += row.enumerated().map { column, cell in
                    let cut = cell.count > 48 ? String(cell.prefix(47)) + "…" : cell
                    return column == row.count - 1 ? cut : cut.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                }.joined(separator: "  ") + "\n"
            }
            Terminal.write(out)
        }
    }

    /// Control characters out of table cells (rule names and commands come from outside).
    static func clean(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 || ($0.value >= 0x7f && $0.value <= 0x9f) ? "?" : Character($0) })
    }
}

/// One incident in `list --json`, with times as RFC 3339 strings.
struct IncidentListItem: Encodable {
    var id: String
    var openedAt: Timestamp
    var closedAt: Timestamp
    var start: Timestamp
    var end: Timestamp
    var scope: IncidentScope
    var firstRule: String
    var priority: String
    var alertCount: Int
    var eventCount: Int
    var droppedEvents: Int
    var bytes: Int
    var hostname: String
    var closedEarly: Bool

    init(_ summary: IncidentSummary) {
        id = summary.id
        openedAt = Timestamp(summary.openedAt)
        closedAt = Timestamp(summary.closedAt)
        start = Timestamp(summary.windowStart)
        end = Timestamp(summary.windowEnd)
        scope = summary.scope
        firstRule = summary.firstRule
        priority = summary.priority
        alertCount = summary.alertCount
        eventCount = summary.eventCount
        droppedEvents = summary.droppedEvents
        bytes = summary.bytes
        hostname = summary.hostname
        closedEarly = summary.closedEarly
    }
}

enum IncidentStoreOpening {
    static func open(_ options: RecordDirectoryOptions) throws -> IncidentStore {
        try IncidentStore(directory: options.recordDirectory ?? IncidentStore.defaultDirectory(), create: false)
    }
}

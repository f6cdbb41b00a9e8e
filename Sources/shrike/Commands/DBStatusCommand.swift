import ArgumentParser
import Foundation
import ShrikeVulnDB

struct DBStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the advisory database's sources, record counts, failures and age."
    )

    @OptionGroup var database: DBOptions

    @Flag(name: .customLong("json"), help: "Print the status as JSON.")
    var json = false

    func run() async throws {
        try await CommandFailure.run {
            let store = try SQLiteAdvisoryStore(path: database.resolvedPath, create: false)
            let status = try store.status()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                encoder.dateEncodingStrategy = .iso8601
                Terminal.write(bytes: Array(try encoder.encode(status)) + [0x0A])
            } else {
                Terminal.write(DBStatusCommand.render(status))
            }
        }
    }

    static func render(_ status: AdvisoryDatabaseStatus) -> String {
        var out = "database: \(status.path) (schema \(status.schemaVersion), \(ByteCount.human(status.sizeBytes)))\n"
        guard !status.sources.isEmpty else { return out + "no sources imported yet; run 'shrike db import PATH...'\n" }
        let header = ["SOURCE", "RECORDS", "PACKAGES", "FAILED", "SKIPPED", "NEWEST RECORD", "IMPORTED"]
        let dateFormat = Date.ISO8601FormatStyle().year().month().day()
        var rows = [header]
        for source in status.sources {
            rows.append([source.name, String(source.records), String(source.affected), String(source.failed),
                         String(source.skipped), source.newestRecord.map { $0.formatted(dateFormat) } ?? "-",
                         age(source.ageSeconds) + " ago"])
        }
        let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        for row in rows {
            out += row.enumerated().map { column, cell in
                column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
            }.joined(separator: "  ") + "\n"
        }
        out += "total: \(status.totalRecords) records, \(status.totalFailed) failed\n"
        for source in status.sources where !source.firstFailures.isEmpty {
            out += "\(source.name): first failures\n"
            for failure in source.firstFailures { out += "  \(failure.file): \(failure.reason)\n" }
        }
        return out
    }

    static func age(_ seconds: Double) -> String {
        switch seconds {
        case ..<120: return "\(Int(max(seconds, 0))) s"
        case ..<7200: return "\(Int(seconds / 60)) min"
        case ..<172_800: return "\(Int(seconds / 3600)) h"
        default: return "\(Int(seconds / 86400)) days"
        }
    }
}

import Foundation
import ShrikeCore

/// Reads one file of Wolfi's advisories repository (`<package>.advisories.yaml`, schema 2.x):
/// `package: {name}`, `advisories: [{id: CGA-…, aliases: [CVE-…, GHSA-…], events: [{timestamp, type, data}]}]`.
///
/// The latest event (by timestamp; the later one in the file on a tie) decides each advisory, as wolfictl does:
/// - `fixed` → affected below `data.fixed-version` (`introduced 0, fixed V`, apk rules);
/// - `false-positive-determination` → not affected;
/// - `fix-not-planned` → won't fix;
/// - `detection`, `true-positive-determination`, `pending-upstream-fix`, `analysis-not-planned` → not fixed.
/// The event type is kept as the record's vendor status. The vulnerability is the CVE when the advisory has exactly
/// one CVE alias, else its first GHSA, else the CGA id; the CGA id is the record's advisory and the other aliases
/// the vulnerability's aliases. Records are in namespace `wolfi:rolling`, named by the file's package (an apk origin).
/// An advisory whose events cannot be read (no timestamp, an unknown type, a `fixed` event without a version) is a
/// failure; the file as a whole throws only when it has no package name or its `advisories` is not a list.
enum WolfiAdvisoriesParser {
    static let namespace = "wolfi:rolling"
    static let sourceName = "wolfi-advisories"

    /// Event types and what each says about the package, per the repository's docs/event_types.md.
    static let statuses: [String: AffectedStatus] = [
        "fixed": .affected,
        "false-positive-determination": .notAffected,
        "fix-not-planned": .wontFix,
        "detection": .notFixed,
        "true-positive-determination": .notFixed,
        "pending-upstream-fix": .notFixed,
        "analysis-not-planned": .notFixed,
    ]

    struct Result {
        var records: [AdvisoryRecord]
        var failures: [ImportFailure]
    }

    /// True for a document with `package.name`, an `advisories` list and a `schema-version`.
    static func isAdvisories(_ document: AdvisoryDocument) -> Bool {
        document["schema-version"] != nil && document["package"]?["name"] != nil && document["advisories"] != nil
    }

    static func parse(_ document: AdvisoryDocument, file: String) throws -> Result {
        guard let package = document["package"]?["name"]?.string, !package.isEmpty else {
            throw AdvisoryDocument.shapeError("Wolfi advisories file has no package.name")
        }
        guard let advisories = document["advisories"]?.array else {
            if document["advisories"] == .null { return Result(records: [], failures: []) }
            throw AdvisoryDocument.shapeError("Wolfi advisories file: 'advisories' must be a list")
        }
        var records: [AdvisoryRecord] = []
        var failures: [ImportFailure] = []
        for (index, advisory) in advisories.enumerated() {
            let cga = advisory["id"]?.string ?? ""
            let where_ = "\(file)#\(cga.isEmpty ? "advisories[\(index)]" : cga)"
            do {
                records.append(try record(advisory, id: cga, package: package))
            } catch let error as ShrikeError {
                failures.append(ImportFailure(file: where_, reason: error.message))
            }
        }
        return Result(records: records, failures: failures)
    }

    private static func record(_ advisory: AdvisoryDocument, id cga: String, package: String) throws -> AdvisoryRecord {
        guard !cga.isEmpty else { throw AdvisoryDocument.shapeError("the advisory has no id") }
        let aliases = try advisory.strings("aliases")
        guard let events = advisory["events"]?.array, !events.isEmpty else {
            throw AdvisoryDocument.shapeError("the advisory has no events")
        }
        let latest = try latestEvent(events)
        guard let type = latest["type"]?.string else { throw AdvisoryDocument.shapeError("an event has no type") }
        guard let status = statuses[type] else {
            throw AdvisoryDocument.shapeError("unknown event type '\(type)' (expected one of \(statuses.keys.sorted().joined(separator: ", ")))")
        }
        var ranges: [AffectedRange] = []
        if type == "fixed" {
            guard let fixed = latest["data"]?["fixed-version"]?.string?.trimmingCharacters(in: .whitespaces), !fixed.isEmpty else {
                throw AdvisoryDocument.shapeError("the latest event is 'fixed' but has no data.fixed-version")
            }
            ranges = [AffectedRange(kind: .ecosystem, events: [.introduced("0"), .fixed(fixed)])]
        }
        let cves = aliases.filter { $0.hasPrefix("CVE-") }
        let vulnerabilityID = cves.count == 1 ? cves[0] : (aliases.first { $0.hasPrefix("GHSA-") } ?? cga)
        let affected = AffectedPackage(vulnerabilityID: vulnerabilityID, namespace: namespace, packageName: package,
                                       ecosystem: .alpine, ranges: ranges, status: status, vendorStatus: type,
                                       advisories: [cga])
        let vulnerability = Vulnerability(id: vulnerabilityID, aliases: aliases.filter { $0 != vulnerabilityID },
                                          source: sourceName)
        return AdvisoryRecord(vulnerability: vulnerability, affected: [affected])
    }

    /// The event with the latest timestamp; of equal timestamps the later in the list (a correction written after).
    private static func latestEvent(_ events: [AdvisoryDocument]) throws -> AdvisoryDocument {
        var best: (date: Date, event: AdvisoryDocument)?
        for event in events {
            guard let stamp = event["timestamp"]?.string else { throw AdvisoryDocument.shapeError("an event has no timestamp") }
            guard let date = timestamp(stamp) else {
                throw AdvisoryDocument.shapeError("event timestamp '\(stamp)' is not an RFC 3339 date")
            }
            if best == nil || date >= (best?.date ?? .distantPast) { best = (date, event) }
        }
        guard let best else { throw AdvisoryDocument.shapeError("the advisory has no events") }
        return best.event
    }

    /// RFC 3339 (`2025-04-10T07:05:57Z`, with or without fractional seconds, `Z` or an offset).
    static func timestamp(_ text: String) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let date = try? Date(trimmed, strategy: Date.ISO8601FormatStyle()) { return date }
        return try? Date(trimmed, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

extension AdvisoryPathImporter {
    /// Imports one `<package>.advisories.yaml` into the source `wolfi-advisories` (located at the input as a whole,
    /// since the repository is one file per package); a file that cannot be read is one failure of that source.
    func importWolfiAdvisories(_ document: AdvisoryDocument, name: String, location: String,
                               fail: (ImportFailure, AdvisorySource) throws -> Void, into sink: any AdvisorySink) throws {
        let source = AdvisorySource(name: WolfiAdvisoriesParser.sourceName, kind: WolfiAdvisoriesParser.sourceName,
                                    location: location)
        do {
            let result = try WolfiAdvisoriesParser.parse(document, file: name)
            for record in result.records { try sink.add(record, to: source) }
            for failure in result.failures { try sink.fail(failure, in: source) }
        } catch let error as ShrikeError {
            try fail(ImportFailure(file: name, reason: error.message), source)
        }
    }
}

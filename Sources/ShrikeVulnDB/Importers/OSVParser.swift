import Foundation
import ShrikeCore

/// Turns one OSV document (JSON or YAML, already parsed) into a record.
///
/// See https://ossf.github.io/osv-schema/. Namespaces are `osv:` + the ecosystem as Shrike spells it (`osv:PyPI`,
/// `osv:Go`, `osv:crates.io`; a suffixed ecosystem such as `Debian:12` keeps its suffix). Go symbols are stored as
/// `<import path>.<symbol>` (a whole import path when no symbols are listed); RustSec's `affects.functions` as written.
enum OSVParser {
    enum Outcome {
        case record(AdvisoryRecord, skipped: [String])
        case withdrawn(id: String, reason: String)
    }

    static func parse(_ document: AdvisoryDocument) throws -> Outcome {
        guard document.object != nil else { throw AdvisoryDocument.shapeError("an OSV record must be an object") }
        guard let id = document["id"]?.string, !id.isEmpty else {
            throw AdvisoryDocument.shapeError("OSV record has no 'id'")
        }
        if let withdrawn = document["withdrawn"]?.string {
            return .withdrawn(id: id, reason: "\(id) was withdrawn on \(withdrawn)")
        }
        var vectors: [String] = []
        for entry in document["severity"]?.array ?? [] {
            if let score = entry["score"]?.string, score.hasPrefix("CVSS:") { vectors.append(score) }
        }
        var affected: [AffectedPackage] = []
        var skipped: [String] = []
        for entry in document["affected"]?.array ?? [] {
            guard let package = entry["package"], let ecosystemName = package["ecosystem"]?.string,
                  let rawName = package["name"]?.string, !rawName.isEmpty else {
                throw AdvisoryDocument.shapeError("an 'affected' entry lacks package.ecosystem or package.name")
            }
            guard let ecosystem = try? Ecosystem(parsing: ecosystemName) else {
                skipped.append("\(id): ecosystem '\(ecosystemName)' is not one Shrike matches (package \(rawName))")
                continue
            }
            for extra in entry["severity"]?.array ?? [] {
                if let score = extra["score"]?.string, score.hasPrefix("CVSS:"), !vectors.contains(score) { vectors.append(score) }
            }
            if let cvss = entry["database_specific"]?["cvss"]?.string, cvss.hasPrefix("CVSS:"), !vectors.contains(cvss) {
                vectors.append(cvss)
            }
            let ranges = try (entry["ranges"]?.array ?? []).map(parseRange)
            let packageSeverity = entry["ecosystem_specific"]?["severity"]?.string.flatMap(Severity.init(vendorWord:))
            affected.append(AffectedPackage(
                vulnerabilityID: id, namespace: namespace(ecosystem: ecosystem, spelled: ecosystemName),
                packageName: normalizedName(rawName, ecosystem: ecosystem), ecosystem: ecosystem,
                ranges: ranges, versions: try entry.strings("versions"), status: .affected,
                severity: packageSeverity, symbols: try symbols(entry), imports: try imports(entry)))
        }
        let vendor = document["database_specific"]?["severity"]?.string
        var urls: [String] = []
        for reference in document["references"]?.array ?? [] {
            if let url = reference["url"]?.string { urls.append(url) }
        }
        let summary = document["summary"]?.string ?? document["details"]?.string.map(firstParagraph)
        let vulnerability = Vulnerability(
            id: id, aliases: try document.strings("aliases"), summary: summary,
            severity: SeverityResolver.resolve(vendor: vendor, cvssVectors: vectors), cvssVectors: vectors,
            urls: urls, published: document["published"]?.string.flatMap(parseDate),
            modified: document["modified"]?.string.flatMap(parseDate), source: "osv")
        return .record(AdvisoryRecord(vulnerability: vulnerability, affected: affected), skipped: skipped)
    }

    /// `osv:` + the canonical ecosystem name, keeping an OSV release suffix (`Debian:12` → `osv:Debian:12`).
    static func namespace(ecosystem: Ecosystem, spelled: String) -> String {
        let parts = spelled.split(separator: ":", maxSplits: 1)
        if parts.count == 2 { return "osv:\(ecosystem.rawValue):\(parts[1])" }
        return "osv:\(ecosystem.rawValue)"
    }

    /// PyPI names compare per PEP 503 (lowercase, runs of `-`, `_`, `.` become one `-`); others are kept as written.
    static func normalizedName(_ name: String, ecosystem: Ecosystem) -> String {
        guard ecosystem == .pypi else { return name }
        var result = ""
        var lastWasSeparator = false
        for character in name.lowercased() {
            if character == "-" || character == "_" || character == "." {
                if !lastWasSeparator { result.append("-") }
                lastWasSeparator = true
            } else {
                result.append(character)
                lastWasSeparator = false
            }
        }
        return result
    }

    private static func parseRange(_ document: AdvisoryDocument) throws -> AffectedRange {
        guard let typeName = document["type"]?.string else { throw AdvisoryDocument.shapeError("a range has no 'type'") }
        guard let kind = AffectedRange.Kind(rawValue: typeName) else {
            throw AdvisoryDocument.shapeError("range type '\(typeName)' is not ECOSYSTEM, SEMVER or GIT")
        }
        guard let events = document["events"]?.array else { throw AdvisoryDocument.shapeError("a range has no 'events'") }
        return AffectedRange(kind: kind, events: try events.map { event in
            guard let fields = event.object, fields.count == 1, let field = fields.first, let version = field.value.string else {
                throw AdvisoryDocument.shapeError("a range event must have exactly one of introduced, fixed, last_affected, limit")
            }
            switch field.key {
            case "introduced": return .introduced(version)
            case "fixed": return .fixed(version)
            case "last_affected": return .lastAffected(version)
            case "limit": return .limit(version)
            default: throw AdvisoryDocument.shapeError("unknown range event '\(field.key)'")
            }
        })
    }

    private static func symbols(_ entry: AdvisoryDocument) throws -> [String] {
        var result: [String] = []
        for imported in entry["ecosystem_specific"]?["imports"]?.array ?? [] {
            guard let path = imported["path"]?.string else { continue }
            let names = try imported.strings("symbols")
            result += names.isEmpty ? [path] : names.map { "\(path).\($0)" }
        }
        if let functions = entry["ecosystem_specific"]?["affects"], functions != .null {
            result += try functions.strings("functions")
        }
        return result
    }

    private static func imports(_ entry: AdvisoryDocument) throws -> [AffectedImport] {
        try (entry["ecosystem_specific"]?["imports"]?.array ?? []).compactMap { imported in
            guard let path = imported["path"]?.string else { return nil }
            return AffectedImport(path: path, symbols: try imported.strings("symbols"))
        }
    }

    private static func firstParagraph(_ text: String) -> String {
        let paragraph = text.components(separatedBy: "\n\n").first ?? text
        return paragraph.replacingOccurrences(of: "\n", with: " ").trimmingCharacters(in: .whitespaces)
    }

    /// RFC 3339 with or without fractional seconds; Go's placeholder `0001-01-01T00:00:00Z` means "unknown".
    static func parseDate(_ text: String) -> Date? {
        let date = (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)))
            ?? (try? Date(text, strategy: Date.ISO8601FormatStyle()))
        guard let date, date.timeIntervalSince1970 > 0 else { return nil }
        return date
    }
}

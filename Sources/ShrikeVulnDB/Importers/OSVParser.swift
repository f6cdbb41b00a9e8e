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
        /// A distribution advisory split into one record per CVE it fixes.
        case records([AdvisoryRecord], skipped: [String])
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
        var distroEntries = 0
        for entry in document["affected"]?.array ?? [] {
            guard let package = entry["package"], let ecosystemName = package["ecosystem"]?.string,
                  let rawName = package["name"]?.string, !rawName.isEmpty else {
                throw AdvisoryDocument.shapeError("an 'affected' entry lacks package.ecosystem or package.name")
            }
            switch OSVDistroEcosystem.classify(ecosystemName) {
            case .distro(let distro):
                distroEntries += 1
                affected.append(AffectedPackage(
                    vulnerabilityID: id, namespace: distro.namespace, packageName: rawName, ecosystem: distro.ecosystem,
                    ranges: try (entry["ranges"]?.array ?? []).map(parseRange), versions: try entry.strings("versions"),
                    status: .affected,
                    severity: entry["ecosystem_specific"]?["severity"]?.string.flatMap(Severity.init(vendorWord:))))
                continue
            case .skipped(let reason):
                skipped.append("\(id): \(reason) (package \(rawName))")
                continue
            case .notDistro:
                break
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
        if distroEntries > 0, distroEntries == affected.count {
            return try distroOutcome(document, id: id, affected: affected, skipped: skipped, summary: summary,
                                     vectors: vectors, urls: urls)
        }
        let vulnerability = Vulnerability(
            id: id, aliases: try document.strings("aliases"), summary: summary,
            severity: SeverityResolver.resolve(vendor: vendor, cvssVectors: vectors), cvssVectors: vectors,
            urls: urls, published: document["published"]?.string.flatMap(parseDate),
            modified: document["modified"]?.string.flatMap(parseDate), source: "osv")
        return .record(AdvisoryRecord(vulnerability: vulnerability, affected: affected), skipped: skipped)
    }

    /// A distribution's advisory (ALSA, RLSA, USN, UBUNTU-CVE): filed once per CVE it fixes, with the vendor's id in
    /// each package record's `advisories`, so a scan reports CVEs across distributions alike and names the errata
    /// beside them. Bug-fix and enhancement errata (ALBA/ALEA, RLBA/RLEA) fix no vulnerability and are skipped.
    private static func distroOutcome(_ document: AdvisoryDocument, id: String, affected: [AffectedPackage],
                                      skipped: [String], summary: String?, vectors: [String],
                                      urls: [String]) throws -> Outcome {
        let errataKind = id.split(separator: "-").first.map(String.init) ?? id
        if ["ALBA", "ALEA", "RLBA", "RLEA"].contains(errataKind) {
            return .withdrawn(id: id, reason: "\(id) is a bug-fix or enhancement erratum, not a security advisory")
        }
        var cves: [String] = []
        for alias in try document.strings("aliases") + document.strings("related") + document.strings("upstream")
        where alias.hasPrefix("CVE-") && !cves.contains(alias) {
            cves.append(alias)
        }
        // Red Hat's errata titles lead with the severity: "Important: pcs security update".
        let vendorSeverity = summary.flatMap { text -> Severity? in
            guard let colon = text.firstIndex(of: ":") else { return nil }
            return Severity(vendorWord: String(text[..<colon]))
        } ?? document["database_specific"]?["severity"]?.string.flatMap(Severity.init(vendorWord:))
        let severity = vendorSeverity ?? SeverityResolver.resolve(vendor: nil, cvssVectors: vectors)
        let ids = cves.isEmpty ? [id] : cves
        let records = ids.map { vulnerabilityID in
            AdvisoryRecord(
                vulnerability: Vulnerability(
                    id: vulnerabilityID, aliases: vulnerabilityID == id ? [] : [id], summary: summary,
                    severity: severity, cvssVectors: vectors, urls: urls,
                    published: document["published"]?.string.flatMap(parseDate),
                    modified: document["modified"]?.string.flatMap(parseDate), source: "osv"),
                affected: affected.map { package in
                    var package = package
                    package.vulnerabilityID = vulnerabilityID
                    if vulnerabilityID != id { package.advisories = [id] }
                    package.severity = package.severity ?? vendorSeverity
                    return package
                })
        }
        return .records(records, skipped: skipped)
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

import ShrikeCatalog
import ShrikeCore
import ShrikeVulnDB

/// Writes the human table `shrike scan` prints by default: matches grouped by package, then one summary line.
///
/// Each package heads its group (`musl 1.1.20-r4 (apk) from musl · layer 5216338b4051`), followed by one indented
/// row per vulnerability: id, severity, and `fixed in X` / `not fixed` / `won't fix`, most severe first; columns are
/// aligned across the whole table. The summary counts reported matches per severity, most severe first, and says
/// how many VEX suppressed. Suppressed matches are listed after a `Suppressed by VEX` heading only with
/// `--show-suppressed`. Severity colours (ANSI) only when `useColor` is true.
public struct ScanTableWriter: ScanWriter {
    public let useColor: Bool

    public init(useColor: Bool = false) {
        self.useColor = useColor
    }

    public func write(_ report: ScanReport) throws -> [UInt8] {
        Array(render(report).utf8)
    }

    /// The table and summary line, ending with a newline.
    public func render(_ report: ScanReport) -> String {
        let rows = report.matches.map { Row(match: $0, verdict: Self.statusText($0.vulnerability)) }
        var suppressedRows: [Row] = []
        if report.showSuppressed {
            suppressedRows = report.suppressed.map { suppressed in
                var verdict = "VEX " + suppressed.status.rawValue
                if let justification = suppressed.justification { verdict += " (\(justification))" }
                return Row(match: suppressed.match, verdict: verdict)
            }
        }
        let idWidth = (rows + suppressedRows).map { SBOMTableWriter.clean($0.match.vulnerability.id).count }.max() ?? 0
        var out = ""
        if rows.isEmpty {
            out += report.unchecked.isEmpty
                ? "No vulnerabilities found.\n"
                : "No vulnerabilities found in the packages that were checked.\n"
        } else {
            out += groups(rows, idWidth: idWidth)
        }
        if !suppressedRows.isEmpty {
            out += "\n" + bold("Suppressed by VEX") + "\n" + groups(suppressedRows, idWidth: idWidth)
        }
        out += Self.summary(report) + "\n"
        return out
    }

    private struct Row {
        let match: Match
        let verdict: String
    }

    private func groups(_ rows: [Row], idWidth: Int) -> String {
        var order: [MatchKey] = []
        var byPackage: [MatchKey: [Row]] = [:]
        for row in rows {
            var key = row.match.key
            key.vulnerabilityID = ""
            if byPackage[key] == nil { order.append(key) }
            byPackage[key, default: []].append(row)
        }
        let severityWidth = Severity.allCases.map(\.rawValue.count).max() ?? 0
        var out = ""
        for key in order {
            guard let group = byPackage[key], let package = group.first?.match.package else { continue }
            out += bold(Self.heading(package)) + "\n"
            let sorted = group.sorted {
                ($0.match.vulnerability.severity, $1.match.vulnerability.id) > ($1.match.vulnerability.severity, $0.match.vulnerability.id)
            }
            for row in sorted {
                let id = SBOMTableWriter.clean(row.match.vulnerability.id)
                let severity = row.match.vulnerability.severity.rawValue
                out += "  " + id + String(repeating: " ", count: idWidth - id.count + 2)
                out += colored(severity, row.match.vulnerability.severity)
                out += String(repeating: " ", count: severityWidth - severity.count + 2)
                out += SBOMTableWriter.clean(row.verdict)
                // The vendor's advisory (USN, ALSA, ALAS…) is what an operator looks up in the vendor's errata.
                if let advisory = row.match.vulnerability.aliases.first(where: Self.isVendorAdvisory) {
                    out += "  " + SBOMTableWriter.clean(advisory)
                }
                out += "\n"
            }
        }
        return out
    }

    /// `libssl1.1 1.1.1a-r1 (apk) from openssl · layer 5216338b4051`: the source package only when it differs.
    static func heading(_ package: Package) -> String {
        var text = "\(SBOMTableWriter.clean(package.name)) \(SBOMTableWriter.clean(package.version)) (\(package.type.rawValue))"
        if let source = package.sourceName, !source.isEmpty, source != package.name {
            text += " from \(SBOMTableWriter.clean(source))"
        }
        if let layer = package.layer { text += " · layer \(layer.short)" }
        return text
    }

    /// Vendor errata ids, as the importers record them beside a CVE: `USN-`, `ALSA-`, `RLSA-`, `RHSA-`, `ELSA-`,
    /// `ALAS`, `SUSE-SU-`, `openSUSE-SU-`, `CGA-`, `DSA-`, `DLA-`, or Microsoft's numeric `50124-1`.
    public static func isVendorAdvisory(_ id: String) -> Bool {
        let prefixes = ["USN-", "ALSA-", "RLSA-", "RHSA-", "ELSA-", "ALAS", "SUSE-SU-", "openSUSE-SU-", "CGA-", "DSA-", "DLA-"]
        if prefixes.contains(where: id.hasPrefix) { return true }
        let parts = id.split(separator: "-")
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) }
    }

    static func statusText(_ vulnerability: MatchedVulnerability) -> String {
        switch vulnerability.status {
        case .fixed: vulnerability.fixedVersion.map { "fixed in \($0)" } ?? "fixed"
        case .notFixed: vulnerability.vendorStatus.map { "not fixed (\($0))" } ?? "not fixed"
        case .wontFix: vulnerability.vendorStatus.map { "won't fix (\($0))" } ?? "won't fix"
        }
    }

    /// `5 vulnerabilities in 3 packages: 1 critical, 2 high, 1 medium, 1 low, 0 negligible, 0 unknown; 2 suppressed by VEX`
    static func summary(_ report: ScanReport) -> String {
        let count = report.matches.count
        var packages = Set<MatchKey>()
        for match in report.matches {
            var key = match.key
            key.vulnerabilityID = ""
            packages.insert(key)
        }
        var text = "\(count) \(count == 1 ? "vulnerability" : "vulnerabilities")"
        text += " in \(packages.count) \(packages.count == 1 ? "package" : "packages"): "
        let summary = report.summary
        text += ScanSummary.order.map { "\(summary[$0]) \($0.rawValue)" }.joined(separator: ", ")
        if !report.suppressed.isEmpty { text += "; \(report.suppressed.count) suppressed by VEX" }
        let unchecked = report.uncheckedCount
        if unchecked > 0 { text += "; \(unchecked) \(unchecked == 1 ? "package" : "packages") NOT CHECKED (no advisory data)" }
        return text
    }

    private func bold(_ text: String) -> String {
        useColor ? "\u{1B}[1m" + text + "\u{1B}[0m" : text
    }

    private func colored(_ text: String, _ severity: Severity) -> String {
        guard useColor else { return text }
        let code: String = switch severity {
        case .critical: "1;31"
        case .high: "31"
        case .medium: "33"
        case .low: "36"
        case .negligible, .unknown: "2"
        }
        return "\u{1B}[\(code)m" + text + "\u{1B}[0m"
    }
}

import Foundation
import ShrikeCatalog
import ShrikeCore
import ShrikeVulnDB

/// Writes a CycloneDX 1.6 JSON BOM with a `vulnerabilities` section (`shrike scan -o cyclonedx-json`).
///
/// Components are exactly what `shrike sbom -o cyclonedx-json` writes; each match adds one vulnerability with `id`,
/// `source` (the advisory namespace), `ratings[].severity` (negligible → `info`), `references` for aliases,
/// `advisories` for URLs, and `affects[].ref` = the `bom-ref` of the package's component. VEX-suppressed matches
/// are always included, with `analysis.state` `not_affected` (OpenVEX `not_affected`) or `resolved` (`fixed`) —
/// the way CycloneDX records VEX — whatever `--show-suppressed` says.
public struct ScanCycloneDXWriter: ScanWriter {
    private let base: CycloneDXWriter

    public init(toolVersion: String = ShrikeTool.version, clock: @escaping @Sendable () -> Date = { Date() },
                makeUUID: @escaping @Sendable () -> UUID = { UUID() }) {
        base = CycloneDXWriter(toolVersion: toolVersion, clock: clock, makeUUID: makeUUID)
    }

    public func write(_ report: ScanReport) throws -> [UInt8] {
        try JSONOutput.encode(document(for: report), format: "cyclonedx-json")
    }

    func document(for report: ScanReport) -> ScanBOM {
        let bom = base.document(for: report.sbom)
        // The BOM lists library components in the SBOM's package order; pair them up to find each package's bom-ref.
        let libraryRefs = bom.components.filter { $0.type == "library" }.map { $0.bomRef ?? $0.purl ?? $0.name }
        var refByPackage: [Package: String] = [:]
        for (package, ref) in zip(report.sbom.packages, libraryRefs) where refByPackage[package] == nil {
            refByPackage[package] = ref
        }
        var ids = UniqueNames()
        var vulnerabilities: [VulnerabilityEntry] = []
        for match in report.matches {
            vulnerabilities.append(entry(match, vex: nil, ref: refByPackage[match.package], ids: &ids))
        }
        for suppressed in report.suppressed {
            vulnerabilities.append(entry(suppressed.match, vex: suppressed, ref: refByPackage[suppressed.match.package],
                                         ids: &ids))
        }
        return ScanBOM(bom: bom, vulnerabilities: vulnerabilities)
    }

    private func entry(_ match: Match, vex: SuppressedMatch?, ref: String?, ids: inout UniqueNames) -> VulnerabilityEntry {
        let v = match.vulnerability
        let p = match.package
        let webURLs = v.urls.filter { $0.hasPrefix("https://") || $0.hasPrefix("http://") }
        let source = Source(name: v.namespace, url: webURLs.first)
        var properties = [Property(name: "shrike:status", value: v.status.rawValue),
                          Property(name: "shrike:namespace", value: v.namespace)]
        if let fixed = v.fixedVersion { properties.append(Property(name: "shrike:fixedVersion", value: fixed)) }
        var analysis: Analysis?
        if let vex {
            analysis = Analysis(state: vex.status == .fixed ? "resolved" : "not_affected",
                                justification: vex.justification.flatMap(Self.justification),
                                detail: vex.impactStatement)
            properties.append(Property(name: "shrike:vex:status", value: vex.status.rawValue))
            if let justification = vex.justification {
                properties.append(Property(name: "shrike:vex:justification", value: justification))
            }
        }
        return VulnerabilityEntry(
            bomRef: ids.claim("vuln:\(v.id):\(ref ?? p.purl.description)", separator: "#"),
            id: v.id, source: source,
            references: v.aliases.isEmpty ? nil : v.aliases.map { Reference(id: $0, source: Source(name: v.namespace, url: nil)) },
            ratings: [Rating(source: source, severity: Self.severity(v.severity), method: "other")],
            description: v.summary,
            recommendation: v.status == .fixed ? v.fixedVersion.map { "Upgrade \(p.name) to \($0) or later." } : nil,
            advisories: webURLs.isEmpty ? nil : webURLs.map { Advisory(url: $0) },
            analysis: analysis,
            affects: [Affect(ref: ref ?? p.purl.description,
                             versions: [AffectedVersion(version: p.version, status: vex == nil ? "affected" : "unaffected")])],
            properties: properties)
    }

    /// CycloneDX's severities are `critical high medium low info none unknown`.
    static func severity(_ severity: Severity) -> String {
        severity == .negligible ? "info" : severity.rawValue
    }

    /// OpenVEX justifications mapped to CycloneDX's impact-analysis justifications; nil when none fits.
    static func justification(_ openVEX: String) -> String? {
        switch openVEX {
        case "component_not_present", "vulnerable_code_not_present": "code_not_present"
        case "vulnerable_code_not_in_execute_path": "code_not_reachable"
        case "vulnerable_code_cannot_be_controlled_by_adversary": "requires_environment"
        case "inline_mitigations_already_exist": "protected_by_mitigating_control"
        default: nil
        }
    }

    // MARK: Document model (field names as the 1.6 schema spells them)

    /// The SBOM's BOM with `vulnerabilities` added at the top level.
    struct ScanBOM: Encodable {
        let bom: CycloneDXWriter.BOM
        let vulnerabilities: [VulnerabilityEntry]

        enum Keys: String, CodingKey { case vulnerabilities }

        func encode(to encoder: any Encoder) throws {
            // Both write into the same top-level object (JSONEncoder hands back the existing keyed container).
            try bom.encode(to: encoder)
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(vulnerabilities, forKey: .vulnerabilities)
        }
    }

    struct VulnerabilityEntry: Encodable {
        let bomRef: String
        let id: String
        let source: Source
        let references: [Reference]?
        let ratings: [Rating]
        let description: String?
        let recommendation: String?
        let advisories: [Advisory]?
        let analysis: Analysis?
        let affects: [Affect]
        let properties: [Property]

        enum CodingKeys: String, CodingKey {
            case bomRef = "bom-ref", id, source, references, ratings, description, recommendation, advisories,
                 analysis, affects, properties
        }
    }

    struct Source: Encodable {
        let name: String
        let url: String?
    }

    struct Reference: Encodable {
        let id: String
        let source: Source
    }

    struct Rating: Encodable {
        let source: Source
        let severity: String
        let method: String
    }

    struct Advisory: Encodable {
        let url: String
    }

    struct Analysis: Encodable {
        let state: String
        let justification: String?
        let detail: String?
    }

    struct Affect: Encodable {
        let ref: String
        let versions: [AffectedVersion]
    }

    struct AffectedVersion: Encodable {
        let version: String
        let status: String
    }

    struct Property: Encodable {
        let name: String
        let value: String
    }
}

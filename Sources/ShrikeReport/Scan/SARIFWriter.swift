import Foundation
import ShrikeCatalog
import ShrikeCore
import ShrikeVulnDB

/// Writes SARIF 2.1.0 (`shrike scan -o sarif`) for code-scanning dashboards.
///
/// One run; one rule per vulnerability id (its severity the highest among its matches) and one result per match.
/// Levels: critical and high → `error`, medium and unknown → `warning`, low and negligible → `note`; rules also carry
/// GitHub's numeric `security-severity`. A result's location is the package database that lists the package
/// (relative to the image root), with the package's purl as a logical location. Suppressed matches are left out.
public struct SARIFWriter: ScanWriter {
    public let toolVersion: String

    public init(toolVersion: String = ShrikeTool.version) {
        self.toolVersion = toolVersion
    }

    public func write(_ report: ScanReport) throws -> [UInt8] {
        try JSONOutput.encode(log(for: report), format: "sarif")
    }

    func log(for report: ScanReport) -> Log {
        var ruleIndex: [String: Int] = [:]
        var rules: [Rule] = []
        for match in report.matches {
            let v = match.vulnerability
            if let index = ruleIndex[v.id] {
                if v.severity > rules[index].severity { rules[index] = Self.rule(v) }
                continue
            }
            ruleIndex[v.id] = rules.count
            rules.append(Self.rule(v))
        }
        let target = SBOMSubject(source: report.sbom.source).title
        let results = report.matches.map { match in
            Self.result(match, ruleIndex: ruleIndex[match.vulnerability.id] ?? 0, target: target)
        }
        let driver = Driver(name: ShrikeTool.name, version: toolVersion, semanticVersion: toolVersion, rules: rules)
        // Packages that were not checked are the run's notifications, so a dashboard shows "not checked" rather than
        // a clean result; the run's property bag carries them as data.
        let notifications = report.unchecked.map { group in
            Notification(level: "warning", message: Message(text: group.message),
                         descriptor: DescriptorReference(id: "shrike/unchecked-packages"))
        }
        let invocation = Invocation(executionSuccessful: true, toolExecutionNotifications: notifications)
        let properties = RunProperties(uncheckedPackages: report.uncheckedCount, unchecked: report.unchecked.map {
            UncheckedProperty(distribution: $0.distribution, namespaces: $0.namespaces, type: $0.packageType.rawValue,
                              count: $0.count, reason: $0.reason.rawValue)
        })
        return Log(runs: [Run(tool: Tool(driver: driver), invocations: [invocation], results: results,
                              properties: properties)])
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .critical, .high: "error"
        case .medium, .unknown: "warning"
        case .low, .negligible: "note"
        }
    }

    /// GitHub's `security-severity` bands: > 9 critical, 7–8.9 high, 4–6.9 medium, 0.1–3.9 low.
    static func securitySeverity(_ severity: Severity) -> String? {
        switch severity {
        case .critical: "9.5"
        case .high: "8.0"
        case .medium: "5.5"
        case .low: "2.0"
        case .negligible: "0.5"
        case .unknown: nil
        }
    }

    private static func rule(_ v: MatchedVulnerability) -> Rule {
        let short = v.summary.map { "\(v.id): \($0)" } ?? "\(v.id) (\(v.severity.rawValue))"
        var help = "\(v.id), severity \(v.severity.rawValue), from \(v.namespace)."
        if !v.aliases.isEmpty { help += " Also known as \(v.aliases.joined(separator: ", "))." }
        if !v.urls.isEmpty { help += " See " + v.urls.joined(separator: " ") }
        return Rule(id: v.id, name: ruleName(v.id), shortDescription: Message(text: short),
                    fullDescription: v.summary.map { Message(text: $0) },
                    helpUri: v.urls.first(where: isWebURL), help: Message(text: help),
                    defaultConfiguration: Configuration(level: level(v.severity)),
                    properties: RuleProperties(tags: ["security", "vulnerability", v.severity.rawValue],
                                               securitySeverity: securitySeverity(v.severity)),
                    severity: v.severity)
    }

    /// SARIF rule names are PascalCase words in practice; an id such as `CVE-2019-14697` becomes `CVE201914697`.
    private static func ruleName(_ id: String) -> String {
        String(id.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }

    private static func isWebURL(_ string: String) -> Bool {
        string.hasPrefix("https://") || string.hasPrefix("http://")
    }

    private static func result(_ match: Match, ruleIndex: Int, target: String) -> Result {
        let v = match.vulnerability
        let p = match.package
        var text = "\(p.name) \(p.version) (\(p.type.rawValue)) is affected by \(v.id), severity \(v.severity.rawValue)"
        switch v.status {
        case .fixed: text += v.fixedVersion.map { "; fixed in \($0)" } ?? "; a fix exists"
        case .notFixed: text += "; no fix yet"
        case .wontFix: text += "; the distribution will not fix it"
        }
        text += ". Found in \(target)."
        let database = p.locations.first ?? "/"
        let relative = String(database.drop { $0 == "/" })
        let uri = relative.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? relative
        let location = Location(
            physicalLocation: PhysicalLocation(artifactLocation: ArtifactLocation(uri: uri.isEmpty ? "." : uri)),
            logicalLocations: [LogicalLocation(name: p.name, fullyQualifiedName: p.purl.description, kind: "package")])
        return Result(
            ruleId: v.id, ruleIndex: ruleIndex, level: level(v.severity), message: Message(text: text),
            locations: [location],
            partialFingerprints: ["shrikeMatch/v1": "\(v.id)|\(p.purl.description)"],
            properties: ResultProperties(
                packageName: p.name, packageVersion: p.version, packageType: p.type.rawValue, purl: p.purl.description,
                layer: p.layer?.description, status: v.status.rawValue, fixedVersion: v.fixedVersion,
                namespace: v.namespace, severity: v.severity.rawValue))
    }

    // MARK: Document model (field names as the 2.1.0 schema spells them)

    struct Log: Encodable {
        let schema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
        let version = "2.1.0"
        let runs: [Run]

        enum CodingKeys: String, CodingKey { case schema = "$schema", version, runs }
    }

    struct Run: Encodable {
        let tool: Tool
        let invocations: [Invocation]
        let results: [Result]
        let properties: RunProperties
    }

    struct Invocation: Encodable {
        let executionSuccessful: Bool
        let toolExecutionNotifications: [Notification]
    }

    struct Notification: Encodable {
        let level: String
        let message: Message
        let descriptor: DescriptorReference
    }

    struct DescriptorReference: Encodable {
        let id: String
    }

    struct RunProperties: Encodable {
        let uncheckedPackages: Int
        let unchecked: [UncheckedProperty]
    }

    struct UncheckedProperty: Encodable {
        let distribution: String
        let namespaces: [String]
        let type: String
        let count: Int
        let reason: String
    }

    struct Tool: Encodable {
        let driver: Driver
    }

    struct Driver: Encodable {
        let name: String
        let version: String
        let semanticVersion: String
        let rules: [Rule]
    }

    struct Rule: Encodable {
        let id: String
        let name: String
        let shortDescription: Message
        let fullDescription: Message?
        let helpUri: String?
        let help: Message
        let defaultConfiguration: Configuration
        let properties: RuleProperties
        /// Not written: used to keep the highest severity per rule.
        let severity: Severity

        enum CodingKeys: String, CodingKey {
            case id, name, shortDescription, fullDescription, helpUri, help, defaultConfiguration, properties
        }
    }

    struct Message: Encodable {
        let text: String
    }

    struct Configuration: Encodable {
        let level: String
    }

    struct RuleProperties: Encodable {
        let tags: [String]
        let securitySeverity: String?

        enum CodingKeys: String, CodingKey { case tags, securitySeverity = "security-severity" }
    }

    struct Result: Encodable {
        let ruleId: String
        let ruleIndex: Int
        let level: String
        let message: Message
        let locations: [Location]
        let partialFingerprints: [String: String]
        let properties: ResultProperties
    }

    struct Location: Encodable {
        let physicalLocation: PhysicalLocation
        let logicalLocations: [LogicalLocation]
    }

    struct PhysicalLocation: Encodable {
        let artifactLocation: ArtifactLocation
    }

    struct ArtifactLocation: Encodable {
        let uri: String
    }

    struct LogicalLocation: Encodable {
        let name: String
        let fullyQualifiedName: String
        let kind: String
    }

    struct ResultProperties: Encodable {
        let packageName: String
        let packageVersion: String
        let packageType: String
        let purl: String
        let layer: String?
        let status: String
        let fixedVersion: String?
        let namespace: String
        let severity: String
    }
}

import Foundation

/// SARIF 2.1.0 for code-scanning dashboards: one run, one rule per id found (with its default level and, for
/// hadolint's ids, the wiki page), one result per finding located at the file and line. Levels: error → `error`,
/// warning → `warning`, info and style → `note`.
public struct LintSARIFWriter: Sendable {
    public let toolVersion: String

    public init(toolVersion: String) {
        self.toolVersion = toolVersion
    }

    public func write(_ findings: [LintFinding]) throws -> [UInt8] {
        try LintJSON.encode(log(findings), pretty: true)
    }

    static func level(_ severity: LintSeverity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .info, .style, .ignore: "note"
        }
    }

    func log(_ findings: [LintFinding]) -> Log {
        let catalogue = Dictionary(DockerfileRule.all.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        var index: [String: Int] = [:]
        var rules: [Rule] = []
        for finding in findings where index[finding.rule] == nil {
            index[finding.rule] = rules.count
            let severity = catalogue[finding.rule]?.severity ?? finding.severity
            rules.append(Rule(id: finding.rule, shortDescription: Message(text: finding.message),
                              helpUri: finding.rule.hasPrefix("DL") ? "https://github.com/hadolint/hadolint/wiki/\(finding.rule)" : nil,
                              defaultConfiguration: Configuration(level: Self.level(severity)),
                              properties: Properties(tags: ["dockerfile", severity.rawValue])))
        }
        let results = findings.map { finding in
            let uri = finding.file.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? finding.file
            return Result(ruleId: finding.rule, ruleIndex: index[finding.rule] ?? 0, level: Self.level(finding.severity),
                          message: Message(text: finding.message),
                          locations: [Location(physicalLocation: PhysicalLocation(
                              artifactLocation: ArtifactLocation(uri: uri), region: Region(startLine: finding.line, startColumn: 1)))])
        }
        return Log(runs: [Run(tool: Tool(driver: Driver(name: "shrike", version: toolVersion,
                                                        informationUri: "https://github.com/hadolint/hadolint#rules",
                                                        rules: rules)),
                              results: results)])
    }

    // Field names as the 2.1.0 schema spells them.
    struct Log: Encodable {
        let schema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
        let version = "2.1.0"
        let runs: [Run]
        enum CodingKeys: String, CodingKey { case schema = "$schema", version, runs }
    }

    struct Run: Encodable {
        let tool: Tool
        let results: [Result]
    }

    struct Tool: Encodable { let driver: Driver }

    struct Driver: Encodable {
        let name: String
        let version: String
        let informationUri: String
        let rules: [Rule]
    }

    struct Rule: Encodable {
        let id: String
        let shortDescription: Message
        let helpUri: String?
        let defaultConfiguration: Configuration
        let properties: Properties
    }

    struct Properties: Encodable { let tags: [String] }
    struct Configuration: Encodable { let level: String }
    struct Message: Encodable { let text: String }

    struct Result: Encodable {
        let ruleId: String
        let ruleIndex: Int
        let level: String
        let message: Message
        let locations: [Location]
    }

    struct Location: Encodable { let physicalLocation: PhysicalLocation }

    struct PhysicalLocation: Encodable {
        let artifactLocation: ArtifactLocation
        let region: Region
    }

    struct ArtifactLocation: Encodable { let uri: String }

    struct Region: Encodable {
        let startLine: Int
        let startColumn: Int
    }
}

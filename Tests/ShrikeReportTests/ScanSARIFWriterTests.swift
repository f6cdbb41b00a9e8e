import Foundation
import ShrikeCore
import ShrikeVulnDB
import Testing
@testable import ShrikeReport

extension Validators {
    static let sarifScript = repoRoot.appendingPathComponent("scripts/validate_sarif.py")

    /// Validates against the OASIS SARIF 2.1.0 schema committed in scripts/schemas/.
    static func sarif(_ bytes: [UInt8]) throws -> Result {
        try run(python, [sarifScript.path], on: bytes, suffix: ".sarif")
    }
}

struct ScanSARIFWriterTests {
    static func log(_ report: ScanReport) throws -> [String: Any] {
        try SBOMFixtures.json(try SARIFWriter(toolVersion: "9.9.9").write(report))
    }

    static func run(_ report: ScanReport) throws -> [String: Any] {
        let runs = try #require(try log(report)["runs"] as? [[String: Any]])
        #expect(runs.count == 1)
        return try #require(runs.first)
    }

    @Test("one rule per vulnerability, one result per match, levels from severity")
    func rulesAndResults() throws {
        let run = try Self.run(ScanFixtures.report(showSuppressed: true))
        let driver = try #require((run["tool"] as? [String: Any])?["driver"] as? [String: Any])
        #expect(driver["name"] as? String == "shrike")
        #expect(driver["version"] as? String == "9.9.9")
        let rules = try #require(driver["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["id"] as? String } == [
            "CVE-2019-14697", "CVE-2024-0001", "CVE-2023-4911", "CVE-2022-3715", "CVE-2024-0002", "CVE-2024-0003",
        ])
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.count == ScanFixtures.matches.count)
        #expect(results.compactMap { $0["level"] as? String }
            == ["error", "note", "error", "warning", "note", "warning", "error"])
        // Each result points at its rule.
        for result in results {
            let index = try #require(result["ruleIndex"] as? Int)
            #expect(rules[index]["id"] as? String == result["ruleId"] as? String)
        }
        let first = results[0]
        let location = try #require((first["locations"] as? [[String: Any]])?.first)
        let uri = ((location["physicalLocation"] as? [String: Any])?["artifactLocation"] as? [String: Any])?["uri"]
        #expect(uri as? String == "lib/apk/db/installed")
        let message = try #require((first["message"] as? [String: Any])?["text"] as? String)
        #expect(message.contains("musl 1.2.5-r0") && message.contains("fixed in 1.2.5-r1"))
        let properties = try #require(rules[0]["properties"] as? [String: Any])
        #expect(properties["security-severity"] as? String == "9.5")
    }

    @Test("a rule takes the highest severity among its matches")
    func ruleSeverity() throws {
        let run = try Self.run(ScanFixtures.report())
        let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        let level = (rules[0]["defaultConfiguration"] as? [String: Any])?["level"] as? String
        #expect(level == "error")
    }

    @Test("validates against the SARIF 2.1.0 schema", .enabled(if: Validators.available, Comment(rawValue: Validators.missing)),
          arguments: [true, false])
    func validates(_ full: Bool) throws {
        let report = full ? ScanFixtures.report() : ScanFixtures.empty
        let result = try Validators.sarif(try SARIFWriter().write(report))
        #expect(result.status == 0, "\(result.output)")
    }

    @Test("the schema check can fail", .enabled(if: Validators.available, Comment(rawValue: Validators.missing)))
    func brokenFails() throws {
        var text = String(decoding: try SARIFWriter().write(ScanFixtures.report()), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"level\" : \"note\"", with: "\"level\" : \"notice\"")
        let result = try Validators.sarif(Array(text.utf8))
        #expect(result.status != 0)
        #expect(result.output.contains("notice"), "\(result.output)")
    }
}

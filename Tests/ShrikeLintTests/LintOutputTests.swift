import Foundation
import Testing
@testable import ShrikeLint

/// The table, hadolint-shaped JSON and SARIF 2.1.0 (validated against the committed OASIS schema).
struct LintOutputTests {
    static let findings = [
        LintFinding(file: "app/Dockerfile", line: 1, rule: "DL3006", severity: .warning, message: "Always tag the version of an image explicitly"),
        LintFinding(file: "app/Dockerfile", line: 4, rule: "DL3048", severity: .style, message: "Invalid label key."),
        LintFinding(file: "evil\u{1b}[31m.Dockerfile", line: 2, rule: "SHL1003", severity: .warning, message: "root"),
    ]

    @Test("table: file:line rule severity message, terminal escapes made visible")
    func table() {
        let text = String(decoding: LintTableWriter().write(Self.findings), as: UTF8.self)
        #expect(text.hasPrefix("app/Dockerfile:1 DL3006 warning Always tag the version of an image explicitly\n"))
        #expect(text.contains("evil\\x1b[31m.Dockerfile:2 SHL1003 warning root\n"))
        #expect(!text.contains("\u{1b}"))
        #expect(LintTableWriter().write([]).isEmpty)
    }

    @Test("json: hadolint's -f json fields")
    func json() throws {
        let bytes = try LintJSONWriter().write(Self.findings)
        let array = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [[String: Any]])
        #expect(array.count == 3)
        #expect(Set(array[0].keys) == ["file", "line", "column", "code", "level", "message"])
        #expect(array[0]["code"] as? String == "DL3006" && array[0]["level"] as? String == "warning")
        #expect(array[0]["line"] as? Int == 1 && array[0]["column"] as? Int == 1)
        #expect(String(decoding: try LintJSONWriter().write([]), as: UTF8.self) == "[]\n")
    }

    @Test("sarif: rules, levels, regions")
    func sarif() throws {
        let bytes = try LintSARIFWriter(toolVersion: "9.9.9").write(Self.findings)
        let log = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let rules = try #require(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]])
        #expect(rules.compactMap { $0["id"] as? String } == ["DL3006", "DL3048", "SHL1003"])
        #expect(rules[0]["helpUri"] as? String == "https://github.com/hadolint/hadolint/wiki/DL3006")
        let results = try #require(run["results"] as? [[String: Any]])
        #expect(results.compactMap { $0["level"] as? String } == ["warning", "note", "warning"])
        let region = ((results[1]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"] as? [String: Any]
        #expect(region?["startLine"] as? Int == 4)
    }

    static let python = LintFixtures.repoRoot.appendingPathComponent(".venv-validators/bin/python")
    static let validatorAvailable = FileManager.default.isExecutableFile(atPath: python.path)

    static func validate(_ bytes: [UInt8]) throws -> Int32 {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lint-\(UUID().uuidString).sarif")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        return try LintFixtures.run(python.path, [LintFixtures.repoRoot.appendingPathComponent("scripts/validate_sarif.py").path, file.path]).status
    }

    @Test("sarif validates against the SARIF 2.1.0 schema",
          .enabled(if: validatorAvailable, "run scripts/validators.sh for .venv-validators"), arguments: [true, false])
    func schema(_ full: Bool) throws {
        let bytes = try LintSARIFWriter(toolVersion: "1.0.0").write(full ? Self.findings : [])
        #expect(try Self.validate(bytes) == 0)
    }

    @Test("the schema check can fail", .enabled(if: validatorAvailable, "run scripts/validators.sh for .venv-validators"))
    func schemaCanFail() throws {
        var text = String(decoding: try LintSARIFWriter(toolVersion: "1.0.0").write(Self.findings), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"startLine\" : 4", with: "\"startLine\" : 0")
        #expect(try Self.validate(Array(text.utf8)) != 0)
    }
}

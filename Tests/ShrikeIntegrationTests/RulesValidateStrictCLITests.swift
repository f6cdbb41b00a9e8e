import Foundation
import Testing
import ShrikeTestSupport

/// `shrike rules validate --strict` as a user runs it: exit status, the error lines on stderr, `-o json`.
@Suite("shrike rules validate --strict", .enabled(if: ShrikeBinary.isBuilt, "needs the shrike executable (swift build)"))
struct RulesValidateStrictCLITests {
    static let rules = """
        - required_engine_version: 0.57.0
        - required_plugin_versions:
            - name: container
              version: 0.4.0
        - macro: outbound_udp
          condition: evt.type = sendto and proc.fdopencount > 100
        - rule: UDP out
          desc: d
          condition: outbound_udp
          output: "udp by %proc.name"
          priority: INFO
        - rule: Shell
          desc: d
          condition: evt.type = execve and proc.name = bash
          output: "shell %proc.name"
          priority: INFO
        """

    static let clean = """
        - required_engine_version: 0.57.0
        - rule: Shell
          desc: d
          condition: evt.type = execve and proc.name = bash
          output: "shell %proc.name"
          priority: INFO
        """

    func write(_ text: String) throws -> String {
        let directory = try CLIFixtures.freshTemporaryDirectory()
        let path = directory + "/rules.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func strictFailsWithOneCodedLinePerRule() throws {
        let path = try write(Self.rules)
        let run = try ShrikeBinary.run(["rules", "validate", "--strict", path])
        #expect(run.status == 1)
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(lines == ["\(path):7: unfilled-field: rule 'UDP out' depends on fields Shrike leaves <NA>: "
                          + "proc.fdopencount (comparisons on them are always false here); disable or rewrite the rule, "
                          + "or validate without --strict"])
        #expect(run.stdoutText.contains("2 rules, 1 macros, 0 lists"))
        #expect(run.stdoutText.contains("plugin 'container' 0.4.0 accepted"))
    }

    @Test func withoutStrictTheSameFilePasses() throws {
        let run = try ShrikeBinary.run(["rules", "validate", try write(Self.rules)])
        #expect(run.status == 0)
        #expect(run.stdoutText.contains("rule 'UDP out': <NA> in Shrike: proc.fdopencount"))
    }

    @Test func strictPassesRulesWithoutUnfilledFields() throws {
        let run = try ShrikeBinary.run(["rules", "validate", "--strict", try write(Self.clean)])
        #expect(run.status == 0)
        #expect(run.stderr.isEmpty)
    }

    @Test func jsonCarriesTheStrictErrorPerRule() throws {
        let run = try ShrikeBinary.run(["rules", "validate", "--strict", "-o", "json", try write(Self.rules)])
        #expect(run.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout)) as? [String: Any])
        let rules = try #require(object["ruleSummaries"] as? [[String: Any]])
        let codes = rules.map { ($0["strictError"] as? [String: Any])?["code"] as? String }
        #expect(codes == ["unfilled-field", nil])
    }

    @Test func tooNewAnEngineIsALoadError() throws {
        let run = try ShrikeBinary.run(["rules", "validate", try write("- required_engine_version: 0.58.0\n")])
        #expect(run.status == 1)
        #expect(run.stderr.contains("rules.yaml:1: the file requires Falco engine version 0.58.0; Shrike provides 0.57.0"))
    }
}

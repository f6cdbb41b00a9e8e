import Foundation
import ShrikeCore
import Testing
@testable import ShrikeRules

/// `shrike rules validate --strict`: enabled rules depending on fields Shrike leaves `<NA>` fail the validation.
@Suite("Strict validation")
struct StrictValidationTests {
    func report(_ text: String, strict: Bool = true) throws -> RuleValidationReport {
        let set = try CompiledRuleSet.load(sources: [RuleSource(name: "rules.yaml", text: text)])
        return RuleValidationReport(files: ["rules.yaml"], ruleSet: set, strict: strict)
    }

    static func rule(_ name: String, condition: String, output: String = "x", enabled: Bool = true) -> String {
        """
        - rule: \(name)
          desc: d
          condition: \(TestEvents.quoted(condition))
          output: \(TestEvents.quoted(output))
          priority: INFO
          enabled: \(enabled)

        """
    }

    static let macros = """
        - macro: outbound_udp
          condition: evt.type = sendto and proc.fdopencount > 100
        - macro: outbound_udp_twice
          condition: outbound_udp and proc.name != nc
        - list: shells
          items: [bash, sh]

        """

    @Test("a rule using an unfilled field fails, named with its fields", arguments: [
        ("proc.fdopencount > 100 and evt.type = sendto", "x", "proc.fdopencount"),
        ("outbound_udp", "x", "proc.fdopencount"),
        ("outbound_udp_twice and proc.name in (shells)", "x", "proc.fdopencount"),
        ("evt.type = capset and proc.vmrss > 0", "x", "proc.vmrss"),
        ("evt.type = execve", "started %proc.name with %proc.nthreads threads", "proc.nthreads"),
        ("evt.type = execve and k8s.ns.name exists", "x", "k8s.ns.name"),
        ("evt.type = execve and not container.healthcheck = x", "x", "container.healthcheck"),
    ])
    func unfilledFieldFails(_ condition: String, _ output: String, _ field: String) throws {
        let report = try report(Self.macros + Self.rule("R", condition: condition, output: output))
        #expect(!report.ok)
        #expect(report.error == nil)
        let error = try #require(report.strictErrors.first)
        #expect(report.strictErrors.count == 1)
        #expect(error.code == .unfilledField)
        #expect(error.input == "rules.yaml:7")
        #expect(error.message.hasPrefix("rule 'R' depends on fields Shrike leaves <NA>: \(field) "))
        #expect(report.strictErrorLines == ["rules.yaml:7: unfilled-field: \(error.message)"])
        let summary = try #require(report.ruleSummaries.first)
        #expect(summary.strictError?.code == "unfilled-field")
        #expect(summary.unavailableFields == [field])
    }

    @Test("rules without unfilled fields pass", arguments: [
        "evt.type = execve and proc.name in (shells)",
        "evt.type = openat and fd.nameraw contains ../",
        "evt.type = execve and proc.is_exe_from_memfd = true",
        "evt.type = connect and fd.sip.name = example.com",
        "evt.type = execve and tolower(proc.name) = bash and len(proc.args) > 0",
        // Filled from the kernel and the runtime's files since engine 0.57 support.
        "evt.type = sendto and fd.connected = false and fd.name_changed = true",
        "evt.type = execve and proc.vpid = 1 and thread.cap_permitted contains CAP_SYS_ADMIN and proc.duration > 0",
        "evt.type = execve and not container.mount.dest[/etc] in (\"<NA>\",\"N/A\")",
    ])
    func filledFieldsPass(_ condition: String) throws {
        let report = try report(Self.macros + Self.rule("R", condition: condition,
                                                        output: "%proc.name %fd.nameraw %proc.is_exe_upper_layer"))
        #expect(report.ok)
        #expect(report.strictErrors.isEmpty)
        #expect(report.ruleSummaries.first?.unavailableFields == [])
    }

    @Test func disabledRulesPass() throws {
        let report = try report(Self.macros + Self.rule("R", condition: "outbound_udp", enabled: false))
        #expect(report.ok)
        #expect(report.ruleSummaries.first?.enabled == false)
    }

    @Test func withoutStrictTheSameRuleIsOnlyListed() throws {
        let report = try report(Self.macros + Self.rule("R", condition: "outbound_udp"), strict: false)
        #expect(report.ok)
        #expect(report.strictErrors.isEmpty)
        #expect(report.ruleSummaries.first?.unavailableFields == ["proc.fdopencount"])
        #expect(report.text.contains("rule 'R': <NA> in Shrike: proc.fdopencount"))
    }

    @Test func oneLinePerOffendingRuleInLoadOrder() throws {
        let report = try report(Self.macros
            + Self.rule("First", condition: "outbound_udp")
            + Self.rule("Clean", condition: "evt.type = execve")
            + Self.rule("Second", condition: "evt.type = execve and proc.vpid = 1 and proc.vmswap exists"))
        #expect(report.strictErrors.map(\.message).map { $0.prefix(while: { $0 != ":" }) }
                == ["rule 'First' depends on fields Shrike leaves <NA>", "rule 'Second' depends on fields Shrike leaves <NA>"])
        #expect(report.strictErrorLines.count == 2)
        #expect(report.strictErrors.last?.message.contains("proc.vmswap") == true)
    }

    @Test func jsonCarriesTheVerdictPerRule() throws {
        let report = try report(Self.macros + Self.rule("Bad", condition: "outbound_udp")
                                + Self.rule("Good", condition: "evt.type = execve"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(report.json.utf8)) as? [String: Any])
        #expect(object["ok"] as? Bool == false)
        #expect(object["strict"] as? Bool == true)
        let rules = try #require(object["ruleSummaries"] as? [[String: Any]])
        let bad = try #require(rules.first { $0["name"] as? String == "Bad" })
        let error = try #require(bad["strictError"] as? [String: Any])
        #expect(error["code"] as? String == "unfilled-field")
        #expect(error["location"] as? String == "rules.yaml:7")
        #expect(bad["unavailableFields"] as? [String] == ["proc.fdopencount"])
        let good = try #require(rules.first { $0["name"] as? String == "Good" })
        #expect(good["strictError"] == nil)
    }
}

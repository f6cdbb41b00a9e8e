import Foundation
import Testing
@testable import ShrikeRules

/// `shrike rules list -o json`: what benchmarks and scripts read to know which event types the rules ask for.
@Suite("Rule listing as JSON")
struct RuleListingTests {
    static let yaml = """
        - macro: spawned
          condition: evt.type = execve
        - rule: Shell
          desc: a shell runs
          condition: spawned and proc.name = sh
          output: shell %proc.name
          priority: WARNING
          tags: [process]
        - rule: Any event
          desc: everything
          condition: proc.name = nothing-at-all
          output: x
          priority: DEBUG
          enabled: false
          warn_evttypes: false
        """

    @Test func listsEventTypesPriorityAndState() throws {
        let set = try CompiledRuleSet.load(sources: [RuleSource(name: "t.yaml", text: Self.yaml)])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(RuleListing.json(set).utf8))
            as? [String: Any])
        let rules = try #require(object["rules"] as? [[String: Any]])
        #expect(rules.count == 2)
        #expect(rules[0]["name"] as? String == "Shell")
        #expect(rules[0]["event_types"] as? [String] == ["execve"])
        #expect(rules[0]["priority"] as? String == "Warning")
        #expect(rules[0]["tags"] as? [String] == ["process"])
        #expect(rules[0]["enabled"] as? Bool == true)
        #expect(rules[1]["event_types"] is NSNull, "a rule on every event type has no list")
        #expect(rules[1]["enabled"] as? Bool == false)
        #expect(object["macros"] as? Int == 1)
    }
}

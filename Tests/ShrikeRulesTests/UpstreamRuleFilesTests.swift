import Foundation
import ShrikeTestSupport
import Testing
@testable import ShrikeRules

/// falcosecurity/rules' three rule files, read unedited from the shared data (`../shared/data/falco`, see its
/// PROVENANCE.md): they require Falco engine 0.57.0 and the container plugin 0.4.0, and every rule must load.
@Suite("Upstream Falco rule files")
struct UpstreamRuleFilesTests {
    static let files = ["falco_rules.yaml", "falco-incubating_rules.yaml", "falco-sandbox_rules.yaml"]
    static let folder = "falco"

    static func path(_ file: String) -> String { SharedData.path("\(folder)/\(file)") }
    static let present = files.allSatisfy { SharedData.has("\(folder)/\($0)") }
    static let absent = Comment(rawValue: SharedData.reason(folder))

    /// The names of the file's `- rule:` items, read without the loader (so a rule the loader drops is noticed).
    static func ruleNames(in file: String) throws -> Set<String> {
        let text = try String(contentsOfFile: path(file), encoding: .utf8)
        return Set(text.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("- rule: ") else { return nil }
            return line.dropFirst("- rule: ".count).trimmingCharacters(in: .whitespaces)
        })
    }

    @Test("loads unedited, every rule compiled", .enabled(if: present, absent), arguments: files)
    func loadsUnedited(_ file: String) throws {
        let set = try CompiledRuleSet.load(paths: [Self.path(file)])
        let expected = try Self.ruleNames(in: file)
        #expect(!expected.isEmpty)
        #expect(Set(set.rules.map(\.name)) == expected)
        #expect(set.requiredEngineVersion == "0.57.0")
        for rule in set.rules {
            // Inactive only because the file disables it: no rule skipped for an unknown field or another source.
            #expect(rule.active == rule.enabled, "\(rule.name): \(rule.inactiveReason ?? "disabled")")
            #expect(rule.source == "syscall")
        }
        #expect(set.warnings.contains { $0.message.contains("plugin 'container' 0.4.0 accepted") })
        #expect(!set.warnings.contains { $0.message.contains("skip-if-unknown-filter") })
    }

    @Test("all three load together, later files overriding earlier ones", .enabled(if: present, absent))
    func loadTogether() throws {
        let set = try CompiledRuleSet.load(paths: Self.files.map(Self.path))
        var expected: Set<String> = []
        for file in Self.files { expected.formUnion(try Self.ruleNames(in: file)) }
        #expect(Set(set.rules.map(\.name)) == expected)
    }

    @Test("validates without error; --strict names the rules using <NA> fields", .enabled(if: present, absent),
          arguments: files)
    func validationReport(_ file: String) throws {
        let report = RuleValidationReport.validate(paths: [Self.path(file)])
        #expect(report.ok && report.error == nil)
        // Every field these files use is filled except the Kubernetes metadata (`k8s.*`, the Kubernetes issue):
        // --strict names exactly the rules that read it.
        let strict = RuleValidationReport.validate(paths: [Self.path(file)], strict: true)
        #expect(!strict.ok && strict.error == nil)
        #expect(strict.strictErrors.allSatisfy { $0.code == .unfilledField })
        let offending = strict.ruleSummaries.filter { $0.strictError != nil }
        #expect(offending.count == strict.strictErrors.count)
        for rule in offending {
            #expect(!rule.unavailableFields.isEmpty && rule.unavailableFields.allSatisfy { $0.hasPrefix("k8s.") },
                    "\(rule.name): \(rule.unavailableFields)")
        }
    }
}

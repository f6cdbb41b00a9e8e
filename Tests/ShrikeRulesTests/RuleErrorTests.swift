import ShrikeCore
import Testing
@testable import ShrikeRules

/// Load errors name the file, the line and the offending token.
@Suite("Rule errors")
struct RuleErrorTests {
    func error(_ text: String) -> ShrikeError? {
        do {
            _ = try CompiledRuleSet.load(sources: [RuleSource(name: "bad.yaml", text: text)])
            return nil
        } catch let error as ShrikeError {
            return error
        } catch {
            return nil
        }
    }

    static let header = "- list: ok\n  items: [a]\n"

    @Test(arguments: [
        ("- rule: R\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: INFO\n  bogus: 1\n",
         "bad.yaml:6", "bogus"),
        ("- rule: R\n  desc: d\n  condition: evt.type = open and proc.nmae = x\n  output: o\n  priority: INFO\n",
         "bad.yaml:3:34", "proc.nmae"),
        ("- rule: R\n  desc: d\n  condition: evt.type = open and not undefined_macro\n  output: o\n  priority: INFO\n",
         "bad.yaml:3:38", "undefined_macro"),
        ("- rule: R\n  desc: d\n  condition: proc.name in missing_list\n  output: o\n  priority: INFO\n",
         "bad.yaml:3:27", "missing_list"),
        ("- rule: R\n  desc: d\n  condition: proc.pid contains 3\n  output: o\n  priority: INFO\n",
         "bad.yaml:3:23", "contains"),
        ("- rule: R\n  desc: d\n  condition: proc.pid = abc\n  output: o\n  priority: INFO\n",
         "bad.yaml:3:25", "abc"),
        ("- rule: R\n  desc: d\n  condition: proc.pid > abc\n  output: o\n  priority: INFO\n",
         "bad.yaml:3:25", "abc"),
        ("- rule: R\n  desc: d\n  condition: proc.name regex 'a(b'\n  output: o\n  priority: INFO\n",
         "bad.yaml:3:30", "a(b"),
        ("- rule: R\n  desc: d\n  condition: evt.type = open\n  output: \"%proc.nope\"\n  priority: INFO\n",
         "bad.yaml:1", "proc.nope"),
        ("- rule: R\n  desc: d\n  condition: evt.type = open\n  output: o\n  priority: LOUD\n",
         "bad.yaml:5", "LOUD"),
        ("- macro: m\n  condition: proc.name = x and\n- rule: R\n  desc: d\n  condition: m\n  output: o\n  priority: INFO\n",
         "bad.yaml:2:31", "syntax error"),
        ("- macro: m\n  condition: >\n    proc.name = x\n    and fd.nam = y\n- rule: R\n  desc: d\n  condition: m\n  output: o\n  priority: INFO\n",
         "bad.yaml:4:9", "fd.nam"),
        ("- rule: R\n  condition: and x\n  append: true\n", "bad.yaml:1", "no rule by that name"),
        ("- rule: R\n  enabled: false\n", "bad.yaml:1", "no rule by that name"),
        ("- nonsense: x\n", "bad.yaml:1", "nonsense"),
        ("- list: l\n  items: [a]\n  override:\n    items: prepend\n", "bad.yaml:4", "prepend"),
    ])
    func errorNamesFileLineAndToken(text: String, location: String, token: String) throws {
        let failure = try #require(error(text))
        #expect(failure.input == location, "\(failure)")
        #expect(failure.description.contains(token), "\(failure)")
    }

    @Test func selfReferencingMacro() throws {
        let failure = try #require(error("- macro: a\n  condition: b\n- macro: b\n  condition: a\n- rule: R\n  desc: d\n  condition: a\n  output: o\n  priority: INFO\n"))
        #expect(failure.message.contains("refers to itself"))
    }

    @Test func validationReportCarriesTheErrorLine() throws {
        let report = RuleValidationReport.validate(paths: ["/nonexistent/rules.yaml"])
        #expect(!report.ok)
        #expect(report.errorLine?.contains("/nonexistent/rules.yaml") == true)
    }
}

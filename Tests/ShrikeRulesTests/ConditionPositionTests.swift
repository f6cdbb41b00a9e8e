import ShrikeCore
import Testing
@testable import ShrikeRules

/// Errors inside multi-line conditions name the offending token's own line and column.
@Suite("Error positions inside conditions")
struct ConditionPositionTests {
    func error(_ sources: [(String, [String])]) -> ShrikeError? {
        do {
            _ = try CompiledRuleSet.load(sources: sources.map { RuleSource(name: $0.0, text: $0.1.joined(separator: "\n") + "\n") })
            return nil
        } catch let error as ShrikeError {
            return error
        } catch {
            return nil
        }
    }

    static func rule(_ condition: [String]) -> [String] {
        ["- rule: R", "  desc: d"] + condition + ["  output: o", "  priority: INFO"]
    }

    @Test(arguments: [
        // Literal block: unknown field on the condition's third line.
        (rule(["  condition: |", "    evt.type = open", "    and proc.name = x", "    and fd.nam = y"]),
         "rules.yaml:6:9", "fd.nam"),
        // Folded block: undefined macro.
        (rule(["  condition: >", "    evt.type = open and", "    not proc.name = x", "    and not no_such_macro"]),
         "rules.yaml:6:13", "no_such_macro"),
        // Plain multi-line scalar: a type error in the value.
        (rule(["  condition: evt.type = open", "    and proc.name = x", "      and proc.pid = abc"]),
         "rules.yaml:5:22", "abc"),
        // An operator a number field cannot take.
        (rule(["  condition: |-", "    evt.type = open", "    and proc.pid contains 3"]),
         "rules.yaml:5:18", "contains"),
        // An operator that does not exist: a syntax error at it.
        (rule(["  condition: >-", "    evt.type = open", "    and proc.name like x"]),
         "rules.yaml:5:19", "like"),
        // Blank lines and deeper indentation inside a literal block.
        (rule(["  condition: |", "    evt.type = open", "", "    and (", "        proc.name in (a, b)", "        or proc.nmae = x)"]),
         "rules.yaml:8:12", "proc.nmae"),
        // Double-quoted over two lines, with an escaped quote before the error.
        (rule(["  condition: \"proc.name = \\\"a b\\\" and", "    proc.pid > nope\""]),
         "rules.yaml:4:16", "nope"),
        // Single-quoted with a doubled quote.
        (rule(["  condition: 'proc.name = ''x'' and", "    fd.nope exists'"]), "rules.yaml:4:5", "fd.nope"),
        // An undefined list on a later line.
        (rule(["  condition: >", "    evt.type = open", "    and proc.name in (missing_list) and not proc.name in missing_list"]),
         "rules.yaml:5:58", "missing_list"),
        // Single-line conditions get a column too.
        (rule(["  condition: evt.type = open and proc.nmae = x"]), "rules.yaml:3:34", "proc.nmae"),
    ])
    func tokenPosition(lines: [String], location: String, token: String) throws {
        let failure = try #require(error([("rules.yaml", lines)]))
        #expect(failure.input == location, "\(failure)")
        #expect(failure.description.contains(token), "\(failure)")
    }

    @Test func errorInsideAMacroPointsIntoTheMacro() throws {
        let lines = [
            "- macro: spawned_shell",        // 1
            "  condition: >",                // 2
            "    evt.type = execve and",     // 3
            "    proc.name in (bash, sh) and",
            "    proc.pname = sshd and",
            "    user.nmae = root",          // 6
        ] + Self.rule(["  condition: spawned_shell"])
        let failure = try #require(error([("macros.yaml", lines)]))
        #expect(failure.input == "macros.yaml:6:5", "\(failure)")
        #expect(failure.description.contains("user.nmae"))
    }

    @Test func errorInAppendedTextPointsIntoTheAppendingFile() throws {
        let base = Self.rule(["  condition: |", "    evt.type = open", "    and proc.name = x"])
        let append = [
            "- rule: R",                      // 1
            "  condition: |",                 // 2
            "    and not proc.name = y",      // 3
            "    and fd.bogus = z",           // 4
            "  override:",
            "    condition: append",
        ]
        let failure = try #require(error([("base.yaml", base), ("local.yaml", append)]))
        #expect(failure.input == "local.yaml:4:9", "\(failure)")
        // An error in the original part still points into the first file.
        let brokenBase = Self.rule(["  condition: |", "    evt.type = open", "    and proc.nam = x"])
        let appendFine = ["- rule: R", "  condition: and proc.pid > 0", "  append: true"]
        let second = try #require(error([("base.yaml", brokenBase), ("local.yaml", appendFine)]))
        #expect(second.input == "base.yaml:5:9", "\(second)")
    }

    @Test func mapAlignsTextWithTheFile() {
        let source = YAMLSourceText("k: |\n  ab\n\n  c d\n")
        let map = ConditionTextMap.build(value: "ab\n\nc d\n", style: .literal, line: 1, column: 4,
                                         source: source, file: "f", fallback: SourceLocation(file: "f", line: 2))
        #expect(map.point(at: 0)?.line == 2)
        #expect(map.point(at: 1)?.column == 4)
        #expect(map.point(at: 4)?.line == 4)
        #expect(map.point(at: 6)?.column == 5)
        // Text that is not in the file falls back to the scalar's first line, without a column.
        let fallback = ConditionTextMap.build(value: "zz", style: .literal, line: 1, column: 4,
                                              source: source, file: "f", fallback: SourceLocation(file: "f", line: 2))
        #expect(fallback.point(at: 1)?.line == 2)
        #expect(fallback.point(at: 1)?.column == 0)
    }
}

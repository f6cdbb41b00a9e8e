import Foundation
import ShrikeAnalyze
import ShrikeCore
import ShrikeTestSupport
import Testing

@Suite("--ci: thresholds from .shrike-analyze.yaml, dive's .dive-ci or flags; a failed rule is named")
struct CIRulesTests {
    static let files: [(String, CIRules)] = [
        // dive's documented .dive-ci
        ("rules:\n  lowestEfficiency: 0.95\n  highestWastedBytes: 20MB\n  highestUserWastedPercent: 0.20\n",
         CIRules(lowestEfficiency: 0.95, highestWastedBytes: 20_000_000, highestUserWastedPercent: 0.2)),
        ("rules:\n  lowestEfficiency: 0.9\n  highestWastedBytes: disabled\n  highestUserWastedPercent: disabled\n",
         CIRules(lowestEfficiency: 0.9, highestWastedBytes: nil, highestUserWastedPercent: nil)),
        // Shrike's file may leave out `rules:`; unset rules keep dive's defaults.
        ("highestWastedBytes: 1MiB\n", CIRules(lowestEfficiency: 0.9, highestWastedBytes: 1_048_576, highestUserWastedPercent: 0.1)),
        ("", CIRules.defaults),
    ]

    @Test("config files", arguments: files.indices)
    func configFiles(index: Int) throws {
        let (text, expected) = Self.files[index]
        let dir = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try text.write(toFile: dir + "/.dive-ci", atomically: true, encoding: .utf8)
        #expect(CIConfigFile.discover(in: dir) == dir + "/.dive-ci")
        #expect(try CIConfigFile.resolve(path: dir + "/.dive-ci", flags: [:]) == expected)
    }

    @Test("flags override the file, and 'disabled' turns a rule off")
    func flagsOverride() throws {
        let rules = try CIConfigFile.resolve(path: nil, flags: ["lowestEfficiency": "0.5", "highestUserWastedPercent": "disabled"])
        #expect(rules == CIRules(lowestEfficiency: 0.5, highestWastedBytes: nil, highestUserWastedPercent: nil))
    }

    @Test("bad thresholds are refused naming the rule",
          arguments: ["lowestEfficiency: 95", "highestWastedBytes: lots", "lowestEfficency: 0.9"])
    func badValues(text: String) throws {
        let dir = try ImageSourceFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try text.write(toFile: dir + "/.shrike-analyze.yaml", atomically: true, encoding: .utf8)
        let error = try #require(throws: ShrikeError.self) { try CIConfigFile.resolve(path: dir + "/.shrike-analyze.yaml", flags: [:]) }
        #expect(error.code == .malformed)
        #expect(error.input == dir + "/.shrike-analyze.yaml")
        #expect(error.message.contains(String(text.prefix { $0 != ":" })))
    }

    @Test("the constructed image against thresholds: which rules fail",
          arguments: [
              (CIRules(lowestEfficiency: 0.95), ["lowestEfficiency"]),
              (CIRules(lowestEfficiency: 0.2), []),
              (CIRules(highestWastedBytes: 18_619_999), ["highestWastedBytes"]),
              (CIRules(highestWastedBytes: 18_620_000), []),
              (CIRules(highestUserWastedPercent: 0.1), ["highestUserWastedPercent"]),
              (CIRules.defaults, ["lowestEfficiency", "highestUserWastedPercent"]),
          ])
    func evaluate(rules: CIRules, failing: [String]) throws {
        let report = try WasteFixtures.analyze()
        let verdicts = CIEvaluator.evaluate(report, rules: rules)
        #expect(verdicts.filter { !$0.passed }.map(\.rule) == failing)
    }
}

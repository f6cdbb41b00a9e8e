import Foundation
import ShrikeCore
import ShrikeTestSupport
@testable import ShrikeVersions
import Testing

@Suite struct PEP440VersionTests {
    let comparator = Versions.comparator(for: .pypi)

    @Test func passesTheOSVVectorFile() throws {
        let failures = try LanguageVectorFixture(named: "pypi-versions.txt").failures(for: .pypi, file: "pypi-versions.txt")
        #expect(failures.isEmpty, "\(failures.count) failing lines:\n\(failures.joined(separator: "\n"))")
    }

    @Test(arguments: [
        ("1.0", "1.0.0.0"), ("V1.0", "1.0"), ("1.0-ALPHA1", "1.0a1"), ("1.0_beta_2", "1.0b2"), ("1.0.c1", "1.0rc1"),
        ("1.0preview", "1.0rc0"), ("1.0-1", "1.0.post1"), ("1.0.rev1", "1.0.post1"), ("1.0r", "1.0.post0"),
        ("1.0-dev", "1.0.dev0"), ("0!1.0", "1.0"), ("1.0+UBUNTU.1", "1.0+ubuntu-1"), ("1.0+01", "1.0+1"),
        (" 1.0 ", "1.0"), ("1.0a.post1", "1.0a0.post1"),
    ])
    func normalisesEquivalentSpellings(a: String, b: String) throws {
        #expect(try comparator.compare(a, b) == 0)
    }

    @Test(arguments: [
        ("1.0.dev1", "1.0a1"), ("1.0a1", "1.0b1"), ("1.0b1", "1.0rc1"), ("1.0rc1", "1.0"), ("1.0", "1.0+local"),
        ("1.0+local", "1.0.post1"), ("1.0.post1.dev1", "1.0.post1"), ("1.0+abc", "1.0+1"), ("1.0+1", "1.0+1.0"),
        ("2.0", "1!1.0"), ("1.9", "1.10"), ("0.1-bulbasaur", "0.0.1"),
    ])
    func ordersAsPEP440Says(lower: String, higher: String) throws {
        #expect(try comparator.compare(lower, higher) < 0)
        #expect(try comparator.compare(higher, lower) > 0)
    }

    @Test(arguments: ["", "   ", "1.0\nbeta", "1.0\t2"])
    func rejectsStringsThatAreNoVersion(version: String) {
        #expect(throws: ShrikeError.self) { try comparator.validate(version) }
        #expect(throws: ShrikeError.self) { try comparator.compare(version, "1.0") }
    }

    /// Real versions from PyPI advisories plus spellings the advisories lack (epochs, local versions, separators),
    /// every pair judged by PyPA's `packaging` in one Python process; Shrike must agree on all of them, including
    /// on which strings are PEP 440 at all.
    @Test(.enabled(if: PythonPackaging.available, "python3 with the 'packaging' library is not installed"))
    func agreesWithPackagingOnRealAdvisoryVersions() throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/versions/pypi-advisory-versions.txt",
                                                 withExtension: nil))
        let real = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
            .filter { !$0.hasPrefix("#") && !$0.isEmpty }
        let synthetic = ["1!0.1", "2!0.0.1", "1!1.0.dev3", "1.0+ubuntu.1", "1.0+ubuntu.2", "1.0+ubuntu.10",
                         "1.0+ubuntu.1.1", "1.0+1", "1.0+a", "1.0+A.B-C_D", "v1.0", "1.0.POST2", "1.0-3", "1.0_rc_1",
                         "1.0.0.0.0", "01.02", "1.0a.", "1.0.dev.", "1.0..dev", "1.0.", "1.0-", "1!", "!1.0"]
        let versions = real + synthetic
        // One line per version: "ok" or "invalid", then one character per later version: < = >.
        let script = """
        import sys
        from packaging.version import Version, InvalidVersion
        vs = sys.stdin.read().split("\\n")
        parsed = []
        for v in vs:
            try: parsed.append(Version(v))
            except InvalidVersion: parsed.append(None)
        out = []
        for i, a in enumerate(parsed):
            row = ["ok " if a is not None else "invalid "]
            for b in parsed[i + 1:]:
                row.append("?" if a is None or b is None else ("<" if a < b else ("=" if a == b else ">")))
            out.append("".join(row))
        print("\\n".join(out))
        """
        let result = try PythonPackaging.run(script, input: Array(versions.joined(separator: "\n").utf8))
        try #require(result.status == 0, "python failed: \(result.stderr)")
        let rows = result.stdout.split(separator: "\n").map(String.init)
        try #require(rows.count == versions.count)

        let parsed = try versions.map { try PEP440Version(parsing: $0) }
        var failures: [String] = []
        var pairs = 0
        for (i, row) in rows.enumerated() {
            let standard = row.hasPrefix("ok ")
            if parsed[i].isStandard != standard {
                failures.append("\(versions[i]): packaging says \(standard ? "valid" : "invalid"), Shrike disagrees")
            }
            let verdicts = Array(row.dropFirst(standard ? 3 : 8))
            for (offset, verdict) in verdicts.enumerated() where verdict != "?" {
                let j = i + 1 + offset
                pairs += 1
                let shrike = VersionOrdering.compare(parsed[i], parsed[j])
                let expected = ["<": -1, "=": 0, ">": 1][String(verdict)]
                if shrike != expected {
                    failures.append("\(versions[i]) \(verdict) \(versions[j]) per packaging, Shrike says \(shrike)")
                }
            }
            // Strings PEP 440 rejects sort before every PEP 440 version.
            if !standard, let valid = parsed.first(where: \.isStandard), !(parsed[i] < valid) {
                failures.append("legacy \(versions[i]) does not sort before \(valid)")
            }
        }
        #expect(pairs > 50_000)
        #expect(failures.isEmpty, "\(failures.count) of \(pairs) pairs disagree:\n\(failures.prefix(40).joined(separator: "\n"))")
    }
}

import Foundation
import ShrikeCore
@testable import ShrikeVersions
import Testing

@Suite struct GoVersionTests {
    let go = Versions.comparator(for: .go)

    @Test func passesTheOSVSemVerVectorFile() throws {
        let failures = try LanguageVectorFixture(named: "semver-versions.txt").failures(for: .go, file: "semver-versions.txt")
        #expect(failures.isEmpty, "\(failures.count) failing lines:\n\(failures.joined(separator: "\n"))")
    }

    /// Pseudo-versions and `+incompatible` versions taken from the Go advisories, ordered by hand from the rules in
    /// the Go modules reference: a pseudo-version sorts by its commit time, after the release it builds on and
    /// before the next release; `+incompatible` does not count.
    @Test(arguments: [
        ("0.0.0-20130808000456-233bccbb1abe", "0.0.0-20140711154735-199f5f787806"),
        ("0.0.0-20191101214924-b1b5c44e050f", "0.0.0-20200124225646-8b5121be2f68"),
        ("0.0.0-20200820025921-9323844ea773", "0.0.1"),
        ("1.0.0", "1.0.1-0.20250829075715-0deffcfc6bee"),
        ("1.0.1-0.20250829075715-0deffcfc6bee", "1.0.1"),
        ("1.1.10-0.20180427153919-f5cbcbc5cc6f", "1.1.10"),
        ("1.80.0-v2.20.0.20251112124840-33c51deb2040", "1.80.0"),
        ("2.2.5-rc6", "2.2.5-rc6.0.20190621200032-0ddffe484adc+incompatible"),
        ("2.2.5-rc6.0.20190621200032-0ddffe484adc+incompatible", "2.2.5"),
        ("11.3.0-rc1+incompatible", "11.3.0+incompatible"),
        ("v2.9.4+incompatible", "v2.10.0+incompatible"),
    ])
    func ordersPseudoVersionsByTime(lower: String, higher: String) throws {
        #expect(try go.compare(lower, higher) < 0)
        #expect(try go.compare(higher, lower) > 0)
    }

    @Test(arguments: [("2.8.6+incompatible", "v2.8.6"), ("v1.2.3", "1.2.3"), ("v1", "v1.0.0"), ("v1.2", "1.2.0")])
    func ignoresIncompatibleAndTheVPrefix(a: String, b: String) throws {
        #expect(try go.compare(a, b) == 0)
    }

    @Test func recognisesPseudoVersions() throws {
        #expect(try GoVersion(parsing: "v0.0.0-20191109021931-daa7c04131f5").isPseudoVersion)
        #expect(try GoVersion(parsing: "1.2.4-0.20191109021931-daa7c04131f5").isPseudoVersion)
        #expect(try !GoVersion(parsing: "1.2.4-rc.1").isPseudoVersion)
    }

    @Test(arguments: ["", "=1.2.3", "go1.21", "v1.2.3-", "vv"])
    func rejectsWhatIsNoModuleVersion(version: String) {
        #expect(throws: ShrikeError.self) { try go.validate(version) }
    }

    /// Every version in the sample parses, and sorting it gives a strict weak order (no cycles, consistent with
    /// equality): the comparator is usable for the range matching advisories need.
    @Test func sortsRealAdvisoryVersionsConsistently() throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/versions/go-advisory-versions.txt",
                                                 withExtension: nil))
        let versions = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
            .filter { !$0.hasPrefix("#") }
        let parsed = try versions.map { try GoVersion(parsing: $0) }
        #expect(parsed.count > 200)
        let sorted = parsed.sorted()
        for (a, b) in zip(sorted, sorted.dropFirst()) {
            #expect(a <= b)
            #expect(!(b < a))
        }
        for a in parsed.prefix(60) {
            for b in parsed {
                #expect(VersionOrdering.compare(a, b) == -VersionOrdering.compare(b, a))
            }
        }
    }
}

import ShrikeCore
@testable import ShrikeVersions
import Testing

@Suite struct RubyGemsVersionTests {
    let gems = Versions.comparator(for: .rubyGems)

    @Test func passesTheOSVVectorFile() throws {
        let failures = try LanguageVectorFixture(named: "rubygems-versions.txt")
            .failures(for: .rubyGems, file: "rubygems-versions.txt")
        #expect(failures.isEmpty, "\(failures.count) failing lines:\n\(failures.joined(separator: "\n"))")
    }

    @Test(arguments: [("1.0", "1"), ("1.0.0", "1.0"), ("1.0.b1", "1.0.b.1"), ("1.0-beta", "1.0.pre.beta"),
                      ("1.0.a.0", "1.0.a")])
    func canonicalFormsAreEqual(a: String, b: String) throws {
        #expect(try gems.compare(a, b) == 0)
    }

    @Test(arguments: [("1.0.rc1", "1.0"), ("1.0.A", "1.0.a"), ("2.0.0.pre", "2.0.0.rc1"), ("1.9", "1.10")])
    func ordersPrereleasesBeforeReleases(lower: String, higher: String) throws {
        #expect(try gems.compare(lower, higher) < 0)
        #expect(try gems.compare(higher, lower) > 0)
    }

    @Test func marksPrereleases() throws {
        #expect(try RubyGemsVersion(parsing: "1.0.0.rc1").isPrerelease)
        #expect(try !RubyGemsVersion(parsing: "1.0.0").isPrerelease)
    }

    @Test(arguments: ["", "junk", "1..2", "1.0.", "1.0_1", ".1", "1.0 beta"])
    func rejectsMalformedVersions(version: String) {
        #expect(throws: ShrikeError.self) { try gems.validate(version) }
    }
}

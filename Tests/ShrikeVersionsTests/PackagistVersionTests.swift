import ShrikeCore
import ShrikeVersions
import Testing

@Suite struct PackagistVersionTests {
    let packagist = Versions.comparator(for: .packagist)

    @Test func passesTheOSVVectorFile() throws {
        let failures = try LanguageVectorFixture(named: "packagist-versions.txt")
            .failures(for: .packagist, file: "packagist-versions.txt")
        #expect(failures.isEmpty, "\(failures.count) failing lines:\n\(failures.joined(separator: "\n"))")
    }

    /// PHP's special forms in order, each below the next, then the same spelled the other ways PHP accepts.
    @Test func ordersSpecialFormsAsPHP() throws {
        let ascending = ["1.0-foo", "1.0-dev", "1.0alpha1", "1.0beta1", "1.0RC1", "1.0", "1.0pl1"]
        for (lower, higher) in zip(ascending, ascending.dropFirst()) {
            #expect(try packagist.compare(lower, higher) < 0, "\(lower) < \(higher)")
        }
        #expect(try packagist.compare("1.0-a1", "1.0alpha1") == 0)
        #expect(try packagist.compare("1.0_p2", "1.0pl2") == 0)
        #expect(try packagist.compare("1.0+b3", "1.0.beta.3") == 0)
        #expect(try packagist.compare("1.0--1", "1.0.1") == 0)
    }

    @Test(arguments: ["", " ", "v", "..", "1.0 2"])
    func rejectsEmptyVersions(version: String) {
        #expect(throws: ShrikeError.self) { try packagist.validate(version) }
    }
}

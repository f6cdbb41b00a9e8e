import ShrikeCore
import ShrikeVersions
import Testing

@Suite struct MavenVersionTests {
    let maven = Versions.comparator(for: .maven)

    @Test func passesTheOSVVectorFile() throws {
        let failures = try LanguageVectorFixture(named: "maven-versions.txt").failures(for: .maven, file: "maven-versions.txt")
        #expect(failures.isEmpty, "\(failures.count) failing lines:\n\(failures.joined(separator: "\n"))")
    }

    /// The qualifier order from Maven's ComparableVersion documentation, each one below the next.
    @Test func ordersQualifiers() throws {
        let ascending = ["1-alpha", "1-beta", "1-milestone", "1-rc", "1-snapshot", "1", "1-sp", "1-abc", "1-xyz",
                         "1-1", "1.1"]
        for (lower, higher) in zip(ascending, ascending.dropFirst()) {
            #expect(try maven.compare(lower, higher) < 0, "\(lower) < \(higher)")
            #expect(try maven.compare(higher, lower) > 0, "\(higher) > \(lower)")
        }
    }

    @Test(arguments: [("1.0-1", "1.0.1"), ("1.0-RC3", "1.0.1"), ("1.0.0", "1.0-1"), ("1-SNAPSHOT", "1"),
                      ("2.0.0.Final", "2.0.1.Final"), ("1.0.0-M1", "1.0.0-RC1")])
    func dotAndHyphenMatter(lower: String, higher: String) throws {
        #expect(try maven.compare(lower, higher) < 0)
    }

    @Test(arguments: ["", "  ", "1.0 beta"])
    func rejectsEmptyOrSpacedVersions(version: String) {
        #expect(throws: ShrikeError.self) { try maven.validate(version) }
    }
}

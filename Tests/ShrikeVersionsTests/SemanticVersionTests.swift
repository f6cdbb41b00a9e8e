import ShrikeCore
@testable import ShrikeVersions
import Testing

@Suite struct SemanticVersionTests {
    @Test(arguments: [Ecosystem.npm, .cratesIO, .hex])
    func passesTheOSVVectorFile(ecosystem: Ecosystem) throws {
        let failures = try LanguageVectorFixture(named: "semver-versions.txt")
            .failures(for: ecosystem, file: "semver-versions.txt")
        #expect(failures.isEmpty, "\(ecosystem): \(failures.count) failing lines:\n\(failures.joined(separator: "\n"))")
    }

    @Test(arguments: [
        ("1.0.0-alpha", "1.0.0-alpha.1"), ("1.0.0-alpha.1", "1.0.0-alpha.beta"), ("1.0.0-beta.2", "1.0.0-beta.11"),
        ("1.0.0-rc.1", "1.0.0"), ("1.0.0-1", "1.0.0-a"), ("1.2.3", "1.2.3.1"), ("1.2", "1.2.1"),
    ])
    func ordersBySemVerPrecedence(lower: String, higher: String) throws {
        let npm = Versions.comparator(for: .npm)
        #expect(try npm.compare(lower, higher) < 0)
        #expect(try npm.compare(higher, lower) > 0)
    }

    @Test(arguments: [("=1.2.3", "1.2.3"), ("v1.2.3", "1.2.3"), ("1.2.3+build.5", "1.2.3"), ("1.2", "1.2.0"),
                      ("01.2.3", "1.2.3")])
    func toleratesNpmLooseForms(a: String, b: String) throws {
        #expect(try Versions.comparator(for: .npm).compare(a, b) == 0)
    }

    @Test(arguments: ["", "latest", "1.2.x", "1..2", "1.2.3-", "1.2.3-a..b", "1.2.3+", "1.2.3-a_b", "^1.2.3", "1.2.3 4"])
    func rejectsWhatIsNoVersion(version: String) {
        for ecosystem in [Ecosystem.npm, .cratesIO, .hex] {
            #expect(throws: ShrikeError.self) { try Versions.comparator(for: ecosystem).validate(version) }
        }
    }

    @Test func namesTheVersionInTheError() {
        do {
            _ = try Versions.comparator(for: .npm).compare("1.0.0", "1.x")
            Issue.record("1.x was accepted")
        } catch let error as ShrikeError {
            #expect(error.input == "1.x")
            #expect(error.code == .malformed)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}

import ShrikeCore
@testable import ShrikeVersions
import Testing

@Suite struct NuGetVersionTests {
    let nuget = Versions.comparator(for: .nuget)

    @Test func passesTheOSVVectorFile() throws {
        let failures = try LanguageVectorFixture(named: "nuget-versions.txt").failures(for: .nuget, file: "nuget-versions.txt")
        #expect(failures.isEmpty, "\(failures.count) failing lines:\n\(failures.joined(separator: "\n"))")
    }

    @Test(arguments: [("1.0.0-RC.1", "1.0.0-rc.1"), ("1", "1.0.0.0"), ("1.0.0.0+abc", "1.0"), ("1.02.3", "1.2.3")])
    func equalAfterNormalisation(a: String, b: String) throws {
        #expect(try nuget.compare(a, b) == 0)
    }

    @Test(arguments: [("1.0.0-alpha", "1.0.0-Beta"), ("1.0.0-beta.2", "1.0.0-beta.10"), ("1.0.0", "1.0.0.1-alpha"),
                      ("1.0.0.1-alpha", "1.0.0.1")])
    func ordersLikeNuGet(lower: String, higher: String) throws {
        #expect(try nuget.compare(lower, higher) < 0)
        #expect(try nuget.compare(higher, lower) > 0)
        #expect(try NuGetVersion(parsing: lower) < NuGetVersion(parsing: higher))
    }

    @Test(arguments: ["", "1.2.3.4.5", "1.x", "1.0-", "1.0.0-beta..1", "a.b"])
    func rejectsMalformedVersions(version: String) {
        #expect(throws: ShrikeError.self) { try nuget.validate(version) }
    }
}

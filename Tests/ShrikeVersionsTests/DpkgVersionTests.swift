import ShrikeCore
import Testing
@testable import ShrikeVersions

@Suite("dpkg versions")
struct DpkgVersionTests {
    let comparator = DpkgVersionComparator()

    @Test("agrees with dpkg --compare-versions on real Debian versions", .enabled(if: ToolOracles.hasDpkg, "dpkg is not installed"))
    func agreesWithDpkg() throws {
        let versions = try VersionFixtures.debianInstalledVersions()
        #expect(versions.count > 100)
        let sorted = try versions.sorted { try comparator.compare($0, $1) < 0 }
        // Real versions, plus the suffixes Debian's security and backport uploads add to them.
        var pairs = VersionFixtures.pairs(versions, sorted: sorted)
        for version in versions.prefix(60) {
            pairs += [(version, version + "~deb12u1"), (version + "+deb12u1", version + "+b1"), (version, "1:" + version)]
        }
        let judged = try ToolOracles.dpkg(pairs)
        var disagreements = 0
        for ((a, b), expected) in zip(pairs, judged) {
            let ours = VersionOrder(sign: try comparator.compare(a, b))
            if ours != expected {
                disagreements += 1
                Issue.record("\(a) vs \(b): dpkg says \(expected), Shrike \(ours)")
            }
        }
        #expect(disagreements == 0)
    }

    @Test("splits epoch, upstream and revision as dpkg does")
    func parts() throws {
        let version = try DpkgVersion(parsing: " 2:1.2-3-4ubuntu1 ")
        #expect(version.epoch == 2)
        #expect(version.upstream == "1.2-3")
        #expect(version.revision == "4ubuntu1")
        #expect(try DpkgVersion(parsing: "1.0").revision == "")
    }

    @Test("dpkg's errors throw from compare and validate", arguments: [
        "", "  ", "1.0 1", ":1.0", "a:1.0", "1a:1.0", "-1:1.0", "99999999999:1", "1:", "1.0-", "-1", "1:-1", "1.0\u{1}",
    ])
    func errors(version: String) {
        #expect(throws: ShrikeError.self) { try comparator.compare(version, "1.0") }
        #expect(throws: ShrikeError.self) { try comparator.validate(version) }
    }

    @Test("dpkg's warnings are compared but fail validate", arguments: ["a1.0", "1.0_1", "1.0-a_b", "1.0/2"])
    func warnings(version: String) throws {
        _ = try comparator.compare(version, "1.0")
        #expect(throws: ShrikeError.self) { try comparator.validate(version) }
    }

    @Test("valid versions validate", arguments: ["0", "1:2.3~rc1+dfsg-4+deb12u1", "2.36-9+deb12u4", "1.0-1-1"])
    func valid(version: String) throws {
        try comparator.validate(version)
    }

    @Test("tilde sorts before the end, letters before other characters")
    func ordering() throws {
        #expect(try comparator.compare("1.0~~", "1.0~") < 0)
        #expect(try comparator.compare("1.0~", "1.0") < 0)
        #expect(try comparator.compare("1.0a", "1.0+") < 0)
        #expect(try comparator.compare("1.0", "1.0a") < 0)
        #expect(try comparator.compare("1.000000000000000000000000000001", "1.1") == 0)
        #expect(try comparator.compare("1.99999999999999999999999999", "1.100000000000000000000000000") < 0)
    }
}

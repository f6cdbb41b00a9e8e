import ShrikeCore
import Testing
@testable import ShrikeVersions

@Suite("rpm versions")
struct RpmVersionTests {
    let comparator = RpmVersionComparator()

    @Test("agrees with rpm.vercmp on real version strings", .enabled(if: ToolOracles.hasRpm, "rpm is not installed"))
    func agreesWithRpm() throws {
        // Real strings: the rpm vectors' own, RHEL-style EVRs, Debian's installed versions and Alpine's fixed ones.
        let vectors = try VersionVectorFile(parsing: VersionFixtures.text("versions/redhat-versions.txt"), name: "redhat")
        var versions = vectors.entries.flatMap { [$0.a, $0.b] }
        versions += ["2.32.1-42.el8_8", "0:2.32.1-42.el8", "1:1.1.1k-9.el8_7", "3.10.0-1160.el7", "4.18.0-477.10.1.el8_8",
                     "2.28-225.el8_8.6", "1.2.11-25.el9", "2.34-60.el9_2.7", "1:3.0.7-16.el9_2", "5.14.0-284.11.1.el9_2"]
        versions += try VersionFixtures.debianInstalledVersions()
        versions += try VersionFixtures.alpineSecdbFixedVersions().prefix(200)
        versions = Array(Set(versions)).sorted()
        let sorted = try versions.sorted { try comparator.compare($0, $1) < 0 }
        let pairs = VersionFixtures.pairs(versions, sorted: sorted)
        let judged = try ToolOracles.rpm(pairs)
        var disagreements = 0
        for ((a, b), expected) in zip(pairs, judged) {
            let ours = VersionOrder(sign: try comparator.compare(a, b))
            if ours != expected {
                disagreements += 1
                Issue.record("\(a) vs \(b): rpm says \(expected), Shrike \(ours)")
            }
        }
        #expect(disagreements == 0)
    }

    @Test("splits epoch, version and release as parseEVR does", arguments: [
        ("1:2.0-3", "1", "2.0", "3"), ("2.0", "0", "2.0", nil), (":2.0", "0", "2.0", nil),
        ("a:1-2", "0", "a:1", "2"), ("1.0-1-2", "0", "1.0-1", "2"), ("1-", "0", "1", ""),
    ])
    func parts(string: String, epoch: String, version: String, release: String?) throws {
        let parsed = try RpmVersion(parsing: string)
        #expect(parsed.epoch == epoch)
        #expect(parsed.version == version)
        #expect(parsed.release == release)
    }

    @Test("tilde before the end, caret after the end but before more")
    func tildeAndCaret() {
        #expect(RpmVersion.rpmvercmp("1.0~rc1", "1.0") < 0)
        #expect(RpmVersion.rpmvercmp("1.0^git1", "1.0") > 0)
        #expect(RpmVersion.rpmvercmp("1.0^git1", "1.0.1") < 0)
        #expect(RpmVersion.rpmvercmp("1.0~rc1^git1", "1.0~rc1") > 0)
        #expect(RpmVersion.rpmvercmp("10", "9") > 0)
        #expect(RpmVersion.rpmvercmp("1a", "1.1") < 0)
    }

    @Test("validate follows rpmbuild; compare takes any non-empty string", arguments: ["1.1.α", "a:1", "1-a-", "1.0_1%"])
    func lenient(version: String) throws {
        _ = try comparator.compare(version, "1.0")
        #expect(throws: ShrikeError.self) { try comparator.validate(version) }
    }

    @Test("real EVRs validate", arguments: ["2.32.1-42.el8_8", "1:1.1.1k-9.el8_7", "1.0^20160101~rc1", "0"])
    func valid(version: String) throws {
        try comparator.validate(version)
    }
}

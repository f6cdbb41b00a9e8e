import ShrikeCore
import Testing
@testable import ShrikeVersions

@Suite("apk versions")
struct ApkVersionTests {
    let comparator = ApkVersionComparator()

    // No apk binary exists on Debian, so the orderings themselves are judged by the vector file (see
    // VersionVectorFileTests); here the real secdb versions check that the comparator is a consistent total order.
    @Test("orders Alpine's real fixed versions consistently")
    func secdbTotalOrder() throws {
        let versions = try VersionFixtures.alpineSecdbFixedVersions()
        #expect(versions.count > 400)
        let sorted = try versions.sorted { try comparator.compare($0, $1) < 0 }
        for (a, b) in zip(sorted, sorted.dropFirst()) {
            #expect(try comparator.compare(a, b) <= 0, "\(a) sorted before \(b)")
        }
        for i in stride(from: 0, to: versions.count, by: 3) {
            let a = versions[i]
            let b = versions[(i * 7 + 3) % versions.count]
            #expect(try comparator.compare(a, b) == -comparator.compare(b, a), "\(a) vs \(b) is not antisymmetric")
        }
    }

    @Test("every secdb fixed version validates except the one apk rejects")
    func secdbValidity() throws {
        var invalid: [String] = []
        for version in try VersionFixtures.alpineSecdbFixedVersions() {
            do { try comparator.validate(version) } catch { invalid.append(version) }
        }
        // `4.10-1-r1` (v3.9 main) has a hyphen apk's grammar does not allow; apk still compares it.
        #expect(invalid == ["4.10-1-r1"])
        #expect(try comparator.compare("4.10-1-r1", "4.10-r1") == 1)
    }

    @Test("suffix order: alpha < beta < pre < rc < release < cvs < svn < git < hg < p")
    func suffixOrder() throws {
        let ladder = ["1.2_alpha", "1.2_beta", "1.2_pre", "1.2_rc", "1.2", "1.2_cvs", "1.2_svn", "1.2_git", "1.2_hg", "1.2_p"]
        for (a, b) in zip(ladder, ladder.dropFirst()) {
            #expect(try comparator.compare(a, b) < 0, "\(a) < \(b)")
        }
        #expect(try comparator.compare("1.2_rc1-r3", "1.2-r0") < 0)
        #expect(try comparator.compare("1.0a", "1.0") > 0)
        #expect(try comparator.compare("1.0-r10", "1.0-r9") > 0)
        #expect(try comparator.compare("1.01", "1.1") < 0)
    }

    // apk-tools 2.x quirk, kept on purpose: after a component made only of zeros the parser expects more digits,
    // so a suffix there no longer counts as pre-release (`get_token`'s leading-zero branch forces TOKEN_DIGIT).
    @Test("a pre-release suffix after a zero component sorts after the release, as in apk-tools 2.x")
    func zeroComponentQuirk() throws {
        #expect(try comparator.compare("1.0_rc1", "1.0") > 0)
        #expect(try comparator.compare("1.10_rc1", "1.10") < 0)
    }

    @Test("validate follows apk_version_validate", arguments: [("1.2.3a_rc1_p2-r4", true), ("1.2_blah", false),
        ("1-ruff", false), ("1.0A", false), ("1.0-r1_p1", false), ("1.0-r1-r2", true), ("0.1", true)])
    func validity(version: String, valid: Bool) {
        #expect((try? comparator.validate(version)) != nil ? valid : !valid, "\(version)")
    }
}

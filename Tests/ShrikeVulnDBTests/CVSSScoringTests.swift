import ShrikeCore
import Testing
@testable import ShrikeVulnDB

@Suite("CVSS scoring and severity bands")
struct CVSSScoringTests {
    // Scores as NVD publishes them for these vectors (9.8: CVE-2019-14697 musl; 10.0: CVE-2021-44228 Log4Shell;
    // 7.5: CVE-2014-0160 Heartbleed, a 3.0 vector), cross-checked with the `cvss` package from PyPI (Red Hat's).
    @Test("base scores", arguments: [(String, Double, Severity)]([
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, Severity.critical),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, .critical),
        ("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9, .critical),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5, .high),
        ("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5, .high),
        ("CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8, .high),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, .medium),
        ("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N", 5.9, .medium),
        ("CVSS:3.1/AV:A/AC:L/PR:H/UI:N/S:C/C:L/I:L/A:L", 5.9, .medium),
        ("CVSS:3.1/AV:L/AC:H/PR:L/UI:R/S:C/C:N/I:L/A:N", 2.5, .low),
        ("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6, .low),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0, .negligible),
        // Temporal metrics are allowed and do not change the base score.
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:U/RL:O/RC:C", 9.8, .critical),
    ]))
    func baseScore(vector: String, score: Double, band: Severity) throws {
        let cvss = try CVSSv3(vector: vector)
        #expect(cvss.baseScore == score)
        #expect(Severity(cvssScore: cvss.baseScore) == band)
    }

    @Test("malformed vectors are rejected", arguments: [
        "AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",            // no prefix
        "CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P",            // wrong version
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",       // A missing
        "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",   // unknown value
        "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", // repeated
    ])
    func malformed(vector: String) {
        #expect(throws: ShrikeError.self) { try CVSSv3(vector: vector) }
    }

    @Test("band edges", arguments: [(Double, Severity)]([(0.1, .low), (3.9, .low), (4.0, .medium), (6.9, .medium), (7.0, .high),
                                     (8.9, .high), (9.0, .critical), (10.0, .critical)]))
    func bands(score: Double, band: Severity) {
        #expect(Severity(cvssScore: score) == band)
    }

    @Test("vendor words", arguments: [(String, Severity?)]([("MODERATE", .medium), ("CRITICAL", .critical), ("LOW", .low),
                                       ("high**", .high), ("low*", .low), ("medium", .medium),
                                       ("unimportant", .negligible), ("not yet assigned", nil), ("end-of-life", nil)]))
    func vendorWords(word: String, expected: Severity?) {
        #expect(Severity(vendorWord: word) == expected)
    }

    @Test("the vendor's word wins over CVSS; CVSS over nothing; v4-only is unknown")
    func resolution() {
        let critical = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
        #expect(SeverityResolver.resolve(vendor: "LOW", cvssVectors: [critical]) == .low)
        #expect(SeverityResolver.resolve(vendor: nil, cvssVectors: [critical]) == .critical)
        #expect(SeverityResolver.resolve(vendor: "not yet assigned", cvssVectors: [critical]) == .critical)
        #expect(SeverityResolver.resolve(vendor: nil, cvssVectors: []) == .unknown)
        #expect(SeverityResolver.resolve(vendor: nil,
                                         cvssVectors: ["CVSS:4.0/AV:N/AC:H/AT:P/PR:H/UI:P/VC:N/VI:L/VA:L/SC:N/SI:N/SA:N"]) == .unknown)
    }
}

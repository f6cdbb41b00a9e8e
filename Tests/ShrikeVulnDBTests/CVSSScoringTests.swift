import Foundation
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

    @Test("the vendor's word wins over CVSS; v3 over v4; v4 when it is the only vector; else unknown")
    func resolution() {
        let critical = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
        #expect(SeverityResolver.resolve(vendor: "LOW", cvssVectors: [critical]) == .low)
        #expect(SeverityResolver.resolve(vendor: nil, cvssVectors: [critical]) == .critical)
        #expect(SeverityResolver.resolve(vendor: "not yet assigned", cvssVectors: [critical]) == .critical)
        #expect(SeverityResolver.resolve(vendor: nil, cvssVectors: []) == .unknown)
        // The v4-only vector of Fixtures/osv-rust (RUSTSEC-2026-0223) scores 2.0: low.
        let v4 = "CVSS:4.0/AV:N/AC:H/AT:P/PR:H/UI:P/VC:N/VI:L/VA:L/SC:N/SI:N/SA:N"
        #expect(SeverityResolver.resolve(vendor: nil, cvssVectors: [v4]) == .low)
        #expect(SeverityResolver.resolve(vendor: nil, cvssVectors: [v4, critical]) == .critical)
        #expect(SeverityResolver.resolve(vendor: "MODERATE", cvssVectors: [v4]) == .medium)
        #expect(SeverityResolver.resolve(vendor: nil, cvssVectors: ["CVSS:4.0/AV:N"]) == .unknown)
    }

    // MARK: - CVSS v4.0

    // Published scores: 9.3 is the base score FIRST's v4.0 calculator gives the typical unauthenticated network
    // RCE (and NVD shows for it); 8.5 is the CVSS-B of CVE-2022-41741 in FIRST's "CVSS v4.0 Examples" document; the
    // others are checked against Red Hat's `cvss` 3.6 (PyPI), which implements FIRST's calculator.
    @Test("v4.0 base scores", arguments: [(String, Double, Severity)]([
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3, Severity.critical),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 10.0, .critical),
        ("CVSS:4.0/AV:L/AC:L/AT:N/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 8.5, .high),
        ("CVSS:4.0/AV:N/AC:H/AT:P/PR:H/UI:P/VC:N/VI:L/VA:L/SC:N/SI:N/SA:N", 2.0, .low),
        ("CVSS:4.0/AV:P/AC:H/AT:P/PR:H/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N", 1.0, .low),
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0.0, .negligible),
        // Threat and supplemental metrics are accepted; the base score ignores them (E:U would make CVSS-BT 8.1).
        ("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U/AU:Y/U:Red", 9.3, .critical),
    ]))
    func v4BaseScore(vector: String, score: Double, band: Severity) throws {
        let cvss = try CVSSv4(vector: vector)
        #expect(cvss.baseScore == score)
        #expect(Severity(cvssScore: cvss.baseScore) == band)
    }

    /// `VECTOR - SCORE` lines (FIRST's test-data format), comments skipped.
    static func scoredVectors(_ text: String) -> [(String, Double)] {
        text.split(separator: "\n").compactMap { line in
            guard !line.hasPrefix("#") else { return nil }
            let parts = line.components(separatedBy: " - ")
            guard parts.count == 2, let score = Double(parts[1].trimmingCharacters(in: .whitespaces)) else { return nil }
            return (parts[0], score)
        }
    }

    // Fixtures/cvss4/base-scores.txt: 2,000 of the 104,976 base vectors, scored by Red Hat's `cvss` 3.6 (see the
    // file's header). Set SHRIKE_CVSS4_ORACLE to a file of the same format (e.g. all 104,976) to check more.
    @Test("v4.0 base scores agree with the reference implementation on a sample of every base vector")
    func v4Reference() throws {
        var files = [VulnDBFixtures.path("cvss4/base-scores.txt")]
        if let extra = ProcessInfo.processInfo.environment["SHRIKE_CVSS4_ORACLE"] { files.append(extra) }
        for file in files {
            let vectors = Self.scoredVectors(try String(contentsOfFile: file, encoding: .utf8))
            #expect(vectors.count >= 2000, "\(file)")
            var mismatches: [String] = []
            for (vector, expected) in vectors {
                let score = try CVSSv4(vector: vector).baseScore
                if score != expected { mismatches.append("\(vector): \(score), want \(expected)") }
            }
            #expect(mismatches.isEmpty, "\(mismatches.count) of \(vectors.count) differ: \(mismatches.prefix(10))")
        }
    }

    @Test("malformed v4.0 vectors are rejected", arguments: [
        "AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",                 // no prefix
        "CVSS:3.1/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",        // wrong version
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N",             // SA missing
        "CVSS:4.0/AV:X/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",        // X is not a base value
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/SA:N",   // repeated
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/ZZ:1",   // unknown metric
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N",        // S only for MSI/MSA
    ])
    func v4Malformed(vector: String) {
        #expect(throws: ShrikeError.self) { try CVSSv4(vector: vector) }
    }
}

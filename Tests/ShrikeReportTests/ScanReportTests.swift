import Foundation
import ShrikeCore
import ShrikeVulnDB
import Testing
@testable import ShrikeReport

/// `--severity`, `--ignore-unfixed`, `--vex` and `--fail-on` applied to a matcher's result.
struct ScanReportTests {
    static let result = MatchResult(matches: ScanFixtures.matches)

    @Test("--severity keeps only the listed severities")
    func severity() throws {
        let filter = MatchFilter(severities: try MatchFilter.severities(parsing: "Critical, high"))
        let report = ScanReport(sbom: SBOMFixtures.image, result: Self.result, filter: filter)
        #expect(report.matches.map(\.vulnerability.id) == ["CVE-2019-14697", "CVE-2023-4911", "CVE-2019-14697"])
        #expect(throws: ShrikeError.self) { try MatchFilter.severities(parsing: "high,severe") }
        #expect(throws: ShrikeError.self) { try MatchFilter.severities(parsing: ",") }
    }

    @Test("--ignore-unfixed drops not-fixed and wont-fix")
    func ignoreUnfixed() {
        let report = ScanReport(sbom: SBOMFixtures.image, result: Self.result, filter: MatchFilter(ignoreUnfixed: true))
        #expect(report.matches.map(\.vulnerability.id) == ["CVE-2019-14697", "CVE-2024-0002"])
        #expect(report.matches.allSatisfy { $0.vulnerability.status == .fixed })
    }

    @Test("--vex moves suppressed matches aside; --fail-on sees only what is reported")
    func vexAndFailOn() throws {
        let vex = try VEXDocument(parsing: Array("""
        {"statements": [{"vulnerability": {"name": "CVE-2019-14697"}, "products": [{"@id": "pkg:apk/alpine/musl@1.2.5-r0"},
          {"@id": "pkg:apk/alpine/zlib"}], "status": "not_affected", "justification": "vulnerable_code_not_present"}]}
        """.utf8), input: "vex.json")
        let report = ScanReport(sbom: SBOMFixtures.image, result: Self.result, vex: VEXSuppressor(documents: [vex]))
        #expect(report.suppressed.map { "\($0.match.vulnerability.id) \($0.match.package.name)" }
            == ["CVE-2019-14697 musl", "CVE-2019-14697 zlib"])
        #expect(report.matches.count == ScanFixtures.matches.count - 2)
        #expect(report.summary[.critical] == 0)
        #expect(!FailureThreshold(.critical).fails(report.matches))
        #expect(FailureThreshold(.high).offending(report.matches).map(\.vulnerability.id) == ["CVE-2023-4911"])
        #expect(FailureThreshold(.unknown).offending(report.matches).count == report.matches.count)
        #expect(FailureThreshold(.medium).offending(report.matches).count == 2)
        #expect(throws: ShrikeError.self) { try MatchFilter.severity(parsing: "urgent") }
    }
}

import Foundation
import ShrikeCore
import ShrikeReport
import ShrikeVulnDB
import Testing

/// Packages that were not checked appear in every scan output: JSON `unchecked`, SARIF notifications and run
/// properties, and the table's summary line, so "no matches" never reads as "safe".
@Suite("Unchecked packages in scan reports")
struct ScanUncheckedReportTests {
    static let unchecked = [
        UncheckedPackages(distribution: "mariner:2.0", namespaces: ["mariner:2.0"], packageType: .rpm, count: 129,
                          reason: .noAdvisoryData),
    ]
    static var report: ScanReport {
        ScanReport(sbom: ScanFixtures.empty.sbom, matches: [], unchecked: unchecked)
    }

    @Test("JSON: unchecked.packages and one group with the reason and message; present and empty when all was checked")
    func json() throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(try ScanJSONWriter().write(Self.report))) as? [String: Any])
        let unchecked = try #require(object["unchecked"] as? [String: Any])
        #expect(unchecked["packages"] as? Int == 129)
        let groups = try #require(unchecked["groups"] as? [[String: Any]])
        #expect(groups.count == 1)
        #expect(groups.first?["distribution"] as? String == "mariner:2.0")
        #expect(groups.first?["type"] as? String == "rpm")
        #expect(groups.first?["reason"] as? String == "no-advisory-data")
        #expect((groups.first?["message"] as? String)?.contains("129 rpm packages were not checked") == true)

        let clean = try #require(try JSONSerialization.jsonObject(with: Data(try ScanJSONWriter().write(ScanFixtures.empty))) as? [String: Any])
        #expect((clean["unchecked"] as? [String: Any])?["packages"] as? Int == 0)
    }

    @Test("SARIF: a warning notification per group and the counts in the run's properties")
    func sarif() throws {
        let log = try #require(try JSONSerialization.jsonObject(with: Data(try SARIFWriter().write(Self.report))) as? [String: Any])
        let run = try #require((log["runs"] as? [[String: Any]])?.first)
        let invocation = try #require((run["invocations"] as? [[String: Any]])?.first)
        let notifications = try #require(invocation["toolExecutionNotifications"] as? [[String: Any]])
        #expect(notifications.count == 1)
        #expect(notifications.first?["level"] as? String == "warning")
        #expect(((notifications.first?["message"] as? [String: Any])?["text"] as? String)?.contains("mariner:2.0") == true)
        #expect((run["properties"] as? [String: Any])?["uncheckedPackages"] as? Int == 129)
    }

    @Test("SARIF with unchecked packages validates against the 2.1.0 schema",
          .enabled(if: Validators.available, Comment(rawValue: Validators.missing)))
    func sarifValidates() throws {
        let result = try Validators.sarif(try SARIFWriter().write(Self.report))
        #expect(result.status == 0, "\(result.output)")
    }

    @Test("table: never a bare 'No vulnerabilities found.' when packages were not checked")
    func table() {
        let text = ScanTableWriter(useColor: false).render(Self.report)
        #expect(text.hasPrefix("No vulnerabilities found in the packages that were checked."))
        #expect(text.contains("129 packages NOT CHECKED"))
        #expect(ScanTableWriter(useColor: false).render(ScanFixtures.empty).hasPrefix("No vulnerabilities found.\n"))
    }
}

/// The vendor's advisory id is shown beside the CVE in the table (JSON, SARIF and CycloneDX carry it in `aliases`).
@Suite("Vendor advisory ids in the scan table")
struct ScanVendorAdvisoryTableTests {
    @Test(arguments: [
        ("USN-4321-1", true), ("ALSA-2022:4587", true), ("ALAS2023-2023-193", true), ("RHSA-2024:1234", true),
        ("SUSE-SU-2024:0001-1", true), ("CGA-2x3c-9x8v-q5r7", true), ("50124-1", true),
        ("GHSA-jfh8-c2jp-5v3q", false), ("CVE-2024-1234", false), ("PYSEC-2021-66", false),
    ])
    func recognised(_ id: String, _ vendor: Bool) {
        #expect(ScanTableWriter.isVendorAdvisory(id) == vendor)
    }

    @Test("the row ends with the first vendor advisory")
    func row() {
        var match = ScanFixtures.matches[0]
        match.vulnerability.aliases = ["GHSA-jfh8-c2jp-5v3q", "ALSA-2022:4587"]
        let text = ScanTableWriter(useColor: false).render(ScanReport(sbom: ScanFixtures.empty.sbom, matches: [match]))
        let line = text.split(separator: "\n").first { $0.contains(match.vulnerability.id) }
        #expect(line?.hasSuffix("  ALSA-2022:4587") == true, "\(text)")
    }
}

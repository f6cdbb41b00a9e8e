import Foundation
import ShrikeCore
import ShrikeVulnDB
import Testing
@testable import ShrikeReport

struct ScanCycloneDXWriterTests {
    static let writer = ScanCycloneDXWriter(clock: { SBOMFixtures.fixedDate }, makeUUID: { SBOMFixtures.fixedUUID })

    static func bom(_ report: ScanReport) throws -> [String: Any] {
        try SBOMFixtures.json(try writer.write(report))
    }

    @Test("the components are the SBOM's; vulnerabilities affect their bom-refs")
    func vulnerabilities() throws {
        let bom = try Self.bom(ScanFixtures.report())
        let sbom = try SBOMFixtures.json(try CycloneDXWriter(clock: { SBOMFixtures.fixedDate },
                                                             makeUUID: { SBOMFixtures.fixedUUID }).write(SBOMFixtures.image))
        #expect(NSArray(array: try #require(bom["components"] as? [Any])) == NSArray(array: try #require(sbom["components"] as? [Any])))
        #expect(bom["specVersion"] as? String == "1.6")
        let refs = Set((bom["components"] as? [[String: Any]] ?? []).compactMap { $0["bom-ref"] as? String })
        let vulnerabilities = try #require(bom["vulnerabilities"] as? [[String: Any]])
        // Every match, plus the VEX-suppressed one with its analysis.
        #expect(vulnerabilities.count == ScanFixtures.matches.count + 1)
        for vulnerability in vulnerabilities {
            let affects = try #require(vulnerability["affects"] as? [[String: Any]])
            for affect in affects { #expect(refs.contains(affect["ref"] as? String ?? ""), "\(affect)") }
        }
        let musl = vulnerabilities[0]
        #expect(musl["id"] as? String == "CVE-2019-14697")
        #expect((musl["source"] as? [String: Any])?["name"] as? String == "alpine:3.20")
        #expect((musl["ratings"] as? [[String: Any]])?.first?["severity"] as? String == "critical")
        #expect((musl["affects"] as? [[String: Any]])?.first?["ref"] as? String
            == "pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.3")
        #expect(musl["analysis"] == nil)
        // The second of two packages sharing a purl is the component whose bom-ref carries `#2`.
        let dup = try #require(vulnerabilities.first { $0["id"] as? String == "CVE-2024-0003" })
        #expect(((dup["affects"] as? [[String: Any]])?.first?["ref"] as? String)?.hasSuffix("#2") == true)
        let negligible = try #require(vulnerabilities.first { $0["id"] as? String == "CVE-2024-0002" })
        #expect((negligible["ratings"] as? [[String: Any]])?.first?["severity"] as? String == "info")
        let suppressed = try #require(vulnerabilities.last)
        #expect(suppressed["id"] as? String == "CVE-2024-9999")
        let analysis = try #require(suppressed["analysis"] as? [String: String])
        #expect(analysis == ["state": "not_affected", "justification": "code_not_reachable",
                             "detail": "busybox's vulnerable applet is not built"])
    }

    @Test("validates as strict CycloneDX 1.6", .enabled(if: Validators.available, Comment(rawValue: Validators.missing)),
          arguments: [true, false])
    func validates(_ full: Bool) throws {
        let report = full ? ScanFixtures.report() : ScanFixtures.empty
        let result = try Validators.cyclonedx(try ScanCycloneDXWriter().write(report))
        #expect(result.status == 0, "\(result.output)")
    }

    @Test("a broken vulnerabilities section fails validation", .enabled(if: Validators.available, Comment(rawValue: Validators.missing)))
    func brokenFails() throws {
        var text = String(decoding: try Self.writer.write(ScanFixtures.report()), as: UTF8.self)
        text = text.replacingOccurrences(of: "\"state\" : \"not_affected\"", with: "\"state\" : \"not_afected\"")
        let result = try Validators.cyclonedx(Array(text.utf8))
        #expect(result.status != 0)
    }
}

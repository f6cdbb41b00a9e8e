import Foundation
import ShrikeCore
import ShrikeVulnDB
import Testing
@testable import ShrikeReport

struct ScanJSONWriterTests {
    static func document(_ report: ScanReport) throws -> [String: Any] {
        try SBOMFixtures.json(try ScanJSONWriter().write(report))
    }

    @Test("top-level keys and the source/distro objects as shrike sbom writes them")
    func shape() throws {
        let json = try Self.document(ScanFixtures.report())
        #expect(Set(json.keys) == ["source", "distro", "matches", "summary", "unchecked"])
        let sbom = try SBOMFixtures.json(try SBOMJSONWriter().write(SBOMFixtures.image))
        #expect(NSDictionary(dictionary: try #require(json["source"] as? [String: Any]))
            == NSDictionary(dictionary: try #require(sbom["source"] as? [String: Any])))
        #expect(NSDictionary(dictionary: try #require(json["distro"] as? [String: Any]))
            == NSDictionary(dictionary: try #require(sbom["distro"] as? [String: Any])))
    }

    @Test("each match carries exactly DESIGN.md's vulnerability and package fields")
    func matchObjects() throws {
        let json = try Self.document(ScanFixtures.report())
        let matches = try #require(json["matches"] as? [[String: Any]])
        #expect(matches.count == ScanFixtures.matches.count)
        let first = matches[0]
        #expect(Set(first.keys) == ["vulnerability", "package"])
        let vulnerability = try #require(first["vulnerability"] as? [String: Any])
        #expect(Set(vulnerability.keys) == ["id", "aliases", "severity", "status", "fixedVersion", "namespace", "urls"])
        #expect(vulnerability["id"] as? String == "CVE-2019-14697")
        #expect(vulnerability["severity"] as? String == "critical")
        #expect(vulnerability["status"] as? String == "fixed")
        #expect(vulnerability["fixedVersion"] as? String == "1.2.5-r1")
        #expect(vulnerability["namespace"] as? String == "alpine:3.20")
        #expect(vulnerability["urls"] as? [String] == ["https://nvd.nist.gov/vuln/detail/CVE-2019-14697"])
        #expect(vulnerability["aliases"] as? [String] == [])
        let package = try #require(first["package"] as? [String: Any])
        #expect(Set(package.keys) == ["name", "version", "type", "purl", "layer"])
        #expect(package["name"] as? String == "musl")
        #expect(package["version"] as? String == "1.2.5-r0")
        #expect(package["type"] as? String == "apk")
        #expect(package["purl"] as? String == "pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.3")
        #expect(package["layer"] as? String == SBOMFixtures.baseLayer.description)

        let unfixed = try #require(matches[1]["vulnerability"] as? [String: Any])
        #expect(unfixed["fixedVersion"] is NSNull)
        #expect(unfixed["status"] as? String == "not-fixed")
        let zlib = try #require(matches[4]["package"] as? [String: Any])
        #expect(zlib["layer"] is NSNull)
        #expect((matches[3]["vulnerability"] as? [String: Any])?["status"] as? String == "wont-fix")
    }

    @Test("Go advisories add affectedSymbols (path and symbols); others leave it out")
    func affectedSymbols() throws {
        var go = ScanFixtures.match("GO-2022-0515", ScanFixtures.package("musl"), .high, .fixed, fixed: "1.18.4",
                                    namespace: "osv:Go")
        go.vulnerability.affectedImports = [AffectedImport(path: "go/parser", symbols: ["ParseExprFrom", "ParseFile"])]
        let report = ScanReport(sbom: SBOMFixtures.image, matches: [go, ScanFixtures.matches[0]])
        let matches = try #require(try Self.document(report)["matches"] as? [[String: Any]])
        let first = try #require(matches[0]["vulnerability"] as? [String: Any])
        let symbols = try #require(first["affectedSymbols"] as? [[String: Any]])
        #expect(symbols.count == 1)
        #expect(symbols[0]["path"] as? String == "go/parser")
        #expect(symbols[0]["symbols"] as? [String] == ["ParseExprFrom", "ParseFile"])
        #expect((matches[1]["vulnerability"] as? [String: Any])?["affectedSymbols"] == nil)
    }

    @Test("summary counts reported matches per severity; suppressed ones are not counted")
    func summary() throws {
        let json = try Self.document(ScanFixtures.report(showSuppressed: true))
        let summary = try #require(json["summary"] as? [String: Int])
        #expect(summary == ["critical": 2, "high": 1, "medium": 1, "low": 1, "negligible": 1, "unknown": 1])
        let empty = try #require(try Self.document(ScanFixtures.empty)["summary"] as? [String: Int])
        #expect(empty == ["critical": 0, "high": 0, "medium": 0, "low": 0, "negligible": 0, "unknown": 0])
    }

    @Test("--show-suppressed adds a suppressed array with the VEX verdict")
    func suppressed() throws {
        #expect(try Self.document(ScanFixtures.report())["suppressed"] == nil)
        let json = try Self.document(ScanFixtures.report(showSuppressed: true))
        let suppressed = try #require(json["suppressed"] as? [[String: Any]])
        #expect(suppressed.count == 1)
        let vex = try #require(suppressed[0]["vex"] as? [String: String])
        #expect(vex == ["status": "not_affected", "justification": "vulnerable_code_not_in_execute_path",
                        "impactStatement": "busybox's vulnerable applet is not built"])
        #expect((suppressed[0]["package"] as? [String: Any])?["name"] as? String == "busybox")
    }

    @Test("the same report gives the same bytes")
    func deterministic() throws {
        #expect(try ScanJSONWriter().write(ScanFixtures.report()) == ScanJSONWriter().write(ScanFixtures.report()))
    }
}

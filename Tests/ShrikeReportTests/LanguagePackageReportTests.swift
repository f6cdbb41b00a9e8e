import Foundation
import ShrikeCatalog
import ShrikeCore
import ShrikeVulnDB
import Testing
@testable import ShrikeReport

/// Language packages in every writer: purl types, the OS-owned list, and Go symbols in scan JSON.
@Suite struct LanguagePackageReportTests {
    let sbom = SBOMFixtures.languages

    @Test("sbom JSON: language types and purls; OS-owned packages listed apart with ownedBy")
    func json() throws {
        let json = try SBOMFixtures.json(try SBOMJSONWriter().write(sbom))
        let packages = try #require(json["packages"] as? [[String: Any]])
        let purls = Dictionary(uniqueKeysWithValues: packages.map { ($0["type"] as? String ?? "", $0["purl"] as? String ?? "") })
        #expect(purls == [
            "deb": "pkg:deb/debian/python3-six@1.16.0-4?arch=amd64&distro=debian-12",
            "python": "pkg:pypi/jinja2@2.10", "npm": "pkg:npm/%40babel/core@7.12.3",
            "go": "pkg:golang/golang.org/x/net@v0.0.0-20220722155237-a158d28d115b",
            "java": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", "rust": "pkg:cargo/lock_api@0.4.1",
            "ruby": "pkg:gem/rack@2.2.22", "php": "pkg:composer/symfony/http-foundation@v5.4.3",
            "dotnet": "pkg:nuget/Newtonsoft.Json@13.0.1",
        ])
        #expect(packages.allSatisfy { $0["ownedBy"] == nil })
        let owned = try #require(json["ownedLanguagePackages"] as? [[String: Any]])
        #expect(owned.count == 1)
        #expect(owned.first?["name"] as? String == "six")
        #expect(owned.first?["ownedBy"] as? String == purls["deb"])
    }

    @Test("table: every type counted, and the OS-owned package mentioned, not listed")
    func table() {
        let text = SBOMTableWriter().render(sbom)
        #expect(!text.contains("\nsix "))
        #expect(text.hasSuffix("9 packages (deb 1, dotnet 1, go 1, java 1, npm 1, php 1, python 1, ruby 1, rust 1) in 2 layers · debian 12 · 1 language package installed by OS packages not listed again\n"))
    }

    @Test("CycloneDX: a component per reported package; the OS package says which language package it provides")
    func cyclonedx() throws {
        let json = try SBOMFixtures.json(try CycloneDXWriter().write(sbom))
        let components = try #require(json["components"] as? [[String: Any]])
        let purls = components.compactMap { $0["purl"] as? String }
        #expect(purls.count == 9)
        #expect(!purls.contains("pkg:pypi/six@1.16.0"))
        let deb = try #require(components.first { ($0["purl"] as? String)?.hasPrefix("pkg:deb/") == true })
        let properties = deb["properties"] as? [[String: String]] ?? []
        #expect(properties.contains(["name": "shrike:provides", "value": "pkg:pypi/six@1.16.0"]))
    }

    @Test("SPDX: a purl external reference per language package")
    func spdx() throws {
        let json = try SBOMFixtures.json(try SPDXWriter().write(sbom))
        let packages = try #require(json["packages"] as? [[String: Any]])
        let locators = packages.flatMap { ($0["externalRefs"] as? [[String: String]] ?? []).compactMap { $0["referenceLocator"] } }
        #expect(locators.contains("pkg:npm/%40babel/core@7.12.3"))
        #expect(locators.contains("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"))
        #expect(locators.count == 9)
    }

    @Test("scan JSON: Go advisories list their affected symbols; other matches keep the documented keys")
    func goSymbols() throws {
        let go = try #require(sbom.packages.first { $0.type == .go })
        let python = try #require(sbom.packages.first { $0.type == .python })
        let matches = [
            Match(vulnerability: MatchedVulnerability(id: "GO-2022-0969", status: .fixed, fixedVersion: "0.0.0-20220906165146-f3363e06e74c",
                                                      namespace: "osv:Go", symbols: ["golang.org/x/net/http2.Server.ServeConn"]),
                  package: go),
            Match(vulnerability: MatchedVulnerability(id: "PYSEC-2019-217", status: .fixed, fixedVersion: "2.10.1", namespace: "osv:PyPI"),
                  package: python),
        ]
        let report = ScanReport(sbom: sbom, result: MatchResult(matches: matches), filter: MatchFilter(), vex: nil, showSuppressed: false)
        let json = try SBOMFixtures.json(try ScanJSONWriter().write(report))
        let rows = try #require(json["matches"] as? [[String: Any]])
        let vulnerabilities = rows.compactMap { $0["vulnerability"] as? [String: Any] }
        let goRow = try #require(vulnerabilities.first { $0["id"] as? String == "GO-2022-0969" })
        #expect(goRow["symbols"] as? [String] == ["golang.org/x/net/http2.Server.ServeConn"])
        let pyRow = try #require(vulnerabilities.first { $0["id"] as? String == "PYSEC-2019-217" })
        #expect(Set(pyRow.keys) == ["id", "aliases", "severity", "status", "fixedVersion", "namespace", "urls"])
    }
}

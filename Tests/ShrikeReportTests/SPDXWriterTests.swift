import Foundation
import ShrikeCatalog
import ShrikeCore
import Testing
@testable import ShrikeReport

@Suite("SPDX 2.3 JSON")
struct SPDXWriterTests {
    let writer = SPDXWriter(toolVersion: "9.9.9", clock: { SBOMFixtures.fixedDate },
                            makeUUID: { SBOMFixtures.fixedUUID })

    func packages(_ sbom: SBOM) throws -> [[String: Any]] {
        let json = try SBOMFixtures.json(try writer.write(sbom))
        return try #require(json["packages"] as? [[String: Any]])
    }

    func package(named name: String, in sbom: SBOM = SBOMFixtures.image) throws -> [String: Any] {
        try #require(try packages(sbom).first { $0["name"] as? String == name })
    }

    @Test("document header: version, data license, id, name, namespace and creation info")
    func header() throws {
        let json = try SBOMFixtures.json(try writer.write(SBOMFixtures.image))
        #expect(json["spdxVersion"] as? String == "SPDX-2.3")
        #expect(json["dataLicense"] as? String == "CC0-1.0")
        #expect(json["SPDXID"] as? String == "SPDXRef-DOCUMENT")
        #expect(json["name"] as? String == "registry.local:5000/team/mixed:1.0")
        #expect(json["documentNamespace"] as? String
            == "https://spdx.org/spdxdocs/shrike/registry.local-5000-team-mixed-1.0-0e5b4c1a-9f3d-4c2b-8a7e-1d2c3b4a5f60")
        let creation = try #require(json["creationInfo"] as? [String: Any])
        #expect(creation["created"] as? String == "2026-03-01T12:34:56Z")
        #expect(creation["creators"] as? [String] == ["Tool: shrike-9.9.9"])
    }

    @Test("every SPDXID is unique and uses only letters, digits, dots and dashes")
    func spdxIDs() throws {
        let ids = try packages(SBOMFixtures.image).compactMap { $0["SPDXID"] as? String }
        #expect(ids.count == SBOMFixtures.image.packages.count + 2)
        #expect(Set(ids).count == ids.count)
        for id in ids {
            #expect(id.hasPrefix("SPDXRef-"))
            #expect(id.unicodeScalars.allSatisfy { CharacterSet(charactersIn: "-.").contains($0)
                || ($0.isASCII && CharacterSet.alphanumerics.contains($0)) }, "\(id)")
        }
        #expect(ids.contains("SPDXRef-Package-rpm-perl-Text-Tabs-plusWrap-4-2013.0523-460.el9"))
        #expect(ids.contains("SPDXRef-Package-rpm-dup-1.0-1"))
        #expect(ids.contains("SPDXRef-Package-rpm-dup-1.0-1-2"))
    }

    @Test("packages: version, NOASSERTION fields, not analysed, purl external ref")
    func packageFields() throws {
        let openssl = try package(named: "openssl-libs")
        #expect(openssl["versionInfo"] as? String == "1:3.0.7-27.el9")
        for key in ["downloadLocation", "licenseConcluded", "supplier", "originator", "copyrightText"] {
            #expect(openssl[key] as? String == "NOASSERTION", "\(key)")
        }
        #expect(openssl["filesAnalyzed"] as? Bool == false)
        let refs = try #require(openssl["externalRefs"] as? [[String: String]])
        #expect(refs == [["referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl",
                          "referenceLocator": "pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?arch=x86_64&distro=rhel-9.4&epoch=1"]])
        #expect(openssl["comment"] as? String == "layer: \(SBOMFixtures.appLayer)")
        #expect(openssl["sourceInfo"] as? String == "recorded in: /var/lib/rpm/rpmdb.sqlite")
    }

    static let declaredCases: [(String, String)] = [
        ("musl", "MIT"),
        ("ca-certificates", "MPL-2.0 AND MIT"),
        ("libc6", "LGPL-2.1 AND GPL-2.0-or-later WITH GCC-exception-3.1"),
        ("libstdc++6", "GFDL-1.2 AND LicenseRef-GPL-3-plus"),
        ("perl-base", "(Artistic-1.0 OR GPL-1.0-or-later) AND LicenseRef-GPL-1-plus-or-Artistic"),
        ("bash", "LicenseRef-GPLv3-plus"),
        ("openssl-libs", "LicenseRef-ASL-2.0"),
        ("perl-Text-Tabs+Wrap", "TTWL AND (MIT OR Apache-2.0) AND BSD-3-Clause AND LicenseRef-MIT-and-BSD"),
        ("we ird/ünï", "LicenseRef-Apache-2.0-plus"),
    ]

    @Test("licenseDeclared keeps valid SPDX and turns the rest into LicenseRefs", arguments: declaredCases)
    func licenseDeclared(_ name: String, _ expected: String) throws {
        #expect(try package(named: name)["licenseDeclared"] as? String == expected)
    }

    @Test("a package without licenses declares NOASSERTION")
    func noLicense() throws {
        let dups = try packages(SBOMFixtures.image).filter { $0["name"] as? String == "dup" }
        #expect(dups.map { $0["licenseDeclared"] as? String }
            == ["NOASSERTION", "(GPL-2.0-only OR MIT) AND LicenseRef-GPLv2-plus"])
    }

    @Test("each LicenseRef is defined once with its original text")
    func extractedLicensing() throws {
        let json = try SBOMFixtures.json(try writer.write(SBOMFixtures.image))
        let extracted = try #require(json["hasExtractedLicensingInfos"] as? [[String: String]])
        let texts = Dictionary(uniqueKeysWithValues: extracted.compactMap { entry in
            entry["licenseId"].map { ($0, entry["extractedText"] ?? "") }
        })
        #expect(texts == [
            "LicenseRef-ASL-2.0": "ASL 2.0",
            "LicenseRef-Apache-2.0-plus": "Apache-2.0+",
            "LicenseRef-GPL-1-plus-or-Artistic": "GPL-1+ or Artistic",
            "LicenseRef-GPL-3-plus": "GPL-3+",
            "LicenseRef-GPLv2-plus": "GPLv2+",
            "LicenseRef-GPLv3-plus": "GPLv3+",
            "LicenseRef-MIT-and-BSD": "MIT and BSD",
        ])
        let directory = try SBOMFixtures.json(try writer.write(SBOMFixtures.directory))
        #expect(directory["hasExtractedLicensingInfos"] == nil)
    }

    @Test("the document describes the root, which contains the distro and every package")
    func relationships() throws {
        let json = try SBOMFixtures.json(try writer.write(SBOMFixtures.image))
        let relationships = try #require(json["relationships"] as? [[String: String]])
        #expect(relationships.first == ["spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES",
                                        "relatedSpdxElement": "SPDXRef-DocumentRoot-Image"])
        let contains = relationships.filter { $0["relationshipType"] == "CONTAINS" }
        #expect(contains.count == SBOMFixtures.image.packages.count + 1)
        #expect(contains.allSatisfy { $0["spdxElementId"] == "SPDXRef-DocumentRoot-Image" })
        let root = try package(named: "registry.local:5000/team/mixed")
        #expect(root["versionInfo"] as? String == "sha256:" + String(repeating: "c", count: 64))
        #expect(root["primaryPackagePurpose"] as? String == "CONTAINER")
        let os = try package(named: "alpine")
        #expect(os["primaryPackagePurpose"] as? String == "OPERATING-SYSTEM")
        #expect(os["versionInfo"] as? String == "3.20.3")
    }

    @Test("a directory's root package is named by its path")
    func directoryRoot() throws {
        let root = try package(named: "/srv/rootfs", in: SBOMFixtures.directory)
        #expect(root["SPDXID"] as? String == "SPDXRef-DocumentRoot-Directory")
        #expect(root["versionInfo"] == nil)
    }

    static let idCases: [(String, String)] = [
        ("musl-1.2.5-r0", "musl-1.2.5-r0"),
        ("libstdc++6", "libstdc-plus-plus6"),
        ("a b/c:d", "a-b-c-d"),
        ("ünï", "n"),
        ("//", "unnamed"),
        ("GPLv2+", "GPLv2-plus"),
    ]

    @Test("id-safe names keep [A-Za-z0-9.-] only", arguments: idCases)
    func idSafe(_ input: String, _ expected: String) {
        #expect(SPDXWriter.idSafe(input) == expected)
    }

    @Test("fixed clock and UUID give the same bytes", arguments: SBOMFixture.allCases)
    func deterministic(_ fixture: SBOMFixture) throws {
        let sbom = fixture.sbom
        #expect(try writer.write(sbom) == writer.write(sbom))
    }
}

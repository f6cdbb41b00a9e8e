import Foundation
import ShrikeCatalog
import ShrikeCore
import ShrikeImage
import Testing
@testable import ShrikeReport

@Suite("Shrike's own SBOM JSON")
struct SBOMJSONWriterTests {
    @Test("top level holds source, distro and packages in sorted key order")
    func topLevelShape() throws {
        let bytes = try SBOMJSONWriter().write(SBOMFixtures.image)
        let json = try SBOMFixtures.json(bytes)
        #expect(Set(json.keys) == ["source", "distro", "packages", "ownedLanguagePackages"])
        let text = String(decoding: bytes, as: UTF8.self)
        let distro = try #require(text.range(of: "\"distro\""))
        let packages = try #require(text.range(of: "\"packages\""))
        let source = try #require(text.range(of: "\"source\""))
        #expect(distro.lowerBound < packages.lowerBound && packages.lowerBound < source.lowerBound)
        #expect(text.hasSuffix("}\n"))
        #expect(!text.contains("\\/"), "slashes stay unescaped in paths")
    }

    @Test("source carries type, path, digest, image id, diff ids and tags")
    func source() throws {
        let json = try SBOMFixtures.json(try SBOMJSONWriter().write(SBOMFixtures.image))
        let source = try #require(json["source"] as? [String: Any])
        #expect(source["type"] as? String == "oci-archive")
        #expect(source["path"] as? String == "/tmp/images/mixed.tar")
        #expect(source["digest"] as? String == "sha256:" + String(repeating: "c", count: 64))
        #expect(source["imageID"] as? String == "sha256:" + String(repeating: "d", count: 64))
        #expect(source["layers"] as? [String] == [SBOMFixtures.baseLayer.description, SBOMFixtures.appLayer.description])
        #expect(source["tags"] as? [String] == ["registry.local:5000/team/mixed:1.0"])
    }

    @Test("distro has id, versionID and prettyName")
    func distro() throws {
        let json = try SBOMFixtures.json(try SBOMJSONWriter().write(SBOMFixtures.image))
        let distro = try #require(json["distro"] as? [String: Any])
        #expect(distro["id"] as? String == "alpine")
        #expect(distro["versionID"] as? String == "3.20.3")
        #expect(distro["prettyName"] as? String == "Alpine Linux v3.20")
    }

    @Test("a directory has a null digest, a null distro and no layers")
    func directory() throws {
        let json = try SBOMFixtures.json(try SBOMJSONWriter().write(SBOMFixtures.directory))
        let source = try #require(json["source"] as? [String: Any])
        #expect(source["digest"] is NSNull)
        #expect(source["layers"] as? [String] == [])
        #expect(json["distro"] is NSNull)
    }

    @Test("packages keep their order and carry the documented fields")
    func packages() throws {
        let json = try SBOMFixtures.json(try SBOMJSONWriter().write(SBOMFixtures.image))
        let packages = try #require(json["packages"] as? [[String: Any]])
        #expect(packages.map { $0["name"] as? String } == SBOMFixtures.image.packages.map(\.name))
        let musl = packages[0]
        #expect(musl["version"] as? String == "1.2.5-r0")
        #expect(musl["type"] as? String == "apk")
        #expect(musl["purl"] as? String == "pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.3")
        #expect(musl["sourceName"] as? String == "musl")
        #expect(musl["layer"] as? String == SBOMFixtures.baseLayer.description)
        #expect(musl["locations"] as? [String] == ["/lib/apk/db/installed"])
        #expect(musl["licenses"] as? [String] == ["MIT"])
        let openssl = try #require(packages.first { $0["name"] as? String == "openssl-libs" })
        #expect(openssl["version"] as? String == "1:3.0.7-27.el9")
        #expect(openssl["epoch"] as? Int == 1)
        let weird = try #require(packages.last)
        #expect(weird["name"] as? String == "we ird/ünï")
        #expect(weird["purl"] as? String == "pkg:pypi/we%20ird%2F%C3%BCn%C3%AF@0.1%20beta")
    }

    @Test("the same SBOM always gives the same bytes", arguments: SBOMFixture.allCases)
    func deterministic(_ fixture: SBOMFixture) throws {
        let sbom = fixture.sbom
        #expect(try SBOMJSONWriter().write(sbom) == SBOMJSONWriter().write(sbom))
    }
}

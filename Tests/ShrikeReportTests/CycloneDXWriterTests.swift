import Foundation
import ShrikeCatalog
import ShrikeCore
import Testing
@testable import ShrikeReport

@Suite("CycloneDX 1.6 JSON")
struct CycloneDXWriterTests {
    let writer = CycloneDXWriter(toolVersion: "9.9.9", clock: { SBOMFixtures.fixedDate },
                                 makeUUID: { SBOMFixtures.fixedUUID })

    @Test("header: format, spec version, lower-case urn:uuid serial, version 1")
    func header() throws {
        let json = try SBOMFixtures.json(try writer.write(SBOMFixtures.image))
        #expect(json["bomFormat"] as? String == "CycloneDX")
        #expect(json["specVersion"] as? String == "1.6")
        #expect(json["serialNumber"] as? String == "urn:uuid:0e5b4c1a-9f3d-4c2b-8a7e-1d2c3b4a5f60")
        #expect(json["version"] as? Int == 1)
        #expect(json["$schema"] as? String == "http://cyclonedx.org/schema/bom-1.6.schema.json")
    }

    @Test("metadata: RFC 3339 UTC timestamp, shrike as tool, the image as a container component")
    func metadata() throws {
        let json = try SBOMFixtures.json(try writer.write(SBOMFixtures.image))
        let metadata = try #require(json["metadata"] as? [String: Any])
        #expect(metadata["timestamp"] as? String == "2026-03-01T12:34:56Z")
        let tools = try #require((metadata["tools"] as? [String: Any])?["components"] as? [[String: Any]])
        #expect(tools.count == 1)
        #expect(tools.first?["name"] as? String == "shrike")
        #expect(tools.first?["version"] as? String == "9.9.9")
        #expect(tools.first?["type"] as? String == "application")
        let component = try #require(metadata["component"] as? [String: Any])
        #expect(component["type"] as? String == "container")
        #expect(component["name"] as? String == "registry.local:5000/team/mixed")
        #expect(component["version"] as? String == "sha256:" + String(repeating: "c", count: 64))
        let properties = try #require(component["properties"] as? [[String: String]])
        #expect(properties.contains(["name": "shrike:image:tag", "value": "registry.local:5000/team/mixed:1.0"]))
    }

    @Test("a directory is a file component named by its path")
    func directoryRoot() throws {
        let json = try SBOMFixtures.json(try writer.write(SBOMFixtures.directory))
        let component = try #require((json["metadata"] as? [String: Any])?["component"] as? [String: Any])
        #expect(component["type"] as? String == "file")
        #expect(component["name"] as? String == "/srv/rootfs")
        #expect(component["version"] == nil)
    }

    @Test("the distro is an operating-system component, packages are libraries with unique bom-refs")
    func components() throws {
        let json = try SBOMFixtures.json(try writer.write(SBOMFixtures.image))
        let components = try #require(json["components"] as? [[String: Any]])
        #expect(components.count == SBOMFixtures.image.packages.count + 1)
        let os = components[0]
        #expect(os["type"] as? String == "operating-system")
        #expect(os["name"] as? String == "alpine")
        #expect(os["version"] as? String == "3.20.3")
        #expect(os["description"] as? String == "Alpine Linux v3.20")
        #expect(components.dropFirst().allSatisfy { $0["type"] as? String == "library" })
        let refs = components.compactMap { $0["bom-ref"] as? String }
        #expect(refs.count == components.count)
        #expect(Set(refs).count == refs.count, "bom-refs must be unique even for the duplicate package")
        let dups = components.filter { $0["name"] as? String == "dup" }.compactMap { $0["bom-ref"] as? String }
        #expect(dups == ["pkg:rpm/redhat/dup@1.0-1?arch=x86_64&distro=rhel-9.4",
                         "pkg:rpm/redhat/dup@1.0-1?arch=x86_64&distro=rhel-9.4#2"])
        let root = try #require(((json["metadata"] as? [String: Any])?["component"] as? [String: Any])?["bom-ref"])
        #expect(!refs.contains(root as? String ?? ""))
    }

    @Test("packages carry version, purl, publisher and shrike properties for layer and locations")
    func packageComponent() throws {
        let json = try SBOMFixtures.json(try writer.write(SBOMFixtures.image))
        let components = try #require(json["components"] as? [[String: Any]])
        let openssl = try #require(components.first { $0["name"] as? String == "openssl-libs" })
        #expect(openssl["version"] as? String == "1:3.0.7-27.el9")
        #expect(openssl["purl"] as? String == "pkg:rpm/redhat/openssl-libs@3.0.7-27.el9?arch=x86_64&distro=rhel-9.4&epoch=1")
        #expect(openssl["publisher"] as? String == "Red Hat, Inc.")
        let properties = try #require(openssl["properties"] as? [[String: String]])
        #expect(properties.contains(["name": "shrike:layer", "value": SBOMFixtures.appLayer.description]))
        #expect(properties.contains(["name": "shrike:location", "value": "/var/lib/rpm/rpmdb.sqlite"]))
        #expect(properties.contains(["name": "shrike:package:type", "value": "rpm"]))
        let zlib = try #require(components.first { $0["name"] as? String == "zlib" })
        let zlibProperties = try #require(zlib["properties"] as? [[String: String]])
        #expect(!zlibProperties.contains { $0["name"] == "shrike:layer" }, "no layer property without a layer")
    }

    @Test("the root depends on every component")
    func dependencies() throws {
        let json = try SBOMFixtures.json(try writer.write(SBOMFixtures.image))
        let dependencies = try #require(json["dependencies"] as? [[String: Any]])
        #expect(dependencies.count == 1)
        #expect((dependencies[0]["dependsOn"] as? [String])?.count == SBOMFixtures.image.packages.count + 1)
    }

    static let licenseCases: [([String], String)] = [
        (["MIT"], #"[{"license":{"id":"MIT"}}]"#),
        (["mit"], #"[{"license":{"id":"MIT"}}]"#),
        (["GPL-2.0+"], #"[{"license":{"id":"GPL-2.0+"}}]"#),
        (["MIT", "Apache-2.0"], #"[{"license":{"id":"MIT"}},{"license":{"id":"Apache-2.0"}}]"#),
        (["MIT", "MIT"], #"[{"license":{"id":"MIT"}}]"#),
        (["GPLv2+"], #"[{"license":{"name":"GPLv2+"}}]"#),
        (["MIT and BSD"], #"[{"license":{"name":"MIT and BSD"}}]"#),
        (["GPL-2.0-or-later AND MIT"], #"[{"expression":"GPL-2.0-or-later AND MIT"}]"#),
        (["Apache-2.0+"], #"[{"license":{"name":"Apache-2.0+"}}]"#),
        (["MIT", "GPL-2.0-only OR MIT"], #"[{"expression":"MIT AND (GPL-2.0-only OR MIT)"}]"#),
        (["GPL-2.0-only OR MIT", "GPLv2+"],
         #"[{"license":{"name":"GPL-2.0-only OR MIT"}},{"license":{"name":"GPLv2+"}}]"#),
        (["", "  "], "[]"),
    ]

    @Test("license strings become ids, names or one expression", arguments: licenseCases)
    func licenses(_ input: [String], _ expected: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let actual = String(decoding: try encoder.encode(CycloneDXWriter.licenseChoices(input)), as: UTF8.self)
        #expect(actual == expected)
    }

    @Test("fixed clock and UUID give the same bytes", arguments: SBOMFixture.allCases)
    func deterministic(_ fixture: SBOMFixture) throws {
        let sbom = fixture.sbom
        #expect(try writer.write(sbom) == writer.write(sbom))
    }

    @Test("the default writer makes a fresh serial number each time")
    func freshSerial() throws {
        let a = try SBOMFixtures.json(try CycloneDXWriter().write(SBOMFixtures.empty))
        let b = try SBOMFixtures.json(try CycloneDXWriter().write(SBOMFixtures.empty))
        #expect(a["serialNumber"] as? String != b["serialNumber"] as? String)
    }
}

import Foundation
import ShrikeCatalog
import ShrikeCore
import Testing
@testable import ShrikeVulnDB

struct VEXTests {
    static let imageDigest = try! Digest(algorithm: .sha256, hex: String(repeating: "c", count: 64))

    static func match(_ id: String, aliases: [String] = [], name: String = "musl", version: String = "1.1.20-r4") -> Match {
        Match(vulnerability: MatchedVulnerability(id: id, aliases: aliases, severity: .high, status: .fixed,
                                                  fixedVersion: "1.1.20-r5", namespace: "alpine:3.9"),
              package: Package(name: name, version: version, type: .apk,
                               purl: PackageURL(type: "apk", namespace: "alpine", name: name, version: version,
                                                qualifiers: ["arch": "x86_64", "distro": "alpine-3.9.6"]),
                               sourceName: name))
    }

    static func document(_ json: String) throws -> VEXDocument {
        try VEXDocument(parsing: Array(json.utf8), input: "test.vex.json")
    }

    static func suppressed(_ json: String, _ matches: [Match]) throws -> [String] {
        let suppressor = VEXSuppressor(documents: [try document(json)], imageDigests: [imageDigest])
        return suppressor.apply(to: matches).suppressed.map { "\($0.match.vulnerability.id) \($0.match.package.name) \($0.status.rawValue)" }
    }

    static func openVEX(_ statements: String) -> String {
        """
        {"@context": "https://openvex.dev/ns/v0.2.0", "@id": "https://example.com/vex/1", "author": "test",
         "timestamp": "2024-01-01T00:00:00Z", "version": 1, "statements": [\(statements)]}
        """
    }

    @Test("not_affected by purl without qualifiers suppresses; other packages and vulnerabilities stay")
    func purlIgnoringQualifiers() throws {
        let json = Self.openVEX("""
        {"vulnerability": {"name": "CVE-2019-14697"}, "products": [{"@id": "pkg:apk/alpine/musl@1.1.20-r4"}],
         "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"}
        """)
        let matches = [Self.match("CVE-2019-14697"), Self.match("CVE-2016-8859"),
                       Self.match("CVE-2019-14697", name: "musl-utils")]
        #expect(try Self.suppressed(json, matches) == ["CVE-2019-14697 musl not_affected"])
        let split = VEXSuppressor(documents: [try Self.document(json)]).apply(to: matches)
        #expect(split.kept.count == 2)
        #expect(split.suppressed.first?.justification == "vulnerable_code_not_in_execute_path")
    }

    @Test("a purl naming another version does not apply; one without a version covers all")
    func versions() throws {
        let other = Self.openVEX("""
        {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:apk/alpine/musl@1.1.20-r5"}], "status": "fixed"}
        """)
        #expect(try Self.suppressed(other, [Self.match("CVE-1")]) == [])
        let any = Self.openVEX("""
        {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:apk/alpine/musl"}], "status": "fixed"}
        """)
        #expect(try Self.suppressed(any, [Self.match("CVE-1")]) == ["CVE-1 musl fixed"])
    }

    @Test("statuses affected and under_investigation keep the match")
    func keepingStatuses() throws {
        for status in ["affected", "under_investigation"] {
            let json = Self.openVEX("""
            {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:apk/alpine/musl@1.1.20-r4"}], "status": "\(status)"}
            """)
            #expect(try Self.suppressed(json, [Self.match("CVE-1")]) == [], "\(status)")
        }
    }

    @Test("a vulnerability named by @id or an alias matches the finding's id or aliases")
    func aliases() throws {
        let json = Self.openVEX("""
        {"vulnerability": {"@id": "https://nvd.nist.gov/vuln/detail/CVE-1", "name": "GHSA-xxxx", "aliases": ["CVE-9"]},
         "products": [{"@id": "pkg:apk/alpine/musl@1.1.20-r4"}], "status": "not_affected",
         "justification": "component_not_present"}
        """)
        #expect(try Self.suppressed(json, [Self.match("CVE-9"), Self.match("CVE-2", aliases: ["GHSA-xxxx"]),
                                           Self.match("CVE-3")])
            == ["CVE-9 musl not_affected", "CVE-2 musl not_affected"])
    }

    @Test("the image by digest, whole or narrowed to subcomponents")
    func imageProducts() throws {
        let hex = String(repeating: "c", count: 64)
        let whole = Self.openVEX("""
        {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:oci/alpine@sha256%3A\(hex)?repository_url=example.com/alpine"}],
         "status": "not_affected", "justification": "vulnerable_code_not_present"}
        """)
        #expect(try Self.suppressed(whole, [Self.match("CVE-1"), Self.match("CVE-1", name: "busybox")]).count == 2)
        let narrowed = Self.openVEX("""
        {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "example.com/alpine@sha256:\(hex)",
          "subcomponents": [{"@id": "pkg:apk/alpine/busybox@1.1.20-r4?arch=x86_64"}]}], "status": "fixed"}
        """)
        #expect(try Self.suppressed(narrowed, [Self.match("CVE-1"), Self.match("CVE-1", name: "busybox")])
            == ["CVE-1 busybox fixed"])
        let otherImage = Self.openVEX("""
        {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:oci/alpine@sha256%3A\(String(repeating: "d", count: 64))"}],
         "status": "not_affected", "justification": "vulnerable_code_not_present"}
        """)
        #expect(try Self.suppressed(otherImage, [Self.match("CVE-1")]) == [])
    }

    @Test("the latest statement wins: a later affected statement revokes an earlier not_affected")
    func latestWins() throws {
        let json = Self.openVEX("""
        {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:apk/alpine/musl@1.1.20-r4"}], "status": "affected",
         "timestamp": "2024-03-01T00:00:00Z"},
        {"vulnerability": {"name": "CVE-1"}, "products": [{"@id": "pkg:apk/alpine/musl@1.1.20-r4"}], "status": "not_affected",
         "justification": "vulnerable_code_not_present", "timestamp": "2024-02-01T00:00:00Z"}
        """)
        #expect(try Self.suppressed(json, [Self.match("CVE-1")]) == [])
    }

    @Test("OpenVEX v0.0.1 plain strings")
    func legacyShape() throws {
        let json = """
        {"@context": "https://openvex.dev/ns", "statements": [{"vulnerability": "CVE-1",
         "products": ["pkg:apk/alpine/musl@1.1.20-r4"], "status": "fixed"}]}
        """
        #expect(try Self.suppressed(json, [Self.match("CVE-1")]) == ["CVE-1 musl fixed"])
    }

    @Test("malformed VEX files are errors naming the file and statement", arguments: [
        "not json", "{\"statements\": 3}",
        "{\"statements\": [{\"vulnerability\": {\"name\": \"CVE-1\"}, \"products\": [\"pkg:apk/alpine/musl\"], \"status\": \"maybe\"}]}",
        "{\"statements\": [{\"vulnerability\": {}, \"products\": [\"pkg:apk/alpine/musl\"], \"status\": \"fixed\"}]}",
        "{\"statements\": [{\"vulnerability\": \"CVE-1\", \"products\": [], \"status\": \"fixed\"}]}",
    ])
    func malformed(_ json: String) {
        #expect {
            try Self.document(json)
        } throws: { error in
            (error as? ShrikeError)?.code == .malformed && "\(error)".contains("test.vex.json")
        }
    }

    @Test("purl parsing keeps npm scopes and decodes percent escapes", arguments: [
        ("pkg:npm/%40angular/core@16.0.0?x=y#sub", "npm", "@angular", "core", "16.0.0"),
        ("pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64", "deb", "debian", "libc6", "2.36-9+deb12u4"),
        ("pkg:pypi/requests", "pypi", nil, "requests", nil),
    ])
    func purl(_ text: String, _ type: String, _ namespace: String?, _ name: String, _ version: String?) throws {
        let purl = try #require(PurlIdentity(parsing: text))
        #expect(purl.type == type)
        #expect(purl.namespace == namespace)
        #expect(purl.name == name)
        #expect(purl.version == version)
    }
}

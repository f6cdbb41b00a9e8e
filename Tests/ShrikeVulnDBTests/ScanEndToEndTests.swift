import Foundation
import Testing
import ShrikeCore
import ShrikeImage
import ShrikeCatalog
import ShrikeVulnDB
import ShrikeTestSupport

/// The whole scanning spine on real inputs: real secdb data imported into the real SQLite store, a real Alpine image
/// read by the image reader and catalog, matched with the real apk comparator. Expected values come from reading
/// Fixtures/alpine-secdb/v3.9/main.yaml: musl's CVE-2019-14697 is fixed in 1.1.20-r5; openssl's CVE-2019-1543 in
/// 1.1.1b-r1 (libssl1.1 and libcrypto1.1 are openssl subpackages, matched through their origin).
@Suite struct ScanEndToEndTests {
    static func scan(rewriting replacements: [(String, String)]) throws -> MatchResult {
        let dir = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteAdvisoryStore(path: dir + "/db.sqlite")
        _ = try store.importAdvisories([AdvisoryPathImporter(path: VulnDBFixtures.path("alpine-secdb/v3.9"))])

        let rootfs = RepositoryFiles.alpineRootfs("3.9.6")
        let installed = try ExternalTool.run(["tar", "-xzOf", rootfs, "./lib/apk/db/installed"])
        var database = installed.stdout
        for (from, to) in replacements {
            #expect(database.contains(from), "fixture holds \(from)")
            database = database.replacingOccurrences(of: from, with: to)
        }
        // Layer 2 rewrites the apk database, as a downgrade with `apk add pkg=version` would.
        let builder = try ImageFixtureBuilder(ImageFixture(layers: [
            LayerFixture(tar: ImageSourceFixtures.uncompressedAlpine("3.9.6")), LayerFixture([.file("lib/apk/db/installed", database)]),
        ]))
        let target = try ImageSourceFixtures.write(builder, as: .ociArchive, in: dir)
        let (fs, source) = try ImageLoader.open(target, options: ImageReadOptions(selector: Catalog.osPackages.contentSelector))
        let sbom = try Catalog.osPackages.run(on: fs, source: source)
        return try Matcher(store: store).match(sbom)
    }

    @Test("Alpine 3.9.6 as released has no known vulnerabilities in the v3.9 secdb snapshot")
    func clean() throws {
        let result = try Self.scan(rewriting: [])
        #expect(result.matches.isEmpty, "\(result.matches.map(\.vulnerability.id))")
        #expect(result.warnings.isEmpty)
    }

    @Test("downgraded musl and openssl subpackages match the secdb entries through their origins")
    func downgraded() throws {
        let result = try Self.scan(rewriting: [
            ("P:musl\nV:1.1.20-r5", "P:musl\nV:1.1.20-r4"),
            ("P:libssl1.1\nV:1.1.1g-r0", "P:libssl1.1\nV:1.1.1b-r0"),
        ])
        let byPackage = Dictionary(grouping: result.matches, by: { $0.package.name })
        let musl = byPackage["musl"]?.map(\.vulnerability) ?? []
        #expect(musl.map(\.id) == ["CVE-2019-14697"])
        #expect(musl.first?.fixedVersion == "1.1.20-r5")
        #expect(musl.first?.namespace == "alpine:3.9")
        let ssl = Set((byPackage["libssl1.1"] ?? []).map(\.vulnerability.id))
        #expect(ssl.contains("CVE-2019-1543"), "\(ssl.sorted())")
        #expect(byPackage["libcrypto1.1"] == nil, "libcrypto1.1 stays at 1.1.1g-r0, past every fix")
        #expect(result.matches.allSatisfy { $0.package.layer != nil })
    }
}

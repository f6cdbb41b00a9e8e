import Foundation
import Testing
import ShrikeTestSupport

/// `shrike sbom` and `shrike scan` on a source checkout: language packages flow through the commands.
@Suite struct LanguageCLITests {
    static func checkout() throws -> String {
        let root = try LanguageFixtures.temporaryDirectory()
        let files = [
            "requirements.txt": "Jinja2==2.10\nflask>=1.0\n",
            "node_modules/lodash/package.json": #"{"name": "lodash", "version": "4.17.20", "license": "MIT"}"#,
            "package.json": #"{"name": "my-app", "version": "1.0.0", "private": true}"#,
        ]
        for (path, text) in files {
            let full = root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test("sbom dir: lists installed packages and lockfile pins")
    func sbom() throws {
        let root = try Self.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let run = try ShrikeBinary.run(["sbom", "dir:" + root, "-o", "json"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout)) as? [String: Any])
        let packages = try #require(object["packages"] as? [[String: Any]])
        #expect(Set(packages.compactMap { $0["purl"] as? String }) == ["pkg:pypi/jinja2@2.10", "pkg:npm/lodash@4.17.20"])
        #expect(object["ownedLanguagePackages"] as? [Any] != nil)
    }

    @Test("scan dir: matches a pinned Jinja2 against imported PyPI advisories")
    func scan() throws {
        let root = try Self.checkout()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let db = root + "/.shrike-test.sqlite"
        let imported = try ShrikeBinary.run(["db", "import", "--db", db,
                                             RepositoryFiles.path("Tests/ShrikeVulnDBTests/Fixtures/osv-pypi/vulns/jinja2")])
        #expect(imported.status == 0, "stderr: \(imported.stderr)")
        let run = try ShrikeBinary.run(["scan", "dir:" + root, "--db", db, "-o", "json"])
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout)) as? [String: Any])
        let matches = try #require(object["matches"] as? [[String: Any]])
        let ids = Set(matches.compactMap { ($0["vulnerability"] as? [String: Any])?["id"] as? String })
        // Jinja2 2.10 is in the versions lists of these two fixtures (PROVENANCE.md), not of the other three.
        #expect(ids == ["PYSEC-2019-217", "PYSEC-2021-66"])
    }
}

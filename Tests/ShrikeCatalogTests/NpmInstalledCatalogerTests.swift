import Foundation
import Testing
import ShrikeCatalog
import ShrikeCore
import ShrikeTestSupport

/// Installed npm packages: Debian's real node-* packages and hand-written node_modules trees.
@Suite struct NpmInstalledCatalogerTests {
    let cataloger = NpmInstalledCataloger()

    @Test("Debian's node-semver and node-ms: packages in /usr/share/nodejs, scoped @types packages",
          .enabled(if: LanguageFixtures.debianPackages != nil, "apt-get download of the test .debs failed (no network?)"))
    func debianNodePackages() throws {
        let debs = try #require(LanguageFixtures.debianPackages)
        let (fs, root) = try LanguageTestSupport.directoryRoot { root in
            for name in ["node-semver", "node-ms"] { try LanguageFixtures.unpackDebian(try #require(debs[name]), into: root) }
        }
        defer { try? FileManager.default.removeItem(atPath: root) }
        let packages = try cataloger.catalog(fs, distro: nil)
        #expect(LanguageTestSupport.summary(packages) == [
            "@types/ms 0.7.31 pkg:npm/%40types/ms@0.7.31", "@types/semver 7.3.9 pkg:npm/%40types/semver@7.3.9",
            "ms 2.1.3 pkg:npm/ms@2.1.3", "semver 7.3.5 pkg:npm/semver@7.3.5",
        ])
        let semver = packages.first { $0.name == "semver" }
        #expect(semver?.licenses == ["ISC"])
        #expect(semver?.locations == ["/usr/share/nodejs/semver/package.json"])
    }

    @Test("node_modules trees: the project root, inner package.json files and nameless manifests are not packages")
    func nodeModules() throws {
        let packages = try LanguageTestSupport.catalogBothWays(cataloger, files: [
            "/app/package.json": #"{"name": "my-app", "version": "1.0.0", "private": true}"#,
            "/app/node_modules/lodash/package.json": #"{"name": "lodash", "version": "4.17.20", "license": "MIT"}"#,
            "/app/node_modules/lodash/fp/package.json": #"{"name": "lodash-fp-marker", "version": "0.0.0"}"#,
            "/app/node_modules/@babel/core/package.json": #"{"name": "@babel/core", "version": "7.12.3", "license": {"type": "MIT"}}"#,
            "/app/node_modules/a/node_modules/b/package.json": #"{"name": "b", "version": "2.0.0", "licenses": [{"type": "BSD"}, "ISC"]}"#,
            "/app/node_modules/.bin/package.json": #"{"name": "hidden", "version": "1.0.0"}"#,
            "/app/node_modules/broken/package.json": #"{"name": "broken", "#,
            "/app/node_modules/noversion/package.json": #"{"name": "noversion"}"#,
            "/app/node_modules/.pnpm/debug@4.3.4/node_modules/debug/package.json": #"{"name": "debug", "version": "4.3.4"}"#,
            "/usr/lib/x86_64-linux-gnu/nodejs/bufferutil/package.json": #"{"name": "bufferutil", "version": "4.0.7"}"#,
        ])
        #expect(LanguageTestSupport.summary(packages) == [
            "@babel/core 7.12.3 pkg:npm/%40babel/core@7.12.3", "b 2.0.0 pkg:npm/b@2.0.0",
            "bufferutil 4.0.7 pkg:npm/bufferutil@4.0.7", "debug 4.3.4 pkg:npm/debug@4.3.4",
            "lodash 4.17.20 pkg:npm/lodash@4.17.20",
        ])
        let licenses = Dictionary(uniqueKeysWithValues: packages.map { ($0.name, $0.licenses) })
        #expect(licenses["@babel/core"] == ["MIT"])
        #expect(licenses["b"] == ["BSD", "ISC"])
    }

    @Test("installed manifest paths", arguments: [
        ("/n/node_modules/x/package.json", true), ("/n/node_modules/@s/x/package.json", true),
        ("/usr/share/nodejs/x/package.json", true), ("/usr/lib/nodejs/@s/x/package.json", true),
        ("/usr/lib/aarch64-linux-gnu/nodejs/x/package.json", true), ("/n/package.json", false),
        ("/n/node_modules/x/lib/package.json", false), ("/n/node_modules/package.json", false),
        ("/usr/share/nodejs/x/y/package.json", false), ("/usr/lib/a/b/nodejs/x/package.json", false),
        ("/n/node_modules/x/package.jsonx", false),
    ])
    func wants(_ path: String, _ wanted: Bool) {
        #expect(cataloger.wants(path: path, size: 100) == wanted)
    }
}

import Foundation
import Testing
import ShrikeCore
import ShrikeImage
import ShrikeCatalog
import ShrikeVulnDB
import ShrikeTestSupport

/// Language packages through the whole spine: real wheels installed by pip into a root file system, catalogued by
/// `Catalog.directory`, matched against real OSV PyPI advisories in the SQLite store.
///
/// Expected ids come from reading the fixtures' `versions` lists (Fixtures/PROVENANCE.md): Jinja2 2.10 is listed by
/// PYSEC-2019-217 and PYSEC-2021-66 (not by PYSEC-2014-8, -2014-82, -2019-220); requests 2.19.1 by PYSEC-2018-28 and
/// PYSEC-2023-74 (not -2014-13, -2014-14, -2015-17); urllib3 1.24.1 by PYSEC-2019-132, -2019-133, -2020-148,
/// -2021-108, -2023-192, -2023-207, -2023-212 (not -2017-98, -2018-32, -2020-149, -2021-59); Django 2.2 by
/// PYSEC-2019-10, -2019-16, -2020-35, -2021-98, -2022-190 (not -2018-2, -2021-109).
@Suite(.enabled(if: LanguageFixtures.pipSite != nil,
                "pip could not install \(LanguageFixtures.oldWheels.joined(separator: " ")) (no pip or no network to PyPI)"))
struct LanguageScanEndToEndTests {
    static let expected: [String: Set<String>] = [
        "Jinja2": ["PYSEC-2019-217", "PYSEC-2021-66"],
        "requests": ["PYSEC-2018-28", "PYSEC-2023-74"],
        "urllib3": ["PYSEC-2019-132", "PYSEC-2019-133", "PYSEC-2020-148", "PYSEC-2021-108", "PYSEC-2023-192",
                    "PYSEC-2023-207", "PYSEC-2023-212"],
        "Django": ["PYSEC-2019-10", "PYSEC-2019-16", "PYSEC-2020-35", "PYSEC-2021-98", "PYSEC-2022-190"],
    ]

    static func store(in dir: String) throws -> SQLiteAdvisoryStore {
        let store = try SQLiteAdvisoryStore(path: dir + "/db.sqlite")
        _ = try store.importAdvisories([
            AdvisoryPathImporter(path: VulnDBFixtures.path("osv-pypi")),
            AdvisoryPathImporter(path: VulnDBFixtures.path("osv-pypi-django")),
            AdvisoryPathImporter(path: VulnDBFixtures.path("osv-rust")),
        ])
        return store
    }

    /// A root file system with the wheels in a virtualenv-like site-packages, as `pip install --target` left them.
    static func rootfs(in dir: String) throws -> String {
        let root = dir + "/rootfs"
        let site = root + "/opt/app/lib/python3.11/site-packages"
        try FileManager.default.createDirectory(atPath: PathNormalizer.parent(of: site), withIntermediateDirectories: true)
        let site0 = try #require(LanguageFixtures.pipSite)
        try ExternalTool.run(["cp", "-a", site0, site])
        return root
    }

    @Test("pip-installed old wheels match exactly the PyPI advisories whose versions list them")
    func pipWheels() throws {
        let dir = try LanguageFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try Self.store(in: dir)
        let root = try Self.rootfs(in: dir)
        let target = Target.directory(path: root)
        let (fs, source) = try ImageLoader.open(target)
        let sbom = try Catalog.default(for: target).run(on: fs, source: source)
        #expect(Set(sbom.packages.map { "\($0.name) \($0.version)" }) == ["Django 2.2", "Jinja2 2.10", "requests 2.19.1", "urllib3 1.24.1"])

        let result = try Matcher(store: store).match(sbom)
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        let found = Dictionary(grouping: result.matches, by: \.package.name).mapValues { Set($0.map(\.vulnerability.id)) }
        #expect(found == Self.expected)
        #expect(result.matches.allSatisfy { $0.vulnerability.namespace == "osv:PyPI" })
        // Ranges give the fix of the span holding the version (PYSEC-2019-10: introduced 2.2, fixed 2.2.3).
        let django = result.matches.filter { $0.package.name == "Django" }
        #expect(django.first { $0.vulnerability.id == "PYSEC-2019-10" }?.vulnerability.fixedVersion == "2.2.3")
        #expect(django.first { $0.vulnerability.id == "PYSEC-2022-190" }?.vulnerability.fixedVersion == "2.2.28")
    }

    @Test("a Cargo.lock: crates.io packages match RustSec SEMVER ranges; git sources are not crates.io releases")
    func cargoLock() throws {
        let dir = try LanguageFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try Self.store(in: dir)
        let lock = """
        version = 3

        [[package]]
        name = "lock_api"
        version = "0.4.1"
        source = "registry+https://github.com/rust-lang/crates.io-index"
        checksum = "28247cc5a5be2f05fbcd76dd0cf2c7d3b5400cb978a28042abcd4fa0b3f8261c"

        [[package]]
        name = "wasmtime"
        version = "5.0.0"
        source = "registry+https://github.com/rust-lang/crates.io-index"

        [[package]]
        name = "rocksdb"
        version = "0.18.0"
        source = "git+https://github.com/rust-rocksdb/rust-rocksdb?rev=abc#abc"

        [[package]]
        name = "app"
        version = "0.1.0"
        dependencies = [
         "lock_api",
         "wasmtime",
        ]
        """
        let fs = try InMemoryFileSystem(textFiles: ["/src/app/Cargo.lock": lock])
        let sbom = try Catalog.directory.run(on: fs, source: SourceDescription(type: "dir", path: "/src"))
        let result = try Matcher(store: store).match(sbom)
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        #expect(result.matches.map { "\($0.package.name) \($0.vulnerability.id) \($0.vulnerability.fixedVersion ?? "-")" }
            == ["lock_api RUSTSEC-2020-0070 0.4.2", "wasmtime RUSTSEC-2023-0090 5.0.1"])
    }
}

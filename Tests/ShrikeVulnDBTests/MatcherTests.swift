import Foundation
import ShrikeCatalog
import ShrikeCore
import ShrikeImage
import ShrikeTestSupport
import ShrikeVersions
import Testing
@testable import ShrikeVulnDB

/// The real Alpine 3.9.6 minirootfs packages, matched against real Alpine secdb entries translated by hand.
///
/// Expected matches come from reading `Fixtures/alpine-secdb/v3.9/main.yaml`: openssl has fixes at 1.1.1a-r0
/// (CVE-2018-0734, CVE-2018-0735), 1.1.1b-r1 (CVE-2019-1543) and 1.1.1d-r0 (CVE-2019-1547, -1549, -1563); musl at
/// 1.1.15-r4 (CVE-2016-8859) and 1.1.20-r5 (CVE-2019-14697); busybox at 1.27.2-r4 (CVE-2017-16544, -15873, -15874)
/// and 1.29.3-r10 (CVE-2018-20679, CVE-2019-5747). v3.8's `db` lists CVE-2016-0682… under fixed version `"0"`.
struct MatcherTests {
    static let tarTrait = ConditionTrait.enabled(if: ExternalTool.find("tar") != nil,
                                                 "needs tar to read the minirootfs fixture")

    static let secfixes: [(namespace: String, package: String, fixed: String, cves: [String])] = [
        ("alpine:3.9", "openssl", "1.1.1d-r0", ["CVE-2019-1547", "CVE-2019-1549", "CVE-2019-1563"]),
        ("alpine:3.9", "openssl", "1.1.1b-r1", ["CVE-2019-1543"]),
        ("alpine:3.9", "openssl", "1.1.1a-r0", ["CVE-2018-0734", "CVE-2018-0735"]),
        ("alpine:3.9", "musl", "1.1.20-r5", ["CVE-2019-14697"]),
        ("alpine:3.9", "musl", "1.1.15-r4", ["CVE-2016-8859"]),
        ("alpine:3.9", "busybox", "1.29.3-r10", ["CVE-2018-20679", "CVE-2019-5747"]),
        ("alpine:3.9", "busybox", "1.27.2-r4", ["CVE-2017-16544", "CVE-2017-15873", "CVE-2017-15874"]),
        ("alpine:3.8", "db", "0", ["CVE-2016-0682", "CVE-2016-0689", "CVE-2016-0692", "CVE-2016-0694", "CVE-2016-3418"]),
    ]

    static let vulnerabilities = [
        Vulnerability(id: "CVE-2019-14697", severity: .critical,
                      urls: ["https://nvd.nist.gov/vuln/detail/CVE-2019-14697"], source: "test"),
        Vulnerability(id: "CVE-2019-1543", severity: .high, source: "test"),
        Vulnerability(id: "CVE-2019-1547", aliases: ["GHSA-test-1547"], severity: .medium, source: "test"),
        Vulnerability(id: "CVE-2019-1563", severity: .low, source: "test"),
    ]

    static func store(extra: [AffectedPackage] = []) -> InMemoryAdvisoryStore {
        let records = secfixes.flatMap {
            AlpineSecfix.records(namespace: $0.namespace, package: $0.package, fixed: $0.fixed, cves: $0.cves)
        }
        return InMemoryAdvisoryStore(records: records + extra, vulnerabilities: vulnerabilities)
    }

    static func matcher(_ store: InMemoryAdvisoryStore) -> Matcher {
        // The real per-ecosystem comparators (apk for alpine:, dpkg for debian:, PEP 440 for PyPI, …).
        Matcher(store: store)
    }

    /// The apk packages and distro of the real 3.9.6 minirootfs.
    static func minirootfs() throws -> SBOM {
        let archive = RepositoryFiles.alpineRootfs("3.9.6")
        var files: [String: [UInt8]] = [:]
        for member in ["lib/apk/db/installed", "etc/os-release"] {
            let result = try ExternalTool.runCapturingBytes(
                executable: try #require(ExternalTool.find("tar")), arguments: ["-xzf", archive, "-O", "./" + member],
                environment: nil)
            try #require(result.status == 0, "tar failed: \(result.stderr)")
            files["/" + member] = result.stdout
        }
        let fs = try InMemoryFileSystem(files: files)
        let distro = try DistroDetector.detect(fs)
        return SBOM(source: .init(type: "dir", path: archive), distro: distro,
                    packages: try ApkCataloger().catalog(fs, distro: distro))
    }

    /// `package` as an older build would have installed it (version and purl version changed).
    static func downgraded(_ package: Package, to version: String) -> Package {
        var copy = package
        copy.version = version
        copy.purl.version = version
        return copy
    }

    static func describe(_ matches: [Match]) -> [String] {
        matches.map {
            "\($0.package.name) \($0.package.version) \($0.vulnerability.id) \($0.vulnerability.status.rawValue) \($0.vulnerability.fixedVersion ?? "-")"
        }
    }

    @Test("the hand translation matches the committed secdb files line for line")
    func translationMatchesFixtures() throws {
        for entry in Self.secfixes {
            let release = "v" + entry.namespace.dropFirst("alpine:".count)
            let path = RepositoryFiles.path("Tests/ShrikeVulnDBTests/Fixtures/alpine-secdb/\(release)/main.yaml")
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let name = try #require(text.range(of: "      name: \(entry.package)\n"))
            let fixed = entry.fixed == "0" ? "\"0\":" : "\(entry.fixed):"
            let after = text[name.upperBound...]
            let block = after[..<(after.range(of: "  - pkg:")?.lowerBound ?? after.endIndex)]
            #expect(block.contains(fixed), "\(entry.package) \(entry.fixed)")
            for cve in entry.cves { #expect(block.contains("- \(cve)\n"), "\(entry.package) \(cve)") }
        }
    }

    @Test("real Alpine 3.9.6: every package is newer than or equal to every fix, so nothing matches", tarTrait)
    func alpine396IsClean() throws {
        let sbom = try Self.minirootfs()
        #expect(sbom.packages.count == 14)
        let store = Self.store()
        let result = try Self.matcher(store).match(sbom)
        #expect(result.matches.isEmpty, "\(Self.describe(result.matches))")
        #expect(result.warnings.isEmpty)
        // Subpackages were looked up by their origin, in the release's own namespace, never by binary name.
        #expect(store.lookups.contains("alpine:3.9/openssl"))
        #expect(store.lookups.contains("alpine:3.9/busybox"))
        #expect(!store.lookups.contains { $0.hasSuffix("/libssl1.1") || $0.hasSuffix("/ssl_client") })
        #expect(store.lookups.allSatisfy { $0.hasPrefix("alpine:3.9/") })
    }

    @Test("older builds on 3.9: subpackages match through their origin, with the fix that closes their span", tarTrait)
    func olderBuildsMatch() throws {
        var sbom = try Self.minirootfs()
        sbom.packages = sbom.packages.map { package in
            switch package.name {
            case "libssl1.1", "libcrypto1.1": Self.downgraded(package, to: "1.1.1a-r1")
            case "musl": Self.downgraded(package, to: "1.1.20-r4")
            default: package
            }
        }
        let result = try Self.matcher(Self.store()).match(sbom)
        #expect(Self.describe(result.matches) == [
            "libcrypto1.1 1.1.1a-r1 CVE-2019-1543 fixed 1.1.1b-r1",
            "libcrypto1.1 1.1.1a-r1 CVE-2019-1547 fixed 1.1.1d-r0",
            "libcrypto1.1 1.1.1a-r1 CVE-2019-1549 fixed 1.1.1d-r0",
            "libcrypto1.1 1.1.1a-r1 CVE-2019-1563 fixed 1.1.1d-r0",
            "libssl1.1 1.1.1a-r1 CVE-2019-1543 fixed 1.1.1b-r1",
            "libssl1.1 1.1.1a-r1 CVE-2019-1547 fixed 1.1.1d-r0",
            "libssl1.1 1.1.1a-r1 CVE-2019-1549 fixed 1.1.1d-r0",
            "libssl1.1 1.1.1a-r1 CVE-2019-1563 fixed 1.1.1d-r0",
            "musl 1.1.20-r4 CVE-2019-14697 fixed 1.1.20-r5",
        ])
        let musl = try #require(result.matches.last)
        #expect(musl.vulnerability.severity == .critical)
        #expect(musl.vulnerability.namespace == "alpine:3.9")
        #expect(musl.vulnerability.urls == ["https://nvd.nist.gov/vuln/detail/CVE-2019-14697"])
        #expect(musl.package.purl.description == "pkg:apk/alpine/musl@1.1.20-r4?arch=x86_64&distro=alpine-3.9.6")
        let aliased = try #require(result.matches.first { $0.vulnerability.id == "CVE-2019-1547" })
        #expect(aliased.vulnerability.aliases == ["GHSA-test-1547"])
        #expect(result.matches.first { $0.vulnerability.id == "CVE-2019-1549" }?.vulnerability.severity == .unknown)
    }

    static func apk(_ name: String, _ version: String, origin: String? = nil) -> Package {
        Package(name: name, version: version, type: .apk,
                purl: PackageURL(type: "apk", namespace: "alpine", name: name, version: version),
                sourceName: origin ?? name)
    }

    @Test("fixed version 0 in v3.8's db entry: never affected, no match")
    func fixedVersionZero() throws {
        let sbom = SBOM(source: .init(type: "dir", path: "/"), distro: Distro(id: "alpine", versionID: "3.8.5"),
                        packages: [Self.apk("db", "5.3.28-r0")])
        let store = Self.store()
        let result = try Self.matcher(store).match(sbom)
        #expect(store.lookups == ["alpine:3.8/db"])
        #expect(result.matches.isEmpty)
        #expect(result.warnings.isEmpty)
    }

    @Test("namespace mismatches never match", arguments: [
        ("a python package named openssl is looked up in osv:PyPI", Distro(id: "alpine", versionID: "3.9.6"),
         Package(name: "openssl", version: "1.1.1a", type: .python, purl: PackageURL(type: "pypi", name: "openssl", version: "1.1.1a")),
         "osv:PyPI/openssl"),
        ("an Alpine 3.8 openssl is not judged by 3.9's advisories", Distro(id: "alpine", versionID: "3.8.5"),
         MatcherTests.apk("libssl1.0", "1.0.2a-r0", origin: "openssl"), "alpine:3.8/openssl"),
    ])
    func namespaceMismatch(_ what: String, _ distro: Distro, _ package: Package, _ lookup: String) throws {
        // Both namespaces hold data (for other packages), so the lookups happen and find nothing.
        let store = Self.store(extra: [
            AffectedPackage(vulnerabilityID: "PYSEC-0", namespace: "osv:PyPI", packageName: "requests", ecosystem: .pypi,
                            status: .notFixed),
            AffectedPackage(vulnerabilityID: "CVE-0", namespace: "alpine:3.8", packageName: "zlib", ecosystem: .alpine,
                            status: .notFixed),
        ])
        let result = try Self.matcher(store).match(SBOM(source: .init(type: "dir", path: "/"), distro: distro,
                                                         packages: [package]))
        #expect(store.lookups == [lookup], "\(what)")
        #expect(result.matches.isEmpty, "\(what)")
    }

    @Test("OS packages without a detected distribution are reported as unchecked, not silently skipped")
    func noDistro() throws {
        let result = try Self.matcher(Self.store()).match(
            SBOM(source: .init(type: "dir", path: "/"), distro: nil, packages: [Self.apk("musl", "1.1.20-r4")]))
        #expect(result.matches.isEmpty)
        #expect(result.warnings.isEmpty)
        #expect(result.unchecked == [UncheckedPackages(distribution: "unknown", namespaces: [], packageType: .apk,
                                                       count: 1, reason: .noDistribution)])
    }

    @Test("an invalid version is a warning naming the package and advisory, not a silent miss")
    func invalidVersion() throws {
        let sbom = SBOM(source: .init(type: "dir", path: "/"), distro: Distro(id: "alpine", versionID: "3.9.6"),
                        packages: [Self.apk("musl", "not a version!")])
        let result = try Self.matcher(Self.store()).match(sbom)
        #expect(result.matches.isEmpty)
        #expect(Set(result.warnings.compactMap(\.vulnerabilityID)) == ["CVE-2019-14697", "CVE-2016-8859"])
        #expect(result.warnings.allSatisfy { $0.packageName == "musl" && $0.namespace == "alpine:3.9" })
    }

    @Test("an ecosystem without a comparator yields warnings for each advisory, never matches or a crash")
    func unsupportedComparator() throws {
        let sbom = SBOM(source: .init(type: "dir", path: "/"), distro: Distro(id: "alpine", versionID: "3.9.6"),
                        packages: [Self.apk("musl", "1.1.20-r4")])
        let result = try Matcher(store: Self.store()) { _ in FailingComparator() }.match(sbom)
        #expect(result.matches.isEmpty)
        #expect(result.warnings.count == 2)
    }

    @Test("the same finding from duplicate packages or records is reported once")
    func deduplicates() throws {
        let musl = Self.apk("musl", "1.1.20-r4")
        let duplicate = AlpineSecfix.records(namespace: "alpine:3.9", package: "musl", fixed: "1.1.20-r5",
                                             cves: ["CVE-2019-14697"])
        let result = try Self.matcher(Self.store(extra: duplicate)).match(
            SBOM(source: .init(type: "dir", path: "/"), distro: Distro(id: "alpine", versionID: "3.9.6"),
                 packages: [musl, musl]))
        #expect(Self.describe(result.matches) == ["musl 1.1.20-r4 CVE-2019-14697 fixed 1.1.20-r5"])
    }

    // MARK: record statuses

    static func status(_ record: AffectedPackage, version: String = "1.0") throws -> [String] {
        let sbom = SBOM(source: .init(type: "dir", path: "/"), distro: Distro(id: "debian", versionID: "12"),
                        packages: [Package(name: "libfoo1", version: version, type: .deb,
                                           purl: PackageURL(type: "deb", namespace: "debian", name: "libfoo1"),
                                           sourceName: "foo")])
        let result = try Matcher(store: InMemoryAdvisoryStore(records: [record],
                                                              vulnerabilities: [Vulnerability(id: "CVE-1", severity: .low, source: "t")])).match(sbom)
        #expect(result.warnings.isEmpty)
        return result.matches.map { "\($0.vulnerability.status.rawValue) \($0.vulnerability.fixedVersion ?? "-") \($0.vulnerability.severity.rawValue)" }
    }

    static func debian(_ status: AffectedStatus, ranges: [AffectedRange] = [], severity: Severity? = nil) -> AffectedPackage {
        AffectedPackage(vulnerabilityID: "CVE-1", namespace: "debian:12", packageName: "foo", ecosystem: .debian,
                        ranges: ranges, status: status, severity: severity)
    }

    @Test("record statuses: not-affected, wont-fix, not-fixed, fixed; package severity overrides")
    func statuses() throws {
        let open = AffectedRange(kind: .ecosystem, events: [.introduced("0")])
        let fixed = AffectedRange(kind: .ecosystem, events: [.introduced("0"), .fixed("1.1")])
        #expect(try Self.status(Self.debian(.notAffected, ranges: [open])) == [])
        #expect(try Self.status(Self.debian(.wontFix)) == ["wont-fix - low"])
        #expect(try Self.status(Self.debian(.wontFix, ranges: [fixed]), version: "1.2") == [])
        #expect(try Self.status(Self.debian(.notFixed)) == ["not-fixed - low"])
        #expect(try Self.status(Self.debian(.affected, ranges: [open])) == ["not-fixed - low"])
        #expect(try Self.status(Self.debian(.affected, ranges: [fixed])) == ["fixed 1.1 low"])
        #expect(try Self.status(Self.debian(.affected, ranges: [fixed], severity: .high)) == ["fixed 1.1 high"])
        // The fixed version itself is not affected.
        #expect(try Self.status(Self.debian(.affected, ranges: [fixed]), version: "1.1") == [])
    }

    // MARK: OSV ranges

    struct RangeCase: Sendable, CustomTestStringConvertible {
        let name: String
        let ranges: [[AffectedRange.Event]]
        let versions: [String]
        let installed: String
        /// nil: no match; "-": not fixed; else the fixed version.
        let expected: String?
        var testDescription: String { "\(name): \(installed)" }
    }

    static let pairs: [AffectedRange.Event] = [.introduced("1.0"), .fixed("1.5"), .introduced("2.0"), .fixed("2.3")]

    static let rangeCases: [RangeCase] = [
        RangeCase(name: "introduced 0 is the beginning", ranges: [[.introduced("0"), .fixed("1.5")]], versions: [],
                  installed: "0.0.1", expected: "1.5"),
        RangeCase(name: "fixed version itself", ranges: [[.introduced("0"), .fixed("1.5")]], versions: [],
                  installed: "1.5", expected: nil),
        RangeCase(name: "numeric not lexical", ranges: [[.introduced("0"), .fixed("1.10")]], versions: [],
                  installed: "1.9", expected: "1.10"),
        RangeCase(name: "before first introduced", ranges: [pairs], versions: [], installed: "0.9", expected: nil),
        RangeCase(name: "first span", ranges: [pairs], versions: [], installed: "1.2", expected: "1.5"),
        RangeCase(name: "between spans", ranges: [pairs], versions: [], installed: "1.7", expected: nil),
        RangeCase(name: "second span start", ranges: [pairs], versions: [], installed: "2.0", expected: "2.3"),
        RangeCase(name: "after last fix", ranges: [pairs], versions: [], installed: "2.3", expected: nil),
        RangeCase(name: "events out of order", ranges: [pairs.reversed()], versions: [], installed: "2.1", expected: "2.3"),
        RangeCase(name: "last_affected inclusive", ranges: [[.introduced("1.0"), .lastAffected("1.4")]], versions: [],
                  installed: "1.4", expected: "-"),
        RangeCase(name: "after last_affected", ranges: [[.introduced("1.0"), .lastAffected("1.4")]], versions: [],
                  installed: "1.4.1", expected: nil),
        RangeCase(name: "below limit", ranges: [[.introduced("0"), .limit("2.0")]], versions: [], installed: "1.9",
                  expected: "-"),
        RangeCase(name: "at limit", ranges: [[.introduced("0"), .limit("2.0")]], versions: [], installed: "2.0",
                  expected: nil),
        RangeCase(name: "second of two ranges", ranges: [[.introduced("1.0"), .fixed("1.2")], [.introduced("3.0"), .fixed("3.1")]],
                  versions: [], installed: "3.0.5", expected: "3.1"),
        RangeCase(name: "outside both ranges", ranges: [[.introduced("1.0"), .fixed("1.2")], [.introduced("3.0"), .fixed("3.1")]],
                  versions: [], installed: "2.0", expected: nil),
        RangeCase(name: "listed in versions", ranges: [], versions: ["2.4.0", "2.4.1"], installed: "2.4.1", expected: "-"),
        RangeCase(name: "not listed", ranges: [], versions: ["2.4.0"], installed: "2.4.2", expected: nil),
    ]

    @Test("OSV range semantics for a PyPI package (PEP 503 name lookup)", arguments: rangeCases)
    func osvRanges(_ c: RangeCase) throws {
        let record = AffectedPackage(
            vulnerabilityID: "PYSEC-0000-1", namespace: "osv:PyPI", packageName: "zope-interface", ecosystem: .pypi,
            ranges: c.ranges.map { AffectedRange(kind: .ecosystem, events: $0) }, versions: c.versions)
        let package = Package(name: "Zope.Interface", version: c.installed, type: .python,
                              purl: PackageURL(type: "pypi", name: "zope.interface", version: c.installed))
        let result = try Matcher(store: InMemoryAdvisoryStore(records: [record]))
            .match(SBOM(source: .init(type: "dir", path: "/"), distro: Distro(id: "alpine", versionID: "3.9.6"),
                        packages: [package]))
        #expect(result.warnings.isEmpty)
        let got = result.matches.first.map { $0.vulnerability.fixedVersion ?? "-" }
        #expect(got == c.expected)
        #expect(result.matches.count == (c.expected == nil ? 0 : 1))
        if let match = result.matches.first {
            #expect(match.vulnerability.status == (c.expected == "-" ? .notFixed : .fixed))
            #expect(match.vulnerability.namespace == "osv:PyPI")
        }
    }

    @Test("Go SEMVER ranges: the comparator sees v-prefixed versions on both sides")
    func goSemverPrefix() throws {
        struct Recording: VersionComparator {
            func compare(_ a: String, _ b: String) throws -> Int {
                guard a.hasPrefix("v"), b.hasPrefix("v") else {
                    throw ShrikeError(.malformed, "Go versions want a v prefix", input: "\(a) \(b)")
                }
                return try Versions.comparator(for: .go).compare(a, b)
            }
            func validate(_ version: String) throws {}
        }
        let record = AffectedPackage(vulnerabilityID: "GO-2022-0001", namespace: "osv:Go", packageName: "golang.org/x/text",
                                     ecosystem: .go,
                                     ranges: [AffectedRange(kind: .semver, events: [.introduced("0"), .fixed("0.3.8")])])
        let package = Package(name: "golang.org/x/text", version: "v0.3.7", type: .go,
                              purl: PackageURL(type: "golang", namespace: "golang.org/x", name: "text", version: "v0.3.7"))
        let result = try Matcher(store: InMemoryAdvisoryStore(records: [record])) { _ in Recording() }
            .match(SBOM(source: .init(type: "dir", path: "/"), distro: nil, packages: [package]))
        #expect(result.warnings.isEmpty)
        #expect(result.matches.map(\.vulnerability.fixedVersion) == ["0.3.8"])
    }

    @Test("OSV SEMVER ranges are ordered by SemVer, ECOSYSTEM ranges by the ecosystem's rules", arguments: [
        (AffectedRange.Kind.semver, true), (AffectedRange.Kind.ecosystem, false),
    ])
    func semverRangesUseSemVer(_ kind: AffectedRange.Kind, _ affected: Bool) throws {
        // 1.0.0-post1 is a post-release after 1.0.0 for PEP 440, but a pre-release before 1.0.0 for SemVer.
        let record = AffectedPackage(vulnerabilityID: "PYSEC-0000-2", namespace: "osv:PyPI", packageName: "pkg",
                                     ecosystem: .pypi,
                                     ranges: [AffectedRange(kind: kind, events: [.introduced("0"), .fixed("1.0.0")])])
        let package = Package(name: "pkg", version: "1.0.0-post1", type: .python,
                              purl: PackageURL(type: "pypi", name: "pkg", version: "1.0.0-post1"))
        let result = try Matcher(store: InMemoryAdvisoryStore(records: [record]))
            .match(SBOM(source: .init(type: "dir", path: "/"), distro: nil, packages: [package]))
        #expect(result.warnings.isEmpty)
        #expect(result.matches.count == (affected ? 1 : 0))
    }

    @Test("names and namespaces", arguments: [
        ("Zope.Interface", "zope-interface"), ("foo__bar-.baz", "foo-bar-baz"), ("requests", "requests"),
    ])
    func pep503(_ name: String, _ normalized: String) {
        #expect(AdvisoryNamespace.pep503Normalized(name) == normalized)
    }
}

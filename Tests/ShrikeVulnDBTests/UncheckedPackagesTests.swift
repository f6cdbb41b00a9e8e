import ShrikeCatalog
import ShrikeCore
import ShrikeVulnDB
import Testing

/// A scan never answers "no vulnerabilities" for packages it had nothing to check against: they are counted, once
/// per distribution release and package type, with the reason.
@Suite("Unchecked packages")
struct UncheckedPackagesTests {
    static func rpm(_ name: String, _ version: String, source: String? = nil) -> Package {
        Package(name: name, version: version, type: .rpm,
                purl: PackageURL(type: "rpm", name: name, version: version), sourceName: source ?? name)
    }

    static let store = InMemoryAdvisoryStore(records: [
        AffectedPackage(vulnerabilityID: "CVE-2019-14697", namespace: "alpine:3.9", packageName: "musl",
                        ecosystem: .alpine, ranges: [AffectedRange(kind: .ecosystem, events: [.introduced("0"), .fixed("1.1.20-r5")])]),
        AffectedPackage(vulnerabilityID: "CVE-2022-29970", namespace: "redhat:9", packageName: "pcs", ecosystem: .redHat,
                        ranges: [AffectedRange(kind: .ecosystem, events: [.introduced("0"), .fixed("0.11.1-10.el9")])]),
    ])

    @Test("one group per release and type, with the reason", arguments: [
        ("a release with no data", Distro(id: "mariner", versionID: "2.0"),
         UncheckedPackages(distribution: "mariner:2.0", namespaces: ["mariner:2.0"], packageType: .rpm, count: 3,
                           reason: .noAdvisoryData)),
        ("a release newer than the data", Distro(id: "alpine", versionID: "3.20.3"),
         UncheckedPackages(distribution: "alpine:3.20", namespaces: ["alpine:3.20"], packageType: .rpm, count: 3,
                           reason: .noAdvisoryData)),
        ("no distribution", nil,
         UncheckedPackages(distribution: "unknown", namespaces: [], packageType: .rpm, count: 3, reason: .noDistribution)),
        ("a distribution without a release", Distro(id: "mariner"),
         UncheckedPackages(distribution: "mariner", namespaces: [], packageType: .rpm, count: 3, reason: .unknownRelease)),
        ("a rebuild whose own and upstream data are both missing", Distro(id: "rocky", versionID: "8.9"),
         UncheckedPackages(distribution: "rocky:8", namespaces: ["rocky:8", "redhat:8"], packageType: .rpm, count: 3,
                           reason: .noAdvisoryData)),
    ] as [(String, Distro?, UncheckedPackages)])
    func grouped(_ what: String, _ distro: Distro?, _ expected: UncheckedPackages) throws {
        let sbom = SBOM(source: .init(type: "dir", path: "/"), distro: distro,
                        packages: [Self.rpm("bash", "5.1.8-2"), Self.rpm("glibc", "2.35-4"), Self.rpm("zlib", "1.2.12-1")])
        let result = try Matcher(store: Self.store).match(sbom)
        #expect(result.matches.isEmpty, "\(what)")
        #expect(result.warnings.isEmpty, "\(what): one summary, not a warning per package")
        #expect(result.unchecked == [expected], "\(what)")
        #expect(result.uncheckedCount == 3)
    }

    @Test("the message says what was not checked and what to do")
    func message() {
        let group = UncheckedPackages(distribution: "mariner:2.0", namespaces: ["mariner:2.0"], packageType: .rpm,
                                      count: 129, reason: .noAdvisoryData)
        #expect(group.message.hasPrefix("no advisory data for mariner:2.0 in the database — 129 rpm packages were not checked; run `shrike db update`"))
    }

    @Test("a rebuild falls back to Red Hat's data when its vendor's is missing, and is then checked")
    func fallback() throws {
        let sbom = SBOM(source: .init(type: "dir", path: "/"), distro: Distro(id: "rocky", versionID: "9.3"),
                        packages: [Self.rpm("pcs", "0.11.1-9.el9")])
        let result = try Matcher(store: Self.store).match(sbom)
        #expect(result.unchecked.isEmpty)
        #expect(result.matches.map(\.vulnerability.namespace) == ["redhat:9"])
    }

    @Test("a checked release with no matching package is not unchecked")
    func checked() throws {
        let sbom = SBOM(source: .init(type: "dir", path: "/"), distro: Distro(id: "alpine", versionID: "3.9.6"),
                        packages: [Package(name: "zlib", version: "1.2.11-r1", type: .apk,
                                           purl: PackageURL(type: "apk", name: "zlib", version: "1.2.11-r1"))])
        let result = try Matcher(store: Self.store).match(sbom)
        #expect(result.unchecked.isEmpty)
        #expect(result.matches.isEmpty)
    }

    @Test("language packages with no data for their ecosystem are unchecked too")
    func language() throws {
        let sbom = SBOM(source: .init(type: "dir", path: "/"), distro: Distro(id: "alpine", versionID: "3.9.6"),
                        packages: [Package(name: "requests", version: "2.19.0", type: .python,
                                           purl: PackageURL(type: "pypi", name: "requests", version: "2.19.0"))])
        let result = try Matcher(store: Self.store).match(sbom)
        #expect(result.unchecked == [UncheckedPackages(distribution: "osv:PyPI", namespaces: ["osv:PyPI"],
                                                       packageType: .python, count: 1, reason: .noAdvisoryData)])
    }
}

import Foundation
import ShrikeCatalog
import ShrikeCore
import ShrikeImage
import Testing

/// SBOMs built in code for the writer tests: apk, deb and rpm packages with the license strings real databases
/// hold (SPDX, DEP-5, Fedora short names, compound expressions), odd characters in names, epochs and a duplicate.
enum SBOMFixtures {
    static func digest(_ fill: Character) -> Digest {
        // Test-only: the fill characters used below are all valid hex.
        try! Digest(algorithm: .sha256, hex: String(repeating: fill, count: 64))
    }

    static let baseLayer = digest("a")
    static let appLayer = digest("b")
    static let fixedDate = Date(timeIntervalSince1970: 1_772_368_496)  // 2026-03-01T12:34:56Z
    static let fixedUUID = UUID(uuidString: "0E5B4C1A-9F3D-4C2B-8A7E-1D2C3B4A5F60")!

    static func apk(_ name: String, _ version: String, licenses: [String], layer: Digest? = baseLayer) -> Package {
        Package(name: name, version: version, type: .apk,
                purl: PackageURL(type: "apk", namespace: "alpine", name: name, version: version,
                                 qualifiers: ["arch": "x86_64", "distro": "alpine-3.20.3"]),
                sourceName: name, layer: layer, locations: ["/lib/apk/db/installed"], licenses: licenses,
                architecture: "x86_64")
    }

    static func deb(_ name: String, _ version: String, licenses: [String], source: String? = nil) -> Package {
        Package(name: name, version: version, type: .deb,
                purl: PackageURL(type: "deb", namespace: "debian", name: name, version: version,
                                 qualifiers: ["arch": "amd64", "distro": "debian-12"]),
                sourceName: source, layer: appLayer, locations: ["/var/lib/dpkg/status"], licenses: licenses,
                architecture: "amd64")
    }

    static func rpm(_ name: String, epoch: Int?, version: String, release: String, licenses: [String],
                    location: String = "/var/lib/rpm/rpmdb.sqlite") -> Package {
        let full = (epoch.map { "\($0):" } ?? "") + version + "-" + release
        var qualifiers = ["arch": "x86_64", "distro": "rhel-9.4"]
        if let epoch { qualifiers["epoch"] = String(epoch) }
        return Package(name: name, version: full, type: .rpm,
                       purl: PackageURL(type: "rpm", namespace: "redhat", name: name, version: "\(version)-\(release)",
                                        qualifiers: qualifiers),
                       sourceName: name, layer: appLayer, locations: [location], licenses: licenses,
                       architecture: "x86_64", epoch: epoch, release: release, vendor: "Red Hat, Inc.")
    }

    /// A two-layer image with a mix of everything awkward.
    static let image = SBOM(
        source: SourceDescription(type: "oci-archive", path: "/tmp/images/mixed.tar", digest: digest("c"),
                                  imageID: digest("d"), layers: [baseLayer, appLayer],
                                  tags: ["registry.local:5000/team/mixed:1.0"], architecture: "amd64", os: "linux"),
        layers: [],
        distro: Distro(id: "alpine", versionID: "3.20.3", prettyName: "Alpine Linux v3.20"),
        packages: [
            apk("musl", "1.2.5-r0", licenses: ["MIT"]),
            apk("busybox", "1.36.1-r29", licenses: ["GPL-2.0-only"]),
            apk("ca-certificates", "20240705-r0", licenses: ["MPL-2.0 AND MIT"]),
            apk("libcrypto3", "3.3.2-r0", licenses: ["Apache-2.0"]),
            apk("zlib", "1.3.1-r1", licenses: ["Zlib"], layer: nil),
            deb("libstdc++6", "12.2.0-14", licenses: ["GPL-3+", "GFDL-1.2"], source: "gcc-12"),
            deb("libc6", "2.36-9+deb12u4", licenses: ["LGPL-2.1", "GPL-2.0-or-later WITH GCC-exception-3.1"],
                source: "glibc"),
            deb("perl-base", "1:5.36.0-7+deb12u1", licenses: ["GPL-1+ or Artistic", "Artistic-1.0 OR GPL-1.0-or-later"],
                source: "perl"),
            rpm("bash", epoch: nil, version: "5.1.8", release: "9.el9", licenses: ["GPLv3+"]),
            rpm("openssl-libs", epoch: 1, version: "3.0.7", release: "27.el9", licenses: ["ASL 2.0"]),
            rpm("perl-Text-Tabs+Wrap", epoch: 4, version: "2013.0523", release: "460.el9",
                licenses: ["TTWL", "MIT and BSD", "(MIT OR Apache-2.0) AND BSD-3-Clause"]),
            rpm("dup", epoch: nil, version: "1.0", release: "1", licenses: []),
            rpm("dup", epoch: nil, version: "1.0", release: "1", licenses: ["GPL-2.0-only OR MIT", "GPLv2+"],
                location: "/usr/lib/sysimage/rpm/rpmdb.sqlite"),
            Package(name: "we ird/ünï", version: "0.1 beta", type: .python,
                    purl: PackageURL(type: "pypi", name: "we ird/ünï", version: "0.1 beta"),
                    locations: ["/usr/lib/python3/site-packages/we_ird-0.1.dist-info/METADATA"],
                    licenses: ["  ", "Apache-2.0+"]),
        ])

    /// A root file system directory without a known distribution.
    static let directory = SBOM(
        source: SourceDescription(type: "dir", path: "/srv/rootfs"),
        distro: nil,
        packages: [
            Package(name: "musl", version: "1.2.5-r0", type: .apk,
                    purl: PackageURL(type: "apk", namespace: "alpine", name: "musl", version: "1.2.5-r0"),
                    locations: ["/lib/apk/db/installed"], licenses: ["MIT"]),
        ])

    /// One package of every language type (purls as the catalogers build them), and a Python package that a
    /// Debian package installed (so it is listed under `ownedLanguagePackages`, not `packages`).
    static let languages: SBOM = {
        let owner = deb("python3-six", "1.16.0-4", licenses: ["Expat"], source: "six")
        let language: [(PackageType, PackageURL, [String])] = [
            (.python, PackageURL(type: "pypi", name: "jinja2", version: "2.10"), ["BSD"]),
            (.npm, PackageURL(type: "npm", namespace: "@babel", name: "core", version: "7.12.3"), ["MIT"]),
            (.go, PackageURL(type: "golang", namespace: "golang.org/x", name: "net", version: "v0.0.0-20220722155237-a158d28d115b"), []),
            (.java, PackageURL(type: "maven", namespace: "org.apache.logging.log4j", name: "log4j-core", version: "2.14.1"), ["Apache-2.0"]),
            (.rust, PackageURL(type: "cargo", name: "lock_api", version: "0.4.1"), ["MIT OR Apache-2.0"]),
            (.ruby, PackageURL(type: "gem", name: "rack", version: "2.2.22"), ["MIT"]),
            (.php, PackageURL(type: "composer", namespace: "symfony", name: "http-foundation", version: "v5.4.3"), ["MIT"]),
            (.dotnet, PackageURL(type: "nuget", name: "Newtonsoft.Json", version: "13.0.1"), []),
        ]
        let names: [PackageType: String] = [.npm: "@babel/core", .go: "golang.org/x/net", .java: "log4j-core",
                                              .php: "symfony/http-foundation"]
        let packages = language.map { type, purl, licenses in
            Package(name: names[type] ?? purl.name, version: purl.version ?? "", type: type, purl: purl,
                    layer: appLayer, locations: ["/app/\(type.rawValue)"], licenses: licenses)
        }
        let six = Package(name: "six", version: "1.16.0", type: .python,
                          purl: PackageURL(type: "pypi", name: "six", version: "1.16.0"),
                          locations: ["/usr/lib/python3/dist-packages/six-1.16.0.egg-info"],
                          ownedBy: owner.purl.description)
        return SBOM(source: SourceDescription(type: "docker-archive", path: "app.tar", digest: digest("f"),
                                              layers: [baseLayer, appLayer]),
                    distro: Distro(id: "debian", versionID: "12"), packages: [owner] + packages,
                    ownedLanguagePackages: [six])
    }()

    static let empty = SBOM(source: SourceDescription(type: "docker-archive", path: "empty.tar", digest: digest("e"),
                                                      layers: [baseLayer]),
                            distro: nil, packages: [])


    static func json(_ bytes: [UInt8]) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(bytes))
        return try #require(object as? [String: Any])
    }
}

/// The fixtures by name, for parameterised tests (so test output names the fixture instead of dumping it).
enum SBOMFixture: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case image, directory, languages, empty

    var sbom: SBOM {
        switch self {
        case .image: SBOMFixtures.image
        case .directory: SBOMFixtures.directory
        case .languages: SBOMFixtures.languages
        case .empty: SBOMFixtures.empty
        }
    }

    var testDescription: String { rawValue }
}

import ShrikeCatalog
import ShrikeCore
import ShrikeVulnDB
import Testing

/// Which advisory namespaces a distribution release is looked up in, and how each names packages.
@Suite("Distribution namespaces")
struct DistroNamespaceTests {
    @Test(arguments: [
        (Distro(id: "alpine", versionID: "3.20.3"), ["alpine:3.20"]),
        (Distro(id: "alpine", versionID: "3.21.0_alpha20240807"), ["alpine:3.21"]),
        (Distro(id: "debian", versionID: "12"), ["debian:12"]),
        (Distro(id: "debian", codename: "trixie"), ["debian:trixie"]),
        (Distro(id: "ubuntu", versionID: "18.04"), ["ubuntu:18.04"]),
        (Distro(id: "ubuntu", codename: "focal"), ["ubuntu:20.04"]),
        (Distro(id: "rhel", versionID: "9.4"), ["redhat:9"]),
        (Distro(id: "centos", versionID: "7"), ["redhat:7"]),
        (Distro(id: "almalinux", versionID: "8.9"), ["almalinux:8", "redhat:8"]),
        (Distro(id: "rocky", versionID: "9.3"), ["rocky:9", "redhat:9"]),
        (Distro(id: "ol", versionID: "9.2"), ["oracle:9"]),
        (Distro(id: "amzn", versionID: "2"), ["amazon:2"]),
        (Distro(id: "amzn", versionID: "2023"), ["amazon:2023"]),
        (Distro(id: "amzn", versionID: "2018.03"), ["amazon:2018.03"]),
        (Distro(id: "mariner", versionID: "2.0"), ["mariner:2.0"]),
        (Distro(id: "azurelinux", versionID: "3.0"), ["azurelinux:3.0"]),
        (Distro(id: "sles", versionID: "15.5"), ["sles:15.5"]),
        (Distro(id: "sles", versionID: "15"), ["sles:15"]),
        (Distro(id: "opensuse-leap", versionID: "15.5"), ["opensuse-leap:15.5"]),
        (Distro(id: "wolfi", versionID: "20230201"), ["wolfi:rolling"]),
        (Distro(id: "chainguard", versionID: "20230214"), ["chainguard:rolling", "wolfi:rolling"]),
        (Distro(id: "fedora", versionID: "39"), ["fedora:39"]),
        (Distro(id: "alpine"), []),
        (Distro(id: "rocky"), []),
    ])
    func candidates(_ distro: Distro, _ expected: [String]) {
        #expect(AdvisoryNamespace.candidates(for: distro) == expected, "\(distro)")
    }

    @Test("RHEL-family, Amazon and SUSE data name binary rpms; Azure Linux, Ubuntu, Wolfi name source packages", arguments: [
        ("redhat:9", AdvisoryNamespace.PackageNaming.binary), ("almalinux:8", .binary), ("oracle:9", .binary),
        ("amazon:2023", .binary), ("sles:15.5", .binary), ("azurelinux:3.0", .source), ("mariner:2.0", .source),
        ("ubuntu:20.04", .source), ("debian:12", .source), ("alpine:3.20", .source), ("wolfi:rolling", .source),
    ])
    func naming(_ namespace: String, _ expected: AdvisoryNamespace.PackageNaming) {
        #expect(AdvisoryNamespace.naming(of: namespace) == expected)
    }

    @Test("an rpm is looked up by its binary name in binary-named namespaces and by its source rpm elsewhere")
    func lookupNames() {
        let package = Package(name: "openssl-libs", version: "1:3.0.7-27.el9", type: .rpm,
                              purl: PackageURL(type: "rpm", name: "openssl-libs", version: "1:3.0.7-27.el9"),
                              sourceName: "openssl")
        #expect(AdvisoryNamespace.lookupName(for: package, in: "almalinux:9") == "openssl-libs")
        #expect(AdvisoryNamespace.lookupName(for: package, in: "azurelinux:3.0") == "openssl")
    }
}

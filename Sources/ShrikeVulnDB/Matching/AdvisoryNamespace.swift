import Foundation
import ShrikeCatalog
import ShrikeCore

/// Which advisory namespace, and which package name in it, a package is looked up under.
///
/// OS packages are looked up only in their own distribution release (distributions backport fixes, so upstream
/// advisories would be wrong for them), by source package: apk origin, deb `Source:`, rpm source rpm name.
/// Language packages are looked up in OSV by ecosystem.
public enum AdvisoryNamespace {
    /// The namespace an advisory lookup uses: the first of `candidates(for:)` that holds data, for OS packages;
    /// `osv:<Ecosystem>` for language packages. Nil for an OS package when the distribution (or its release) is unknown.
    public static func namespace(for package: Package, distro: Distro?) -> String? {
        guard package.type.isOSPackage else { return "osv:" + Ecosystem(packageType: package.type).rawValue }
        guard let distro else { return nil }
        return release(of: distro)
    }

    /// The distribution's own namespace (the first candidate), or nil when the distribution gives no usable release.
    public static func release(of distro: Distro) -> String? { candidates(for: distro).first }

    /// The namespaces a distribution's packages are looked up in, most exact first. Rebuilds of RHEL (AlmaLinux,
    /// Rocky, CentOS) fall back to Red Hat's data when their vendor's own is not in the database; Chainguard falls back
    /// to Wolfi's. Empty when the release is unknown.
    ///
    /// `alpine:3.9` (major.minor), `debian:12` (major, or the codename for testing/unstable), `ubuntu:22.04`,
    /// `redhat:9`, `almalinux:9`, `rocky:9`, `oracle:9` (major), `amazon:2`, `amazon:2023`, `amazon:2018.03`,
    /// `mariner:2.0`, `azurelinux:3.0`, `sles:15.5` (SP as minor), `opensuse-leap:15.5`, `wolfi:rolling`,
    /// `chainguard:rolling`, `fedora:39`; else `<id>:<VERSION_ID>`.
    public static func candidates(for distro: Distro) -> [String] {
        let id = distro.id.lowercased()
        let version = distro.versionID?.trimmingCharacters(in: .whitespaces) ?? ""
        let parts = version.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let major = parts.first.flatMap { $0.isEmpty ? nil : String($0.prefix { $0.isNumber }) }.flatMap { $0.isEmpty ? nil : $0 }
        switch id {
        case "alpine":
            guard parts.count >= 2, !parts[0].isEmpty else { return [] }
            // Edge and pre-releases (`3.21.0_alpha20240807`) still carry major.minor first.
            return ["alpine:\(parts[0]).\(parts[1].prefix { $0.isNumber })"]
        case "debian":
            if let major { return ["debian:\(major)"] }
            // Testing and unstable have no VERSION_ID; the tracker names them by codename.
            return distro.codename.map { ["debian:\($0)"] } ?? []
        case "ubuntu":
            if parts.count >= 2, let major { return ["ubuntu:\(major).\(parts[1].prefix { $0.isNumber })"] }
            return distro.codename.flatMap(UbuntuRelease.version(ofCodename:)).map { ["ubuntu:\($0)"] } ?? []
        case "rhel", "redhat", "centos":
            return major.map { ["redhat:\($0)"] } ?? []
        case "almalinux", "rocky":
            return major.map { ["\(id):\($0)", "redhat:\($0)"] } ?? []
        case "ol", "oracle":
            return major.map { ["oracle:\($0)"] } ?? []
        case "amzn":
            // Amazon Linux 1 says `2018.03`; 2 and 2023 say their number.
            guard let major else { return [] }
            return major.count == 4 && major != "2023" ? ["amazon:\(version)"] : ["amazon:\(major)"]
        case "mariner", "azurelinux":
            guard let major else { return [] }
            let minor = parts.count >= 2 && !parts[1].isEmpty ? parts[1] : "0"
            return ["\(id):\(major).\(minor)"]
        case "sles", "sled", "sles_sap", "opensuse-leap":
            guard let major else { return [] }
            let namespaceID = id == "opensuse-leap" ? "opensuse-leap" : "sles"
            // SLES 15 GA says `15`, its service packs `15.5`; the vendor's data names them `15` and `15 SP5`.
            return parts.count >= 2 && !parts[1].isEmpty ? ["\(namespaceID):\(major).\(parts[1])"] : ["\(namespaceID):\(major)"]
        case "opensuse-tumbleweed":
            return ["opensuse-tumbleweed:rolling"]
        case "wolfi":
            return ["wolfi:rolling"]
        case "chainguard":
            return ["chainguard:rolling", "wolfi:rolling"]
        default:
            guard !version.isEmpty else { return [] }
            return ["\(id):\(version)"]
        }
    }

    /// How a namespace's records name packages.
    public enum PackageNaming: Sendable, Equatable {
        /// By source package: apk origin, deb `Source:`, source rpm name (Alpine, Debian, Ubuntu, Wolfi, Azure Linux).
        case source
        /// By binary package name (Red Hat, AlmaLinux, Rocky, Oracle, Amazon and SUSE publish binary rpm names).
        case binary
    }

    /// Binary rpm names for the RHEL family, Amazon and SUSE; source names everywhere else.
    public static func naming(of namespace: String) -> PackageNaming {
        let id = namespace.split(separator: ":", maxSplits: 1).first.map(String.init) ?? namespace
        switch id {
        case "redhat", "almalinux", "rocky", "oracle", "amazon", "sles", "opensuse-leap", "opensuse-tumbleweed", "fedora":
            return .binary
        default:
            return .source
        }
    }

    /// The name `package` is filed under in `namespace`.
    public static func lookupName(for package: Package, in namespace: String) -> String {
        if package.type.isOSPackage, naming(of: namespace) == .binary { return package.name }
        return lookupName(for: package)
    }

    /// The name a package is filed under in its namespace, for source-named namespaces and language ecosystems.
    public static func lookupName(for package: Package) -> String {
        switch package.type {
        case .apk, .deb, .rpm:
            return package.sourceName.flatMap { $0.isEmpty ? nil : $0 } ?? package.name
        case .python:
            return pep503Normalized(package.name)
        case .java:
            // OSV names Maven packages `group:artifact`.
            if package.name.contains(":") { return package.name }
            return package.purl.namespace.map { "\($0):\(package.name)" } ?? package.name
        case .npm, .php, .go:
            // `@scope/name`, `vendor/name`, `github.com/org/module`: the full name, wherever the cataloger put it.
            if package.name.contains("/") { return package.name }
            return package.purl.namespace.map { "\($0)/\(package.name)" } ?? package.name
        case .rust, .ruby, .dotnet:
            return package.name
        }
    }

    /// The version compared against the advisory: for deb packages the source version when it differs (the
    /// tracker's fixed versions are source versions), else the installed version.
    public static func comparedVersion(for package: Package) -> String {
        if package.type == .deb, let source = package.sourceVersion, !source.isEmpty { return source }
        // The Go toolchain is cataloged as `stdlib` at its release tag (`go1.21.5`, `go1.20`, `go1.21rc2`); OSV's Go
        // data writes `1.21.5`, `1.20.0`, `1.21.0-rc.2`, and the bare `1.21rc2` would not even parse.
        if package.type == .go, package.name == "stdlib", package.version.hasPrefix("go") {
            return GoToolchainVersion.semver(package.version) ?? String(package.version.dropFirst(2))
        }
        return package.version
    }

    /// PEP 503: lower case, and every run of `-`, `_`, `.` becomes one `-` (the rule the Python cataloger's purls use).
    public static func pep503Normalized(_ name: String) -> String {
        PythonInstalledCataloger.pep503Normalized(name)
    }
}

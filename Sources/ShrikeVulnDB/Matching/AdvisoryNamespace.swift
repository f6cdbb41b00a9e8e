import Foundation
import ShrikeCatalog
import ShrikeCore

/// Which advisory namespace, and which package name in it, a package is looked up under.
///
/// OS packages are looked up only in their own distribution release (distributions backport fixes, so upstream
/// advisories would be wrong for them), by source package: apk origin, deb `Source:`, rpm source rpm name.
/// Language packages are looked up in OSV by ecosystem.
public enum AdvisoryNamespace {
    /// `alpine:3.9` (major.minor), `debian:12` (major), `redhat:9` (major, for RHEL and its rebuilds),
    /// `ubuntu:22.04`, else `<id>:<VERSION_ID>`; `osv:<Ecosystem>` for language packages.
    /// Nil for an OS package when the distribution (or its release) is unknown.
    public static func namespace(for package: Package, distro: Distro?) -> String? {
        guard package.type.isOSPackage else { return "osv:" + Ecosystem(packageType: package.type).rawValue }
        guard let distro else { return nil }
        return release(of: distro)
    }

    /// The release part of a distribution namespace, or nil when the distribution gives no version.
    public static func release(of distro: Distro) -> String? {
        let id = distro.id.lowercased()
        let version = distro.versionID?.trimmingCharacters(in: .whitespaces) ?? ""
        let parts = version.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        switch id {
        case "alpine":
            guard parts.count >= 2, !parts[0].isEmpty else { return nil }
            // Edge and pre-releases (`3.21.0_alpha20240807`) still carry major.minor first.
            return "alpine:\(parts[0]).\(parts[1].prefix { $0.isNumber })"
        case "debian":
            if let major = parts.first, !major.isEmpty { return "debian:\(major)" }
            // Testing and unstable have no VERSION_ID; the tracker names them by codename.
            return distro.codename.map { "debian:\($0)" }
        case "rhel", "redhat", "centos", "rocky", "almalinux", "ol":
            guard let major = parts.first, !major.isEmpty else { return nil }
            return "redhat:\(major)"
        default:
            guard !version.isEmpty else { return nil }
            return "\(id):\(version)"
        }
    }

    /// The name a package is filed under in its namespace.
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

import ShrikeCore

/// Packages a scan could not check, grouped by why: a scan never answers "no vulnerabilities" for packages it had no
/// advisories for. One group per (distribution release or ecosystem, package type).
public struct UncheckedPackages: Sendable, Equatable, Hashable, Codable {
    public enum Reason: String, Sendable, Codable, Hashable {
        /// The image names no distribution (no os-release, lsb-release or vendor release file).
        case noDistribution = "no-distribution"
        /// The distribution is known but gives no release Shrike can file advisories under.
        case unknownRelease = "unknown-release"
        /// The database holds no advisories for the release (or ecosystem): not imported, or newer than the data.
        case noAdvisoryData = "no-advisory-data"
    }

    /// What was detected: `mariner:2.0`, `ubuntu:24.04`, `osv:PyPI`, `alpine` (no release), or `unknown`.
    public var distribution: String
    /// The namespaces that were looked in, most exact first (empty when there was nothing to look in).
    public var namespaces: [String]
    public var packageType: PackageType
    public var count: Int
    public var reason: Reason

    public init(distribution: String, namespaces: [String], packageType: PackageType, count: Int, reason: Reason) {
        self.distribution = distribution
        self.namespaces = namespaces
        self.packageType = packageType
        self.count = count
        self.reason = reason
    }

    /// One line for a terminal: what was not checked, why, and what to do.
    public var message: String {
        let packages = "\(count) \(packageType.rawValue) \(count == 1 ? "package was" : "packages were") not checked"
        switch reason {
        case .noDistribution:
            return "no distribution was detected (no /etc/os-release, lsb-release or vendor release file) — \(packages); "
                + "\(packageType.rawValue) packages are only matched against their own distribution's advisories"
        case .unknownRelease:
            return "the release of \(distribution) is unknown — \(packages); its os-release has no usable VERSION_ID"
        case .noAdvisoryData:
            let looked = namespaces.count > 1 ? " (looked in \(namespaces.joined(separator: ", ")))" : ""
            return "no advisory data for \(distribution) in the database\(looked) — \(packages); "
                + "run `shrike db update` or `shrike db import FILE` (docs/vulnerability-data.md lists the sources)"
        }
    }
}

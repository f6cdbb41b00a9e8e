import ShrikeCatalog
import ShrikeCore

/// One vulnerability found in one installed package: a row of `shrike scan`'s output.
public struct Match: Sendable, Equatable, Hashable {
    public var vulnerability: MatchedVulnerability
    /// The installed package (name, version, type, purl and the layer that brought it are reported).
    public var package: Package

    public init(vulnerability: MatchedVulnerability, package: Package) {
        self.vulnerability = vulnerability
        self.package = package
    }

    /// What makes two matches the same finding: the vulnerability and the package instance.
    public var key: MatchKey {
        MatchKey(vulnerabilityID: vulnerability.id, packageName: package.name, packageVersion: package.version,
                 packageType: package.type, purl: package.purl.description, layer: package.layer?.description)
    }
}

/// Identity of a match for de-duplication.
public struct MatchKey: Sendable, Hashable {
    public var vulnerabilityID: String
    public var packageName: String
    public var packageVersion: String
    public var packageType: PackageType
    public var purl: String
    public var layer: String?
}

/// The vulnerability side of a match, as DESIGN.md's `vulnerability` object spells it.
public struct MatchedVulnerability: Sendable, Equatable, Hashable {
    public var id: String
    public var aliases: [String]
    /// The package-specific severity when the namespace gives one (Debian urgency), else the vulnerability's.
    public var severity: Severity
    public var status: MatchStatus
    /// The first version that fixes it for this package; nil unless `status` is `fixed`.
    public var fixedVersion: String?
    /// Where the advisory came from: `alpine:3.9`, `debian:12`, `osv:PyPI`.
    public var namespace: String
    public var urls: [String]
    public var summary: String?
    /// Go: the affected symbols (`<import path>.<symbol>`, or an import path) from OSV `ecosystem_specific.imports`;
    /// RustSec: `affects.functions`.
    public var symbols: [String]
    /// Go: the packages and symbols the advisory says are vulnerable, as OSV structures them (empty when it does not say).
    public var affectedImports: [AffectedImport]
    /// The vendor's own word for the package's state (`needed`, `deferred`, `pending (1.2-3)`), when it gives one.
    public var vendorStatus: String?

    public init(id: String, aliases: [String] = [], severity: Severity = .unknown, status: MatchStatus,
                fixedVersion: String? = nil, namespace: String, urls: [String] = [], summary: String? = nil,
                symbols: [String] = [], affectedImports: [AffectedImport] = [], vendorStatus: String? = nil) {
        self.id = id
        self.aliases = aliases
        self.severity = severity
        self.status = status
        self.fixedVersion = fixedVersion
        self.namespace = namespace
        self.urls = urls
        self.summary = summary
        self.symbols = symbols
        self.affectedImports = affectedImports
        self.vendorStatus = vendorStatus
    }
}

/// Whether a fix exists for a matched package; raw values are the JSON spellings.
public enum MatchStatus: String, Sendable, Codable, CaseIterable {
    /// A newer version fixes it (`fixedVersion` says which).
    case fixed
    /// No fix exists yet.
    case notFixed = "not-fixed"
    /// The distribution has decided not to fix it.
    case wontFix = "wont-fix"
}

/// A package or advisory the matcher could not judge: reported so nothing is dropped silently.
public struct MatchWarning: Sendable, Equatable, Hashable, CustomStringConvertible {
    public var packageName: String
    public var packageVersion: String
    /// The advisory being evaluated, when the problem is specific to one.
    public var vulnerabilityID: String?
    public var namespace: String?
    public var message: String

    public init(packageName: String, packageVersion: String, vulnerabilityID: String? = nil, namespace: String? = nil,
                message: String) {
        self.packageName = packageName
        self.packageVersion = packageVersion
        self.vulnerabilityID = vulnerabilityID
        self.namespace = namespace
        self.message = message
    }

    public var description: String {
        var subject = "\(packageName) \(packageVersion)"
        if let vulnerabilityID { subject += " (\(vulnerabilityID)" + (namespace.map { " in \($0)" } ?? "") + ")" }
        return "\(subject): \(message)"
    }
}

/// What matching an SBOM produced.
public struct MatchResult: Sendable, Equatable {
    /// De-duplicated matches, sorted by package name, version, then vulnerability id.
    public var matches: [Match]
    /// Advisories that could not be judged (versions that do not compare).
    public var warnings: [MatchWarning]
    /// Packages that were not checked at all, grouped (no distribution, unknown release, no data for the release).
    public var unchecked: [UncheckedPackages]

    public init(matches: [Match] = [], warnings: [MatchWarning] = [], unchecked: [UncheckedPackages] = []) {
        self.matches = matches
        self.warnings = warnings
        self.unchecked = unchecked
    }

    /// How many packages were not checked.
    public var uncheckedCount: Int { unchecked.reduce(0) { $0 + $1.count } }
}

import ShrikeCore

/// Where an advisory applies: a namespace (a distribution release, or an OSV ecosystem) and a package name in it.
///
/// Namespaces: `alpine:3.9`, `debian:12`, `redhat:9`, … for distributions (matched by source package: apk origin,
/// deb source, rpm source rpm name), and `osv:PyPI`, `osv:npm`, `osv:Go`, … for language ecosystems.
public struct AffectedPackage: Sendable, Equatable, Codable {
    public var vulnerabilityID: String
    public var namespace: String
    /// The package name as the namespace spells it (PyPI names normalised per PEP 503).
    public var packageName: String
    /// Whose version rules the ranges use.
    public var ecosystem: Ecosystem
    /// Affected ranges; a version is affected when any range contains it.
    public var ranges: [AffectedRange]
    /// Explicitly affected versions (OSV `versions`).
    public var versions: [String]
    /// What the distribution says about this package as a whole.
    public var status: AffectedStatus
    /// A severity specific to this package in this namespace (Debian urgency), overriding the vulnerability's.
    public var severity: Severity?
    /// Go: affected symbols per import path (OSV `ecosystem_specific.imports`).
    public var symbols: [String]
    /// Go: the same imports kept as OSV structures them (path, then its symbols), for reports.
    public var imports: [AffectedImport]
    /// The vendor's own word for this package's state, as published (`needed`, `deferred`, `pending (1.2-3)`,
    /// `ignored`, `patchable`…), kept so reports can say what the vendor said and not only Shrike's status.
    public var vendorStatus: String?
    /// The vendor's advisory ids for this package record (`USN-4321-1`, `ALSA-2022:4587`, `ALAS2023-2023-123`,
    /// `SUSE-SU-2024:0001-1`, `CGA-…`): shown beside the CVE as aliases.
    public var advisories: [String]

    public init(vulnerabilityID: String, namespace: String, packageName: String, ecosystem: Ecosystem,
                ranges: [AffectedRange] = [], versions: [String] = [], status: AffectedStatus = .affected,
                severity: Severity? = nil, symbols: [String] = [], imports: [AffectedImport] = [],
                vendorStatus: String? = nil, advisories: [String] = []) {
        self.vulnerabilityID = vulnerabilityID
        self.namespace = namespace
        self.packageName = packageName
        self.ecosystem = ecosystem
        self.ranges = ranges
        self.versions = versions
        self.status = status
        self.severity = severity
        self.symbols = symbols
        self.imports = imports
        self.vendorStatus = vendorStatus
        self.advisories = advisories
    }
}

/// A distribution's verdict for a package as a whole.
public enum AffectedStatus: String, Sendable, Codable {
    /// Affected in the ranges given (a fix, when there is one, is a `fixed` event).
    case affected
    /// Affected and no fix exists yet.
    case notFixed = "not-fixed"
    /// Affected, and the distribution will not fix it (Debian `unimportant`, `end-of-life`, Alpine never).
    case wontFix = "wont-fix"
    /// The distribution says its package was never affected (Alpine/Debian fixed version `0`).
    case notAffected = "not-affected"
}

/// A version range as OSV writes it: ordered events.
public struct AffectedRange: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// Versions compared with the ecosystem's own rules.
        case ecosystem = "ECOSYSTEM"
        /// Semantic versions (SemVer 2.0).
        case semver = "SEMVER"
        /// Commit hashes: not matchable against installed versions; kept for completeness.
        case git = "GIT"
    }

    public enum Event: Sendable, Equatable, Codable {
        case introduced(String)
        case fixed(String)
        case lastAffected(String)
        case limit(String)
    }

    public var kind: Kind
    public var events: [Event]

    public init(kind: Kind, events: [Event]) {
        self.kind = kind
        self.events = events
    }

    /// The first `fixed` version, if any.
    public var fixedVersion: String? {
        for case .fixed(let version) in events { return version }
        return nil
    }
}

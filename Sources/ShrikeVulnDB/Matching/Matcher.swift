import ShrikeCatalog
import ShrikeCore
import ShrikeVersions

/// Finds the vulnerabilities of an SBOM's packages in an advisory store. Pure: reads the store, writes nothing.
///
/// OS packages (apk, deb, rpm) are looked up only in their distribution release's namespace and by source package
/// (`AdvisoryNamespace`); language packages in `osv:<Ecosystem>`. A record's verdict:
/// - `not-affected` → no match, whatever its ranges say;
/// - a version in any range or in `versions` → a match: `fixed` with the fix version when the span has one,
///   else `not-fixed`, or `wont-fix` when the distribution says so;
/// - `not-fixed`/`wont-fix` records with no ranges and no versions cover every version.
/// Versions that fail to compare become `warnings`, so an advisory is never dropped silently. Matches are
/// de-duplicated by (vulnerability, package) with the first record winning, and sorted.
public struct Matcher: Sendable {
    public let store: any AdvisoryStore
    private let comparatorFor: @Sendable (Ecosystem) -> any VersionComparator
    private let semverComparator: any VersionComparator

    /// `comparator` picks version rules per ecosystem; the real comparators by default (tests may inject their own).
    /// `semver` orders OSV `SEMVER` ranges outside Go.
    public init(store: any AdvisoryStore,
                comparator: @escaping @Sendable (Ecosystem) -> any VersionComparator = { Versions.comparator(for: $0) },
                semver: any VersionComparator = Versions.semanticVersioning) {
        self.store = store
        self.comparatorFor = comparator
        self.semverComparator = semver
    }

    /// Matches every package of `sbom`. Throws only when the store itself fails.
    public func match(_ sbom: SBOM) throws -> MatchResult {
        var matches: [Match] = []
        var warnings: [MatchWarning] = []
        var seen = Set<MatchKey>()
        var context = MatchContext(store: store)
        for package in sbom.packages {
            let found = try match(package, distro: sbom.distro, context: &context)
            warnings += found.warnings
            for match in found.matches where seen.insert(match.key).inserted { matches.append(match) }
        }
        matches.sort {
            ($0.package.name, $0.package.version, $0.package.type.rawValue, $0.vulnerability.id)
                < ($1.package.name, $1.package.version, $1.package.type.rawValue, $1.vulnerability.id)
        }
        return MatchResult(matches: matches, warnings: warnings, unchecked: context.uncheckedGroups)
    }

    /// Matches one package of a system running `distro`.
    public func match(_ package: Package, distro: Distro?) throws -> MatchResult {
        var context = MatchContext(store: store)
        var result = try match(package, distro: distro, context: &context)
        result.unchecked = context.uncheckedGroups
        return result
    }

    private func match(_ package: Package, distro: Distro?, context: inout MatchContext) throws -> MatchResult {
        guard let namespace = try context.namespace(for: package, distro: distro) else { return MatchResult() }
        let name = AdvisoryNamespace.lookupName(for: package, in: namespace)
        let version = AdvisoryNamespace.comparedVersion(for: package)
        // A Go main module built from a checkout (`(devel)`) or a module replaced by a local directory is the
        // builder's own code with no released version: there is nothing to compare (Grype skips these too), and a
        // warning per binary would be noise.
        if package.type == .go && (version.isEmpty || version == "(devel)") { return MatchResult() }
        var result = MatchResult()
        var seen = Set<String>()
        for record in try store.affected(namespace: namespace, packageName: name) {
            guard record.namespace == namespace, !seen.contains(record.vulnerabilityID) else { continue }
            let verdict: RecordVerdict
            do {
                verdict = try evaluate(version, against: record, installed: package)
            } catch {
                result.warnings.append(MatchWarning(
                    packageName: package.name, packageVersion: package.version, vulnerabilityID: record.vulnerabilityID,
                    namespace: namespace, message: "could not compare versions: \(error)"))
                continue
            }
            guard case .affected(let status, let fixedVersion) = verdict else { continue }
            seen.insert(record.vulnerabilityID)
            let vulnerability = try context.vulnerabilities.lookup(record.vulnerabilityID)
            // The vendor's advisory ids (USN, ALSA, ALAS…) come first among the aliases: they are what an operator
            // looks up in the vendor's errata.
            var aliases = record.advisories
            for alias in vulnerability?.aliases ?? [] where !aliases.contains(alias) && alias != record.vulnerabilityID {
                aliases.append(alias)
            }
            result.matches.append(Match(
                vulnerability: MatchedVulnerability(
                    id: record.vulnerabilityID, aliases: aliases,
                    severity: record.severity ?? vulnerability?.severity ?? .unknown, status: status,
                    fixedVersion: fixedVersion, namespace: namespace, urls: vulnerability?.urls ?? [],
                    summary: vulnerability?.summary, symbols: record.symbols, affectedImports: record.imports,
                    vendorStatus: record.vendorStatus),
                package: package))
        }
        return result
    }

    enum RecordVerdict: Equatable {
        case notAffected
        case affected(MatchStatus, fixedVersion: String?)
    }

    /// One record's verdict for `version`; throws when a version cannot be compared.
    func evaluate(_ version: String, against record: AffectedPackage, installed: Package? = nil) throws -> RecordVerdict {
        if record.status == .notAffected { return .notAffected }
        let ranges = installed.map { RpmModularity.applicableRanges(record.ranges, installed: $0) } ?? record.ranges
        if installed != nil, ranges.isEmpty, !record.ranges.isEmpty {
            // Every range is for another build stream (modular vs not): this record says nothing about this package.
            return .notAffected
        }
        var record = record
        record.ranges = ranges
        let evaluator = AffectedRangeEvaluator(comparator: comparatorFor(record.ecosystem), ecosystem: record.ecosystem)
        // OSV SEMVER ranges are SemVer 2.0 whatever the ecosystem's own rules; Go's comparator already is SemVer
        // (with its `v` spelling, which the evaluator adds).
        let semverEvaluator = record.ecosystem == .go
            ? evaluator : AffectedRangeEvaluator(comparator: semverComparator, ecosystem: record.ecosystem)
        let unfixedStatus: MatchStatus = record.status == .wontFix ? .wontFix : .notFixed
        if record.ranges.isEmpty && record.versions.isEmpty {
            // A distribution's verdict for the package as a whole ("open", "unimportant", "end-of-life").
            guard record.status != .affected else {
                throw ShrikeError(.malformed, "the advisory lists no affected ranges or versions", input: record.vulnerabilityID)
            }
            return .affected(unfixedStatus, fixedVersion: nil)
        }
        var affected = false
        var fixedVersion: String?
        var firstError: (any Error)?
        for range in record.ranges {
            do {
                let verdict = try (range.kind == .semver ? semverEvaluator : evaluator).evaluate(version, in: range)
                guard verdict.affected else { continue }
                if !affected || fixedVersion == nil { fixedVersion = verdict.fixedVersion }
                affected = true
            } catch {
                // Another range may still decide; report only when none does.
                firstError = firstError ?? error
            }
        }
        if !affected, evaluator.isListed(version, in: record.versions) { affected = true }
        if !affected, let firstError { throw firstError }
        guard affected else { return .notAffected }
        if record.status == .wontFix { return .affected(.wontFix, fixedVersion: nil) }
        if record.status == .notFixed { return .affected(.notFixed, fixedVersion: nil) }
        return fixedVersion.map { .affected(.fixed, fixedVersion: $0) } ?? .affected(.notFixed, fixedVersion: nil)
    }
}

/// What one scan remembers: vulnerabilities looked up, which namespace each distribution resolved to, and the
/// packages that could not be checked.
struct MatchContext {
    var vulnerabilities: VulnerabilityCache
    private let store: any AdvisoryStore
    private var resolved: [String: String?] = [:]
    private var unchecked: [UncheckedKey: Int] = [:]
    private var uncheckedOrder: [UncheckedKey] = []

    private struct UncheckedKey: Hashable {
        var distribution: String
        var namespaces: [String]
        var type: PackageType
        var reason: UncheckedPackages.Reason
    }

    init(store: any AdvisoryStore) {
        self.store = store
        vulnerabilities = VulnerabilityCache(store: store)
    }

    /// The namespace to look `package` up in, or nil (and the package counted as unchecked) when there is none with data.
    mutating func namespace(for package: Package, distro: Distro?) throws -> String? {
        let candidates: [String]
        if package.type.isOSPackage {
            guard let distro else {
                count(UncheckedKey(distribution: "unknown", namespaces: [], type: package.type, reason: .noDistribution))
                return nil
            }
            candidates = AdvisoryNamespace.candidates(for: distro)
            guard !candidates.isEmpty else {
                count(UncheckedKey(distribution: distro.id, namespaces: [], type: package.type, reason: .unknownRelease))
                return nil
            }
        } else {
            candidates = ["osv:" + Ecosystem(packageType: package.type).rawValue]
        }
        let key = candidates.joined(separator: "|")
        let chosen: String?
        if let known = resolved[key] {
            chosen = known
        } else {
            chosen = try candidates.first { try store.hasRecords(namespace: $0) }
            resolved[key] = .some(chosen)
        }
        guard let chosen else {
            count(UncheckedKey(distribution: candidates[0], namespaces: candidates, type: package.type, reason: .noAdvisoryData))
            return nil
        }
        return chosen
    }

    private mutating func count(_ key: UncheckedKey) {
        if unchecked[key] == nil { uncheckedOrder.append(key) }
        unchecked[key, default: 0] += 1
    }

    var uncheckedGroups: [UncheckedPackages] {
        uncheckedOrder.map { key in
            UncheckedPackages(distribution: key.distribution, namespaces: key.namespaces, packageType: key.type,
                              count: unchecked[key] ?? 0, reason: key.reason)
        }
    }
}

/// Looks each vulnerability up once per scan: many packages share the same CVEs.
struct VulnerabilityCache {
    let store: any AdvisoryStore
    private var cache: [String: Vulnerability?] = [:]

    init(store: any AdvisoryStore) { self.store = store }

    mutating func lookup(_ id: String) throws -> Vulnerability? {
        if let cached = cache[id] { return cached }
        let found = try store.vulnerability(id: id)
        cache[id] = .some(found)
        return found
    }
}

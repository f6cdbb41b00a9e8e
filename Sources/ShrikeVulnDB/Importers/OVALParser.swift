import Foundation
import ShrikeCore
import ShrikeVersions

/// Reads OVAL 5 vulnerability definitions as Azure Linux / CBL-Mariner, Oracle Linux (ELSA), Red Hat (OVAL v2) and
/// SUSE publish them: `definition → criteria → criterion test_ref → rpminfo_test → object_ref` (the rpm name) and
/// `state_ref` (`evr` `less than V` → fixed in V; `less than or equal V` → affected up to V, no fix).
///
/// Each definition yields one record per CVE it references (or its vendor advisory id when it names no CVE), with
/// the definition's severity and vendor advisory ids (`advisory_id` as Microsoft writes it, RHSA, ELSA, SUSE-SU) on
/// every package. Criteria trees are walked as the vendors build them: a release test ("Oracle Linux 9 is
/// installed", Red Hat's `/etc/redhat-release` owner, SUSE's `sles-release` version) names the namespace of the
/// packages beside it; signature, "must be installed" and running-kernel tests are ignored; architecture tests are
/// kept so that per-architecture fixes can be noticed; packages that apply only with a module stream enabled or only
/// to Ksplice builds are skipped with a reason, because no record field can say so yet.
///
/// Azure Linux names source rpms and publishes no release test: its namespace (`azurelinux:3.0`, `mariner:2.0`)
/// comes from the fixed versions' dist tag (`.azl3`, `.cm2`). `patchable` `true` is a fix, `false` an unfixed CVE
/// (Microsoft: "No patch is available currently"), `Not Applicable` not affected ("This CVE either no longer is or
/// was never applicable"); the word is kept in `vendorStatus`.
///
/// When several definitions speak of one CVE and package (a fix redone, a CVE listed in two advisories), they merge:
/// the highest fixed version, and an unfixed claim only for versions at or above it, so the verdict does not depend
/// on record order. Sources are `oval:<namespace>` (`oval:azurelinux:3.0`, `oval:oracle:9`, `oval:sles:15.5`),
/// one per release the file covers. A definition that references a missing test, object or state, or uses an
/// operation Shrike does not evaluate, is a failure naming the definition; a document that is not well-formed XML
/// (a truncated download) throws `malformed` before anything is recorded.
enum OVALParser {
    static let kind = "oval"

    struct Result {
        var records: [(source: AdvisorySource, record: AdvisoryRecord)] = []
        var failures: [(source: AdvisorySource, failure: ImportFailure)] = []
        var skipped: [(source: AdvisorySource, failure: ImportFailure)] = []
    }

    /// Reads a whole OVAL document. Throws `malformed` for XML that is not well formed, `unsupportedFormat` for a
    /// document that is not OVAL or comes from a vendor Shrike does not read.
    static func parse(_ data: Data, file: String, location: String) throws -> Result {
        let document = try OVALDocumentReader.read(data, file: file)
        return try OVALResolver(document: document, file: file, location: location).resolve()
    }
}

/// Why one definition cannot be read; it becomes a failure naming the definition.
struct DefinitionFailure: Error {
    var reason: String
    init(_ reason: String) { self.reason = reason }
}

/// Turns the tests, objects and states of a read document into records, definition by definition.
final class OVALResolver {
    /// What one criterion means for matching.
    enum Leaf {
        case release(OVALVendor.Release)
        case arch([String])
        case module(String)
        case ignored
        case package(name: String, bound: Bound, arches: [String])
        case notInstalled(name: String)
        /// A further condition on a package's build that records cannot carry (Oracle's Ksplice builds).
        case condition(name: String, reason: String)
    }

    /// Which versions of a package a test calls affected.
    enum Bound: Hashable {
        case below(String)
        case atMost(String)
        /// Any installed version (Red Hat's unfixed "is installed" tests).
        case any
        case notAffected
    }

    /// What the criteria around a package test say.
    struct Context {
        var releases: [OVALVendor.Release] = []
        var arches: [String] = []
        var module: String?
        var conditions: [String: String] = [:]
    }

    struct Finding {
        var releases: [OVALVendor.Release]
        var package: String
        var bound: Bound
        var arches: [String]
        var module: String?
        var condition: String?
    }

    private enum Claim {
        case fixed(String)
        case unfixed(String, inclusive: Bool)
        case unfixedAny(wontFix: Bool)
        case notAffected
    }

    private struct PackageClaim {
        var namespace: String
        var package: String
        var claim: Claim
        var vendorStatus: String?
    }

    private struct Reading {
        var ids: [String] = []
        var advisories: [String] = []
        var severity: Severity?
        var claims: [PackageClaim] = []
        var notes: [String] = []
    }

    private struct PackageKey: Hashable {
        var namespace: String
        var id: String
        var package: String
    }

    private struct RecordKey: Hashable {
        var namespace: String
        var id: String
    }

    /// Everything the definitions said about one CVE and package in one namespace.
    private struct PackageState {
        var fixed: String?
        var unfixed: (version: String, inclusive: Bool)?
        var unfixedAny = false
        var anyAllWontFix = true
        var notAffected = false
        var fixedStatuses: [String] = []
        var unfixedStatuses: [String] = []
        var notAffectedStatuses: [String] = []
        var advisories: [String] = []
        var severity: Severity?
    }

    let document: OVALDocument
    private let file: String
    private let location: String
    let vendor: OVALVendor
    private let fileNamespace: String?
    private let rpm = RpmVersionComparator()
    /// Each test's meaning, worked out once: Red Hat's files share a few release tests among thousands of definitions.
    var leaves: [String: Leaf] = [:]
    private let dateTime = ISO8601DateFormatter()
    private let dateOnly: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter
    }()

    private var vulnerabilities: [RecordKey: Vulnerability] = [:]
    private var recordOrder: [RecordKey] = []
    private var packages: [PackageKey: PackageState] = [:]
    private var packageOrder: [RecordKey: [String]] = [:]

    init(document: OVALDocument, file: String, location: String) throws {
        self.document = document
        self.file = file
        self.location = location
        guard let first = document.definitions.first else {
            vendor = .azureLinux
            fileNamespace = nil
            return
        }
        guard let vendor = OVALVendor(definitionID: first.id) else {
            let organisations = Set(document.definitions.prefix(50).map { $0.id.split(separator: ":").dropFirst().first.map(String.init) ?? $0.id })
            throw ShrikeError(.unsupportedFormat, "OVAL definitions from \(organisations.sorted().joined(separator: ", ")) (\(document.productName ?? "unknown generator")) are not supported: Shrike reads the OVAL of Azure Linux/CBL-Mariner, Oracle Linux, Red Hat and SUSE", input: file)
        }
        self.vendor = vendor
        fileNamespace = vendor == .azureLinux ? try OVALVendor.azureRelease(of: document, file: file) : nil
    }

    func resolve() -> OVALParser.Result {
        var failures: [(namespace: String?, failure: ImportFailure)] = []
        var skipped: [(namespace: String?, failure: ImportFailure)] = []
        for definition in document.definitions {
            let entry = "\(file)#\(definition.id)"
            do {
                guard OVALVendor(definitionID: definition.id) == vendor else {
                    throw DefinitionFailure("is not a \(vendor.rawValue) definition, unlike the rest of the file")
                }
                let reading = try read(definition)
                merge(reading, of: definition)
                let namespace = reading.claims.first?.namespace ?? platformNamespace(of: definition)
                for note in reading.notes { skipped.append((namespace, ImportFailure(file: entry, reason: note))) }
            } catch {
                let reason = (error as? DefinitionFailure)?.reason ?? "cannot be read: \(error)"
                failures.append((platformNamespace(of: definition), ImportFailure(file: entry, reason: "definition \(definition.id) \(reason)")))
            }
        }
        var result = OVALParser.Result()
        var recordCounts: [String: Int] = [:]
        for key in recordOrder {
            guard let vulnerability = vulnerabilities[key] else { continue }
            let affected = (packageOrder[key] ?? []).flatMap { package -> [AffectedPackage] in
                packages[PackageKey(namespace: key.namespace, id: key.id, package: package)].map {
                    affectedPackages(key, package: package, state: $0)
                } ?? []
            }
            result.records.append((source(key.namespace), AdvisoryRecord(vulnerability: vulnerability, affected: affected)))
            recordCounts[key.namespace, default: 0] += 1
        }
        // A failure whose definition names no release goes to the release most of the file is about.
        let primary = fileNamespace ?? recordCounts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
        func owner(_ namespace: String?) -> AdvisorySource {
            (namespace ?? primary).map(source) ?? AdvisorySource(name: "oval:\(vendor.rawValue)", kind: OVALParser.kind, location: location)
        }
        result.failures = failures.map { (owner($0.namespace), $0.failure) }
        result.skipped = skipped.map { (owner($0.namespace), $0.failure) }
        return result
    }

    private func source(_ namespace: String) -> AdvisorySource {
        AdvisorySource(name: "oval:\(namespace)", kind: OVALParser.kind, location: location)
    }

    /// The one release a definition's metadata platforms name, or the file's (Azure Linux).
    private func platformNamespace(of definition: OVALDefinition) -> String? {
        if let fileNamespace { return fileNamespace }
        let named = Set(definition.platforms.compactMap(vendor.namespace(platform:)))
        return named.count == 1 ? named.first : nil
    }

    // MARK: - One definition

    private func read(_ definition: OVALDefinition) throws -> Reading {
        var reading = Reading()
        reading.advisories = vendor.advisories(of: definition)
        let cves = Self.cveIDs(of: definition)
        let label = reading.advisories.first ?? cves.first ?? definition.id
        if let definitionClass = definition.definitionClass?.lowercased(), definitionClass != "patch", definitionClass != "vulnerability" {
            reading.notes.append("\(label): a '\(definitionClass)' definition, not a vulnerability or patch")
            return reading
        }
        reading.ids = cves.isEmpty ? Array(reading.advisories.prefix(1)) : cves
        guard !reading.ids.isEmpty else { throw DefinitionFailure("names no CVE and no vendor advisory id in its references") }
        reading.severity = definition.severity.flatMap(Severity.init(vendorWord:))
        guard let criteria = definition.criteria else { throw DefinitionFailure("has no criteria") }
        var findings: [Finding] = []
        try walk(criteria, context: Context(), into: &findings)
        guard !findings.isEmpty else {
            reading.notes.append("\(label): tests no rpm package version")
            return reading
        }

        // Each finding in each namespace its release tests name (the best-ranked product of each release).
        var located: [(namespace: String, rank: Int, finding: Finding)] = []
        var unmatchedProducts: [String] = []
        for finding in findings {
            if finding.releases.isEmpty {
                guard let namespace = platformNamespace(of: definition) else {
                    throw DefinitionFailure("does not say which release it applies to: no release test, and no single platform Shrike knows (\(definition.platforms.joined(separator: "; ")))")
                }
                located.append((namespace, 0, finding))
                continue
            }
            var best: [String: Int] = [:]
            for release in finding.releases {
                guard let namespace = release.namespace else { continue }
                best[namespace] = min(best[namespace] ?? Int.max, release.rank)
            }
            if best.isEmpty { unmatchedProducts += finding.releases.map(\.product) }
            for (namespace, rank) in best.sorted(by: { $0.key < $1.key }) { located.append((namespace, rank, finding)) }
        }
        var bestRank: [String: Int] = [:]
        for item in located {
            let key = item.namespace + "\u{0}" + item.finding.package
            bestRank[key] = min(bestRank[key] ?? Int.max, item.rank)
        }

        var modules: [String] = []
        var moduleTests = 0
        var conditioned: [String: [String]] = [:]
        var bounds: [String: [(bound: Bound, arches: [String])]] = [:]
        var keys: [(namespace: String, package: String)] = []
        for item in located where bestRank[item.namespace + "\u{0}" + item.finding.package] == item.rank {
            if let module = item.finding.module {
                moduleTests += 1
                if !modules.contains(module) { modules.append(module) }
                continue
            }
            if let condition = item.finding.condition {
                if !(conditioned[condition] ?? []).contains(item.finding.package) { conditioned[condition, default: []].append(item.finding.package) }
                continue
            }
            let key = item.namespace + "\u{0}" + item.finding.package
            if bounds[key] == nil { keys.append((item.namespace, item.finding.package)) }
            bounds[key, default: []].append((item.finding.bound, item.finding.arches))
        }
        if !modules.isEmpty {
            reading.notes.append("\(label): \(moduleTests) package test(s) apply only with module stream \(modules.joined(separator: ", ")) enabled; Shrike does not read module streams from OVAL, so they are not imported")
        }
        for (condition, names) in conditioned.sorted(by: { $0.key < $1.key }) {
            reading.notes.append("\(label): \(names.joined(separator: ", ")): the fix applies to \(condition), which a record cannot say; not imported")
        }

        for (namespace, package) in keys {
            let found = bounds[namespace + "\u{0}" + package] ?? []
            let bound = try widest(found.map(\.bound))
            if let note = architectureNote(found, chosen: bound, label: label, package: package, namespace: namespace) {
                reading.notes.append(note)
            }
            reading.claims.append(claim(bound, package: package, namespace: namespace, definition: definition))
        }
        if reading.claims.isEmpty, reading.notes.isEmpty {
            var products: [String] = []
            for product in unmatchedProducts where !products.contains(product) { products.append(product) }
            reading.notes.append("\(label): only for products Shrike does not match (\(products.joined(separator: "; ")))")
        }
        return reading
    }

    /// Microsoft's and Red Hat's words for a package's state, applied to what the criteria say.
    private func claim(_ bound: Bound, package: String, namespace: String, definition: OVALDefinition) -> PackageClaim {
        if vendor == .azureLinux {
            switch definition.patchable?.lowercased() {
            case "not applicable":
                return PackageClaim(namespace: namespace, package: package, claim: .notAffected, vendorStatus: "not applicable")
            case "false":
                switch bound {
                case .below(let version):
                    return PackageClaim(namespace: namespace, package: package, claim: .unfixed(version, inclusive: false), vendorStatus: "not patchable")
                case .atMost(let version):
                    return PackageClaim(namespace: namespace, package: package, claim: .unfixed(version, inclusive: true), vendorStatus: "not patchable")
                case .any:
                    return PackageClaim(namespace: namespace, package: package, claim: .unfixedAny(wontFix: false), vendorStatus: "not patchable")
                case .notAffected:
                    return PackageClaim(namespace: namespace, package: package, claim: .notAffected, vendorStatus: "not patchable")
                }
            default:
                break
            }
        }
        let status = vendor == .azureLinux && definition.patchable?.lowercased() == "true" ? "patchable" : nil
        switch bound {
        case .below(let version):
            return PackageClaim(namespace: namespace, package: package, claim: .fixed(version), vendorStatus: status)
        case .atMost(let version):
            return PackageClaim(namespace: namespace, package: package, claim: .unfixed(version, inclusive: true), vendorStatus: status)
        case .notAffected:
            return PackageClaim(namespace: namespace, package: package, claim: .notAffected, vendorStatus: status)
        case .any:
            let resolution = definition.resolutions.first { $0.components.contains(package) }
                ?? (definition.resolutions.count == 1 ? definition.resolutions.first : nil)
            let state = resolution?.state
            let wontFix = ["will not fix", "out of support scope"].contains(state?.lowercased() ?? "")
            return PackageClaim(namespace: namespace, package: package, claim: .unfixedAny(wontFix: wontFix), vendorStatus: state ?? status)
        }
    }

    /// The bound that covers all of `bounds` (branches of one definition are alternatives: any of them affects).
    private func widest(_ bounds: [Bound]) throws -> Bound {
        var widest = Bound.notAffected
        for bound in bounds {
            switch (widest, bound) {
            case (.any, _), (_, .notAffected): continue
            case (_, .any), (.notAffected, _): widest = bound
            case (.below(let a), .below(let b)), (.atMost(let a), .atMost(let b)):
                if try compare(b, a) > 0 { widest = bound }
            case (.below(let a), .atMost(let b)):
                if try compare(b, a) >= 0 { widest = bound }
            case (.atMost(let a), .below(let b)):
                if try compare(b, a) > 0 { widest = bound }
            }
        }
        return widest
    }

    private func compare(_ a: String, _ b: String) throws -> Int {
        do {
            return try rpm.compare(a, b)
        } catch {
            throw DefinitionFailure("has a version rpm cannot compare ('\(a)' or '\(b)')")
        }
    }

    /// Says so when a package's fixed version differs by architecture: a record cannot hold the architecture, so the
    /// widest bound is kept, and systems of the other architectures between the two versions are reported too.
    private func architectureNote(_ found: [(bound: Bound, arches: [String])], chosen: Bound, label: String,
                                  package: String, namespace: String) -> String? {
        var archesByBound: [Bound: Set<String>] = [:]
        for item in found { archesByBound[item.bound, default: []].formUnion(item.arches.isEmpty ? ["any"] : item.arches) }
        guard archesByBound.count > 1, Set(archesByBound.values).count > 1 else { return nil }
        let described = archesByBound.map { bound, arches in "\(arches.sorted().joined(separator: "/")): \(Self.describe(bound))" }.sorted()
        return "\(label): \(package) in \(namespace) is fixed in different versions per architecture (\(described.joined(separator: "; "))); Shrike does not know the architecture here and keeps \(Self.describe(chosen)), so the other architectures may be reported until they reach it"
    }

    private static func describe(_ bound: Bound) -> String {
        switch bound {
        case .below(let version): return "fixed in \(version)"
        case .atMost(let version): return "affected up to \(version)"
        case .any: return "every version"
        case .notAffected: return "not affected"
        }
    }

    // MARK: - Records

    private func merge(_ reading: Reading, of definition: OVALDefinition) {
        guard !reading.claims.isEmpty else { return }
        for id in reading.ids {
            for namespace in Set(reading.claims.map(\.namespace)).sorted() {
                let key = RecordKey(namespace: namespace, id: id)
                if var existing = vulnerabilities[key] {
                    let incoming = vulnerability(id, of: definition, severity: reading.severity)
                    existing.severity = max(existing.severity, incoming.severity)
                    for url in incoming.urls where !existing.urls.contains(url) { existing.urls.append(url) }
                    for vector in incoming.cvssVectors where !existing.cvssVectors.contains(vector) { existing.cvssVectors.append(vector) }
                    if let published = incoming.published, published < (existing.published ?? .distantFuture) { existing.published = published }
                    if let modified = incoming.modified, modified > (existing.modified ?? .distantPast) { existing.modified = modified }
                    vulnerabilities[key] = existing
                } else {
                    vulnerabilities[key] = vulnerability(id, of: definition, severity: reading.severity)
                    recordOrder.append(key)
                }
            }
            for claim in reading.claims {
                let record = RecordKey(namespace: claim.namespace, id: id)
                let key = PackageKey(namespace: claim.namespace, id: id, package: claim.package)
                if packages[key] == nil { packageOrder[record, default: []].append(claim.package) }
                var state = packages[key] ?? PackageState()
                switch claim.claim {
                case .fixed(let version):
                    if state.fixed.map({ ((try? rpm.compare(version, $0)) ?? 0) > 0 }) ?? true { state.fixed = version }
                    Self.add(claim.vendorStatus, to: &state.fixedStatuses)
                case .unfixed(let version, let inclusive):
                    if let current = state.unfixed {
                        let order = (try? rpm.compare(version, current.version)) ?? 0
                        if order > 0 || (order == 0 && inclusive) { state.unfixed = (version, inclusive) }
                    } else {
                        state.unfixed = (version, inclusive)
                    }
                    Self.add(claim.vendorStatus, to: &state.unfixedStatuses)
                case .unfixedAny(let wontFix):
                    state.unfixedAny = true
                    state.anyAllWontFix = state.anyAllWontFix && wontFix
                    Self.add(claim.vendorStatus, to: &state.unfixedStatuses)
                case .notAffected:
                    state.notAffected = true
                    Self.add(claim.vendorStatus, to: &state.notAffectedStatuses)
                }
                for advisory in reading.advisories { Self.add(advisory, to: &state.advisories) }
                if let severity = reading.severity { state.severity = max(state.severity ?? severity, severity) }
                packages[key] = state
            }
        }
    }

    private static func add(_ value: String?, to list: inout [String]) {
        if let value, !list.contains(value) { list.append(value) }
    }

    /// The records for one CVE and package: a fix, and an unfixed claim only above it, so that a version is never
    /// both "fixed in" and "not fixed" and the matcher's answer does not depend on record order.
    private func affectedPackages(_ key: RecordKey, package: String, state: PackageState) -> [AffectedPackage] {
        func record(_ status: AffectedStatus, _ events: [AffectedRange.Event]?, _ statuses: [String]) -> AffectedPackage {
            AffectedPackage(vulnerabilityID: key.id, namespace: key.namespace, packageName: package, ecosystem: .redHat,
                            ranges: events.map { [AffectedRange(kind: .ecosystem, events: $0)] } ?? [], status: status,
                            severity: state.severity, vendorStatus: statuses.isEmpty ? nil : statuses.joined(separator: ", "),
                            advisories: state.advisories)
        }
        var result: [AffectedPackage] = []
        if let fixed = state.fixed { result.append(record(.affected, [.introduced("0"), .fixed(fixed)], state.fixedStatuses)) }
        if state.unfixedAny {
            let status: AffectedStatus = state.anyAllWontFix ? .wontFix : .notFixed
            result.append(record(status, state.fixed.map { [.introduced($0)] }, state.unfixedStatuses))
        } else if let unfixed = state.unfixed {
            let end: AffectedRange.Event = unfixed.inclusive ? .lastAffected(unfixed.version) : .fixed(unfixed.version)
            if let fixed = state.fixed {
                let order = (try? rpm.compare(unfixed.version, fixed)) ?? 0
                if order > 0 || (order == 0 && unfixed.inclusive) {
                    result.append(record(.notFixed, [.introduced(fixed), end], state.unfixedStatuses))
                }
            } else {
                result.append(record(.notFixed, [.introduced("0"), end], state.unfixedStatuses))
            }
        }
        if result.isEmpty, state.notAffected { result.append(record(.notAffected, nil, state.notAffectedStatuses)) }
        return result
    }

    private func vulnerability(_ id: String, of definition: OVALDefinition, severity: Severity?) -> Vulnerability {
        let advisories = Set(vendor.advisories(of: definition))
        var urls: [String] = []
        for reference in definition.references {
            guard let url = reference.url, !url.isEmpty, !urls.contains(url) else { continue }
            if Self.cveID(in: reference.id) == id || advisories.contains(reference.id) || reference.id == id { urls.append(url) }
        }
        var vectors: [String] = []
        for cve in definition.cves where Self.cveID(in: cve.text) == id {
            // `7.8/CVSS:3.1/AV:L/…`: the score, then the vector.
            guard let value = cve.cvss3, let start = value.range(of: "CVSS:") else { continue }
            let vector = String(value[start.lowerBound...])
            if !vectors.contains(vector) { vectors.append(vector) }
        }
        let title = definition.title?.trimmingCharacters(in: .whitespacesAndNewlines)
        let summary = title.flatMap { $0.isEmpty || $0 == id ? nil : $0 } ?? definition.description
        return Vulnerability(id: id, summary: summary, severity: severity ?? .unknown, cvssVectors: vectors, urls: urls,
                             published: (definition.advisoryDate ?? definition.issued).flatMap(date),
                             // Azure Linux gives only its advisory date: the record was last changed then at the latest.
                             modified: (definition.updated ?? definition.advisoryDate ?? definition.issued).flatMap(date),
                             source: OVALParser.kind)
    }

    private func date(_ text: String) -> Date? {
        dateTime.date(from: text) ?? dateOnly.date(from: String(text.prefix(10)))
    }

    /// The CVE ids a definition references (`CVE-2024-1234`, SUSE's `Mitre CVE-2024-1234` and `SUSE CVE-…`), in order.
    static func cveIDs(of definition: OVALDefinition) -> [String] {
        var ids: [String] = []
        for reference in definition.references where ["CVE", "SUSE CVE"].contains(reference.source.uppercased()) {
            if let id = cveID(in: reference.id), !ids.contains(id) { ids.append(id) }
        }
        return ids
    }

    /// The first `CVE-YYYY-NNNN…` in `text`.
    static func cveID(in text: String) -> String? {
        guard let start = text.range(of: "CVE-") else { return nil }
        let rest = text[start.upperBound...]
        let year = rest.prefix { $0.isNumber }
        guard year.count == 4, rest.dropFirst(4).first == "-" else { return nil }
        let number = rest.dropFirst(5).prefix { $0.isNumber }
        guard number.count >= 4 else { return nil }
        return "CVE-\(year)-\(number)"
    }
}

extension AdvisoryPathImporter {
    /// Imports one OVAL document. A single-file input that cannot be read as a whole (truncated, not OVAL) throws,
    /// so the import aborts and the store keeps what it had; a bad member of a directory or zip is one failure.
    func importOVAL(_ data: Data, name: String, location: String, singleFile: Bool, fallbackSource: AdvisorySource,
                    into sink: any AdvisorySink) throws {
        let result: OVALParser.Result
        do {
            result = try OVALParser.parse(data, file: name, location: location)
        } catch let error as ShrikeError {
            if singleFile || strict { throw ShrikeError(error.code, error.message, input: origin ?? location) }
            try sink.fail(ImportFailure(file: name, reason: error.message), in: fallbackSource)
            return
        }
        for (source, record) in result.records { try sink.add(record, to: source) }
        for (source, failure) in result.failures { try sink.fail(failure, in: source) }
        for (source, skipped) in result.skipped { try sink.skip(skipped, in: source) }
    }
}

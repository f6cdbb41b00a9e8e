import Foundation
import ShrikeCore
import ShrikeVersions

/// Reads Red Hat's CSAF 2.0 documents: the VEX files, one per CVE
/// (`https://security.access.redhat.com/data/csaf/v2/vex/<year>/cve-<year>-<n>.json`, `csaf_vex`), and the per-RHSA
/// advisories (`csaf_security_advisory`), into `redhat:<major>` records.
///
/// A document's `product_tree` names platforms (`product_name`, with a CPE) and components (`product_version`, with a
/// purl); each `default_component_of` relationship gives a (component, platform) pair its full product id, and the
/// vulnerability's `product_status` lists those ids under `fixed`, `known_affected`, `known_not_affected` and
/// `under_investigation`. Each vulnerability becomes one record, with one package record per RHEL major and rpm name:
/// - platforms: only RHEL's own streams are read (`RHELStream`): `enterprise_linux:N` (and `rhel_e6s:8.10`) is the
///   main line, `rhel_els:N` extended life, `rhel_eus`/`aus`/`e4s`/`tus`:N.M pinned minors. A package's record is built
///   from the first of these tiers that says anything about it (a RHEL N system follows the main line; EUS builds such
///   as `.el9_2` are what it runs only when the main line is silent). Other products (OpenShift, Satellite, Software
///   Collections, RHEL for Edge…) are skipped, counted once per vulnerability;
/// - components: rpm purls only (containers and language packages are skipped); the name is the purl's. Binary rpms
///   (with an arch, with `upstream=<source>`, or with no arch in CSAF Generator 2 documents) win over the source rpm
///   (`arch=src`) of the same name; a name only the source rpm carries is recorded under the source name, which matches
///   the binary rpm of the same name (`redhat:` is looked up by binary name). Module builds (`name:stream` entries)
///   and flatpak builds are skipped; rpms built in a module stream keep their `.module+el8…` release;
/// - `fixed` → affected below the component's `epoch:version-release`, with the RHSA ids of the `vendor_fix`
///   remediations as `advisories`. Several fixes of one name: the highest per upstream version (per module stream for
///   modular builds), and one range per line, `introduced` at the shortest version prefix that sets the line apart
///   (`introduced 0, fixed 3.9.18-3.el9_4.5` and `introduced 3.9.19, fixed 3.9.19-8.el9`), so a build carrying its own
///   line's fix is not flagged by a later line's. A fix wins over the same tier's unversioned `known_affected`
///   entries (Red Hat lists the GA compose or the next minor, `rhel-9.4.0`, `rhel-9`, as affected after the
///   z-stream erratum that later minors inherit);
/// - `known_affected` with `no_fix_planned` "Will not fix" / "Out of support scope" → `wont-fix`; otherwise, and
///   `under_investigation` → `not-fixed` ("affected", "fix deferred", "under investigation" in `vendorStatus`);
/// - `known_not_affected` → `not-affected`;
/// - severity per package from `threats` (`impact`), else `document.aggregate_severity`.
///
/// A relationship to a product the tree does not define, a status entry naming no product, a fixed component without a
/// version: counted failures. A `product_status` key other than the four Red Hat uses fails that vulnerability.
/// Throws only when the document as a whole is not CSAF (no `product_tree`, `vulnerabilities` not a list).
enum CSAFVEXParser {
    /// The source name and kind: Red Hat's CSAF data, replaced as a whole on re-import.
    static let sourceName = "redhat-csaf"

    struct Result: Sendable {
        var records: [AdvisoryRecord] = []
        var failures: [ImportFailure] = []
        var skipped: [ImportFailure] = []
    }

    /// True for a CSAF VEX or security advisory document (`document.category`).
    static func isCSAF(_ document: AdvisoryDocument) -> Bool {
        guard let category = document["document"]?["category"]?.string else { return false }
        return category == "csaf_vex" || category == "csaf_security_advisory"
    }

    /// The statuses Red Hat publishes; CSAF's others (`first_affected`, `last_affected`, `first_fixed`,
    /// `recommended`) would need readings Shrike does not have.
    static let knownStatuses: Set<String> = ["fixed", "known_affected", "known_not_affected", "under_investigation"]

    /// Reads one CSAF document (`file` names it in failures).
    static func parse(_ document: AdvisoryDocument, file: String) throws -> Result {
        guard let header = document["document"], header.object != nil else {
            throw AdvisoryDocument.shapeError("a CSAF document has no 'document' object")
        }
        guard let treeDocument = document["product_tree"] else {
            throw AdvisoryDocument.shapeError("a CSAF document has no 'product_tree'")
        }
        guard let vulnerabilities = document["vulnerabilities"]?.array else {
            throw AdvisoryDocument.shapeError("a CSAF document's 'vulnerabilities' must be a list")
        }
        let tree = try ProductTree(treeDocument)
        var result = Result()
        for message in tree.failures { result.failures.append(ImportFailure(file: file, reason: message)) }
        let trackingID = header["tracking"]?["id"]?.string
        let isVEX = header["category"]?.string == "csaf_vex"
        for (index, vulnerability) in vulnerabilities.enumerated() {
            // A VEX document is about one CVE, which is also its tracking id; an RHSA names each CVE it fixes.
            guard let id = vulnerability["cve"]?.string ?? (isVEX ? trackingID : nil), !id.isEmpty else {
                result.failures.append(ImportFailure(file: "\(file)#vulnerabilities[\(index)]",
                                                     reason: "a vulnerability without 'cve'"))
                continue
            }
            let at = "\(file)#\(id)"
            do {
                let reading = try readVulnerability(vulnerability, id: id, header: header, tree: tree,
                                                    advisoryID: isVEX ? nil : trackingID)
                if let record = reading.record { result.records.append(record) }
                result.failures += reading.failures.map { ImportFailure(file: at, reason: $0) }
                result.skipped += reading.skipped.map { ImportFailure(file: at, reason: $0) }
            } catch let error as ShrikeError {
                result.failures.append(ImportFailure(file: at, reason: error.message))
            }
        }
        return result
    }

    // MARK: - One vulnerability

    /// What a product status says about one rpm on one RHEL stream.
    struct Statement: Sendable {
        enum State: Sendable, Equatable {
            case fixed(String)
            case open(AffectedStatus, word: String)
            case notAffected
        }

        var stream: RHELStream
        var component: RpmComponent
        var state: State
        var productID: String
    }

    struct VulnerabilityReading {
        var record: AdvisoryRecord?
        var failures: [String] = []
        var skipped: [String] = []
    }

    static func readVulnerability(_ vulnerability: AdvisoryDocument, id: String, header: AdvisoryDocument,
                                  tree: ProductTree, advisoryID: String?) throws -> VulnerabilityReading {
        guard let statuses = vulnerability["product_status"]?.object else {
            throw AdvisoryDocument.shapeError("no 'product_status' object")
        }
        if let unknown = statuses.keys.sorted().first(where: { !knownStatuses.contains($0) }) {
            throw AdvisoryDocument.shapeError("product_status '\(unknown)' is not one Red Hat publishes (fixed, known_affected, known_not_affected, under_investigation); the vulnerability is not read")
        }
        var reading = VulnerabilityReading()
        let remediations = try remediationsByProduct(vulnerability)
        let impacts = impactsByProduct(vulnerability)
        var statements: [Statement] = []
        var opaque: [Opaque] = []
        var otherProducts: [String] = []
        var otherStatuses = 0
        var skippedComponents: [ComponentSkip: Int] = [:]
        var platformOnly = 0
        for key in ["fixed", "known_affected", "under_investigation", "known_not_affected"] {
            guard let list = statuses[key] else { continue }
            guard let entries = list.array else { throw AdvisoryDocument.shapeError("product_status '\(key)' must be a list") }
            for productID in entries.compactMap(\.string) {
                guard let relationship = tree.relationships[productID] else {
                    // A status on a bare product ("red_hat_products") says nothing about an rpm.
                    if tree.products[productID] != nil {
                        platformOnly += 1
                    } else if !tree.unresolved.contains(productID) {
                        reading.failures.append("\(key) lists '\(productID)', which no relationship or product of the tree defines")
                    }
                    continue
                }
                let platform = tree.products[relationship.platform]
                guard let stream = platform?.cpe.flatMap(stream(ofCPE:)) else {
                    otherStatuses += 1
                    let name = "\(platform?.name ?? relationship.platform) (\(platform?.cpe ?? "no CPE"))"
                    if !otherProducts.contains(name) { otherProducts.append(name) }
                    continue
                }
                let component: RpmComponent
                switch CSAFVEXParser.component(purl: tree.products[relationship.component]?.purl) {
                case .rpm(let rpm): component = rpm
                case .skipped(let why, let name):
                    skippedComponents[why, default: 0] += 1
                    // The stream does speak about this name, in terms Shrike cannot compare: a lower tier must not
                    // answer for it (EUS "not affected" for python39 when the main line's module build is fixed).
                    if let name { opaque.append(Opaque(stream: stream, name: name)) }
                    continue
                case .invalid(let message):
                    reading.failures.append("'\(productID)': \(message)")
                    continue
                }
                let state: Statement.State
                switch key {
                case "fixed":
                    guard let evr = component.evr else {
                        reading.failures.append("'\(productID)' is listed fixed but its component names no version")
                        continue
                    }
                    state = .fixed(evr)
                case "known_affected": state = openState(remediations[productID] ?? [])
                case "under_investigation": state = .open(.notFixed, word: "under investigation")
                default: state = .notAffected
                }
                statements.append(Statement(stream: stream, component: component, state: state, productID: productID))
            }
        }
        if !otherProducts.isEmpty {
            let shown = otherProducts.prefix(3).joined(separator: ", ") + (otherProducts.count > 3 ? ", …" : "")
            reading.skipped.append("\(otherStatuses) product statuses for products other than Red Hat Enterprise Linux skipped: \(shown)")
        }
        for why in ComponentSkip.allCases {
            if let count = skippedComponents[why] { reading.skipped.append("\(count) RHEL product statuses for \(why.rawValue) skipped") }
        }
        if platformOnly > 0 {
            reading.skipped.append("\(platformOnly) product statuses on a product without a component skipped")
        }

        let aggregate = header["aggregate_severity"]?["text"]?.string
        let packages = merge(statements, opaque: opaque, id: id, remediations: remediations, impacts: impacts,
                             fallback: aggregate.flatMap(Severity.init(vendorWord:)), advisoryID: advisoryID)
        guard !packages.isEmpty else { return reading }
        reading.record = AdvisoryRecord(vulnerability: describe(vulnerability, id: id, header: header), affected: packages)
        return reading
    }

    /// A remediation as it applies to one product.
    struct Remediation: Sendable, Equatable {
        var category: String
        var details: String?
        /// The RHSA (or RHBA/RHEA) id of a `vendor_fix`, from its errata URL.
        var advisory: String?
    }

    private static func remediationsByProduct(_ vulnerability: AdvisoryDocument) throws -> [String: [Remediation]] {
        var byProduct: [String: [Remediation]] = [:]
        for entry in vulnerability["remediations"]?.array ?? [] {
            guard let category = entry["category"]?.string else { continue }
            let remediation = Remediation(category: category, details: entry["details"]?.string,
                                          advisory: entry["url"]?.string.flatMap(errataID(inURL:)))
            for productID in try entry.strings("product_ids") { byProduct[productID, default: []].append(remediation) }
        }
        return byProduct
    }

    /// `https://access.redhat.com/errata/RHSA-2023:6745` → `RHSA-2023:6745`.
    static func errataID(inURL url: String) -> String? {
        guard let last = url.split(separator: "/").last else { return nil }
        let id = String(last)
        return ["RHSA-", "RHBA-", "RHEA-"].contains(where: id.hasPrefix) ? id : nil
    }

    private static func impactsByProduct(_ vulnerability: AdvisoryDocument) -> [String: Severity] {
        var byProduct: [String: Severity] = [:]
        for threat in vulnerability["threats"]?.array ?? [] where threat["category"]?.string == "impact" {
            guard let severity = threat["details"]?.string.flatMap(Severity.init(vendorWord:)) else { continue }
            for productID in (try? threat.strings("product_ids")) ?? [] { byProduct[productID] = severity }
        }
        return byProduct
    }

    /// `known_affected`'s reading from the product's remediation: `no_fix_planned` is Red Hat's "Will not fix" and
    /// "Out of support scope"; `none_available` its "Affected" and "Fix deferred".
    static func openState(_ remediations: [Remediation]) -> Statement.State {
        for remediation in remediations {
            let word = remediation.details?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            switch remediation.category {
            case "no_fix_planned": return .open(.wontFix, word: word.isEmpty ? "will not fix" : word)
            case "none_available": return .open(.notFixed, word: word.isEmpty ? "affected" : word)
            default: continue
            }
        }
        return .open(.notFixed, word: "affected")
    }

    // MARK: - Package records

    /// A name a stream speaks about only through entries Shrike skips (module builds).
    struct Opaque: Sendable, Equatable {
        var stream: RHELStream
        var name: String
    }

    /// One package record per (RHEL major, rpm name), from the statements of the first tier that has any (none when
    /// that tier's entries are all `opaque`); ordered by namespace and name.
    static func merge(_ statements: [Statement], opaque: [Opaque] = [], id: String, remediations: [String: [Remediation]],
                      impacts: [String: Severity], fallback: Severity?, advisoryID: String?) -> [AffectedPackage] {
        var groups: [String: [Statement]] = [:]
        for statement in statements {
            groups["\(statement.stream.namespace)\u{0}\(statement.component.name)", default: []].append(statement)
        }
        var opaqueTiers: [String: RHELStream.Tier] = [:]
        for entry in opaque {
            let key = "\(entry.stream.namespace)\u{0}\(entry.name)"
            opaqueTiers[key] = min(opaqueTiers[key] ?? entry.stream.tier, entry.stream.tier)
        }
        var packages: [AffectedPackage] = []
        for key in groups.keys.sorted() {
            guard let all = groups[key], let first = all.first,
                  let tier = all.map(\.stream.tier).min() else { continue }
            if let blocking = opaqueTiers[key], blocking < tier { continue }
            var chosen = all.filter { $0.stream.tier == tier }
            if chosen.contains(where: { !$0.component.isSource }) { chosen = chosen.filter { !$0.component.isSource } }
            var package = AffectedPackage(vulnerabilityID: id, namespace: first.stream.namespace,
                                          packageName: first.component.name, ecosystem: .redHat)
            let fixes = chosen.compactMap { statement -> Fix? in
                guard case .fixed(let evr) = statement.state else { return nil }
                return Fix(evr: evr, moduleStream: statement.component.moduleStream, productID: statement.productID)
            }
            var severitySource = chosen.first
            if !fixes.isEmpty {
                let lines = fixLines(fixes)
                package.ranges = ranges(lines)
                package.vendorStatus = "fixed"
                var advisories: [String] = []
                // Newest fix first: it is the one a system on the main line installs.
                for line in lines.reversed() {
                    for productID in line.productIDs {
                        for remediation in remediations[productID] ?? [] where remediation.category == "vendor_fix" {
                            if let advisory = remediation.advisory, !advisories.contains(advisory) { advisories.append(advisory) }
                        }
                    }
                }
                if advisories.isEmpty, let advisoryID { advisories = [advisoryID] }
                package.advisories = advisories
                severitySource = chosen.first { $0.productID == lines.last?.productIDs.first } ?? severitySource
            } else if let open = chosen.first(where: { $0.state.isOpen(.notFixed) }) ?? chosen.first(where: { $0.state.isOpen(.wontFix) }) {
                guard case .open(let status, let word) = open.state else { continue }
                package.status = status
                package.vendorStatus = word
                severitySource = open
            } else {
                package.status = .notAffected
                package.vendorStatus = "not affected"
            }
            package.severity = severitySource.flatMap { impacts[$0.productID] } ?? chosen.lazy.compactMap { impacts[$0.productID] }.first
                ?? fallback
            packages.append(package)
        }
        return packages
    }

    struct Fix: Sendable, Equatable {
        var evr: String
        var moduleStream: String?
        var productID: String
    }

    /// The highest fix of one line of builds (an upstream version, or a module stream), and where it comes from.
    struct FixLine: Sendable, Equatable {
        var fix: String
        /// The upstream `[epoch:]version` of the fix.
        var upstream: String
        var productIDs: [String]
    }

    /// Fixes grouped by line, the highest of each kept, lines in ascending order of their fix.
    static func fixLines(_ fixes: [Fix]) -> [FixLine] {
        var lines: [String: FixLine] = [:]
        var order: [String] = []
        for fix in fixes {
            let upstream = fix.evr.lastIndex(of: "-").map { String(fix.evr[..<$0]) } ?? fix.evr
            let key = fix.moduleStream.map { "module \($0)" } ?? "upstream \(upstream)"
            guard var line = lines[key] else {
                lines[key] = FixLine(fix: fix.evr, upstream: upstream, productIDs: [fix.productID])
                order.append(key)
                continue
            }
            let comparison = compare(fix.evr, line.fix)
            if comparison > 0 {
                line = FixLine(fix: fix.evr, upstream: upstream, productIDs: [fix.productID])
            } else if comparison == 0, !line.productIDs.contains(fix.productID) {
                line.productIDs.append(fix.productID)
            }
            lines[key] = line
        }
        return order.compactMap { lines[$0] }.sorted { compare($0.fix, $1.fix) < 0 }
    }

    /// `introduced 0, fixed F` for a single line; for several, each line after the lowest starts at the shortest
    /// prefix of its upstream version that no other line shares (`128` for firefox 128.3.0 beside 115.12.0,
    /// `3.9.19` beside `3.9.18`).
    static func ranges(_ lines: [FixLine]) -> [AffectedRange] {
        lines.enumerated().map { index, line in
            let start = index == 0 ? "0" : distinctPrefix(of: line.upstream, among: lines.map(\.upstream))
            return AffectedRange(kind: .ecosystem, events: [.introduced(start), .fixed(line.fix)])
        }
    }

    /// The shortest dot-separated prefix of `upstream` (epoch kept) that is not a prefix of any other version in `all`.
    static func distinctPrefix(of upstream: String, among all: [String]) -> String {
        func split(_ version: String) -> (epoch: String, segments: [Substring]) {
            let colon = version.firstIndex(of: ":")
            let epoch = colon.map { String(version[...$0]) } ?? ""
            let rest = colon.map { version[version.index(after: $0)...] } ?? Substring(version)
            return (epoch, rest.split(separator: ".", omittingEmptySubsequences: false))
        }
        let mine = split(upstream)
        let others = all.filter { $0 != upstream }.map(split).filter { $0.epoch == mine.epoch }
        for length in 1...max(1, mine.segments.count) {
            let prefix = Array(mine.segments.prefix(length))
            if !others.contains(where: { Array($0.segments.prefix(length)) == prefix }) {
                return mine.epoch + prefix.joined(separator: ".")
            }
        }
        return upstream
    }

    private static func compare(_ a: String, _ b: String) -> Int {
        guard let left = try? RpmVersion(parsing: a), let right = try? RpmVersion(parsing: b) else { return a < b ? -1 : (a == b ? 0 : 1) }
        return left.compare(to: right)
    }

    // MARK: - The vulnerability

    private static func describe(_ vulnerability: AdvisoryDocument, id: String, header: AdvisoryDocument) -> Vulnerability {
        var summary: String?
        var description: String?
        for note in vulnerability["notes"]?.array ?? [] {
            switch note["category"]?.string {
            case "summary": summary = summary ?? note["text"]?.string
            case "description": description = description ?? note["text"]?.string
            default: continue
            }
        }
        var vectors: [String] = []
        for score in vulnerability["scores"]?.array ?? [] {
            for key in ["cvss_v3", "cvss_v4"] {
                if let vector = score[key]?["vectorString"]?.string, vector.hasPrefix("CVSS:"), !vectors.contains(vector) {
                    vectors.append(vector)
                }
            }
        }
        var urls: [String] = []
        for reference in vulnerability["references"]?.array ?? [] {
            if let url = reference["url"]?.string, !urls.contains(url) { urls.append(url) }
        }
        let tracking = header["tracking"]
        return Vulnerability(
            id: id, summary: summary ?? vulnerability["title"]?.string ?? description,
            severity: SeverityResolver.resolve(vendor: header["aggregate_severity"]?["text"]?.string, cvssVectors: vectors),
            cvssVectors: vectors, urls: urls,
            published: (vulnerability["release_date"]?.string ?? tracking?["initial_release_date"]?.string).flatMap(OSVParser.parseDate),
            modified: tracking?["current_release_date"]?.string.flatMap(OSVParser.parseDate), source: sourceName)
    }
}

extension CSAFVEXParser.Statement.State {
    func isOpen(_ status: AffectedStatus) -> Bool {
        if case .open(let mine, _) = self { return mine == status }
        return false
    }
}

extension AdvisoryPathImporter {
    /// A CSAF document (`CSAFVEXParser`) into the source `redhat-csaf` located at `location` (the import path or feed).
    func importCSAF(_ document: AdvisoryDocument, name: String, location: String,
                    fail: (ImportFailure, AdvisorySource) throws -> Void, into sink: any AdvisorySink) throws {
        let source = AdvisorySource(name: CSAFVEXParser.sourceName, kind: CSAFVEXParser.sourceName, location: location)
        do {
            let result = try CSAFVEXParser.parse(document, file: name)
            for record in result.records { try sink.add(record, to: source) }
            for failure in result.failures { try sink.fail(failure, in: source) }
            for skipped in result.skipped { try sink.skip(skipped, in: source) }
        } catch let error as ShrikeError {
            try fail(ImportFailure(file: name, reason: error.message), source)
        }
    }
}

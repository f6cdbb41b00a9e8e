import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ShrikeCore
import ShrikeImage

/// Reads a yum `updateinfo.xml` (the `repodata/updateinfo.xml.gz` of an Amazon Linux repository):
/// `<updates><update type="security"><id>ALAS2023-2023-321</id><severity>Medium</severity><issued date=…/>
/// <references><reference type="cve" id="CVE-…"/></references><pkglist><collection><package name=… epoch=…
/// version=… release=… arch=…/></collection></pkglist></update></updates>`.
///
/// Every CVE reference of an update becomes a record whose packages are the update's binary rpms (arch `src`
/// excluded), each affected below `epoch:version-release` (`introduced 0, fixed V`; a zero epoch is left out, as rpm
/// prints it), with the update's severity and its ALAS id in `advisories`. An update with no CVE reference keeps the
/// ALAS id as the vulnerability id. The release comes from the id: `ALAS2023-` is `amazon:2023`, `ALAS2022-`
/// `amazon:2022`, `ALAS2-` and Amazon Linux 2's extras (`ALAS2DOCKER-`, `ALAS2GOLANG1.19-`) `amazon:2`, and `ALAS-`
/// Amazon Linux 1 (`amazon:2018.03`); other ids (an updateinfo from another vendor) are failures, because nothing
/// says which release they belong to.
///
/// Sources are `alas:2023`, `alas:2`, `alas:2018.03`, and `alas:2/<extra>` for an AL2 extras repository (each extra
/// has its own updateinfo, so each is its own source). Updates that are neither `security` nor carry a CVE
/// reference are skipped (bug fixes). Throws when the document as a whole is not readable XML or not updateinfo.
enum UpdateInfoParser {
    static let kind = "amazon-updateinfo"

    struct Result {
        var records: [(source: AdvisorySource, record: AdvisoryRecord)] = []
        var failures: [(source: AdvisorySource, failure: ImportFailure)] = []
        var skipped: [(source: AdvisorySource, failure: ImportFailure)] = []
    }

    /// Whether `data` is an updateinfo document (its root element is `updates`).
    static func isUpdateInfo(_ data: Data) -> Bool { XMLRootElement.name(of: data) == "updates" }

    /// Which Amazon Linux release an ALAS id belongs to: the namespace and the source name.
    static func release(ofAdvisory id: String) -> (namespace: String, source: String)? {
        // ALAS<label>-<year>-<number>; the label is empty (AL1), 2, 2022, 2023, or 2<EXTRA> (AL2 extras, whose own
        // names may hold dashes: ALAS2KERNEL-5.10-2022-001).
        let parts = id.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3, let number = parts.last, !number.isEmpty, number.allSatisfy(\.isNumber) else { return nil }
        let year = parts[parts.count - 2]
        guard year.count == 4, year.allSatisfy(\.isNumber), parts[0].hasPrefix("ALAS") else { return nil }
        let label = ([String(parts[0].dropFirst(4))] + parts[1..<(parts.count - 2)]).joined(separator: "-")
        switch label {
        case "": return ("amazon:2018.03", "alas:2018.03")
        case "2": return ("amazon:2", "alas:2")
        case "2022": return ("amazon:2022", "alas:2022")
        case "2023": return ("amazon:2023", "alas:2023")
        default:
            guard label.hasPrefix("2"), label.count > 1 else { return nil }
            return ("amazon:2", "alas:2/\(label.dropFirst().lowercased())")
        }
    }

    static func parse(_ data: Data, file: String, location: String) throws -> Result {
        let reader = UpdateInfoReader()
        // XMLParser traps on bytes that are not UTF-8 (see XMLInputEncoding); refuse them first.
        try XMLInputEncoding.requireUTF8(data, input: file)
        // Fed as a stream, as the OVAL reader does: `XMLParser(data:)` hands libxml2 the document in one piece, which
        // it refuses past 10 MB ("huge input lookup"); Amazon Linux 2's real updateinfo.xml is larger than that.
        let parser = XMLParser(stream: InputStream(data: data))
        parser.shouldResolveExternalEntities = false
        parser.delegate = reader
        guard parser.parse() else {
            let reason = parser.parserError.map { String(describing: $0.localizedDescription) } ?? "unknown error"
            throw ShrikeError(.malformed, "not valid XML at line \(parser.lineNumber) (\(reason)); the file is truncated or not an updateinfo.xml",
                              input: file)
        }
        // libxml2 as Foundation drives it accepts a document that simply stops; an unclosed root means a cut file.
        guard reader.rootClosed || reader.rootName == nil else {
            throw ShrikeError(.malformed, "the XML ends before </\(reader.rootName ?? "updates")>: the file is truncated", input: file)
        }
        guard reader.rootName == "updates" else {
            throw AdvisoryDocument.shapeError("not a yum updateinfo document: the root element is <\(reader.rootName ?? "")>, not <updates>")
        }
        var result = Result()
        var sources: [String: AdvisorySource] = [:]
        func source(_ name: String) -> AdvisorySource {
            if let known = sources[name] { return known }
            let made = AdvisorySource(name: name, kind: kind, location: location)
            sources[name] = made
            return made
        }
        // Failures of updates that name no release still need a source; the file's own keeps them visible.
        let unattributed = AdvisorySource(name: "updateinfo:\(location)", kind: kind, location: location)

        for (index, update) in reader.updates.enumerated() {
            let id = update.id.trimmingCharacters(in: .whitespacesAndNewlines)
            let where_ = "\(file)#\(id.isEmpty ? "update[\(index)]" : id)"
            guard !id.isEmpty else {
                result.failures.append((unattributed, ImportFailure(file: where_, reason: "the update has no <id>")))
                continue
            }
            guard let release = release(ofAdvisory: id) else {
                result.failures.append((unattributed, ImportFailure(
                    file: where_,
                    reason: "'\(id)' is not an Amazon Linux advisory id (ALAS-, ALAS2-, ALAS2023-): the release it belongs to is unknown")))
                continue
            }
            let target = source(release.source)
            let cves = update.cveIDs
            if update.type.lowercased() != "security" && cves.isEmpty {
                result.skipped.append((target, ImportFailure(file: where_, reason: "a '\(update.type)' update with no CVE: not a security advisory")))
                continue
            }
            var packages: [(name: String, fixed: String)] = []
            for (packageIndex, package) in update.packages.enumerated() where package.arch != "src" {
                guard let name = package.name, !name.isEmpty, let version = package.version, !version.isEmpty,
                      let packageRelease = package.release, !packageRelease.isEmpty else {
                    result.failures.append((target, ImportFailure(
                        file: "\(where_)/package[\(packageIndex)]", reason: "a package needs name, version and release attributes")))
                    continue
                }
                let epoch = package.epoch?.trimmingCharacters(in: .whitespaces) ?? ""
                guard epoch.allSatisfy(\.isNumber) else {
                    result.failures.append((target, ImportFailure(file: "\(where_)/\(name)", reason: "epoch '\(epoch)' is not a number")))
                    continue
                }
                let fixed = (epoch.isEmpty || Int(epoch) == 0 ? "" : "\(Int(epoch) ?? 0):") + "\(version)-\(packageRelease)"
                if !packages.contains(where: { $0 == (name, fixed) }) { packages.append((name, fixed)) }
            }
            guard !packages.isEmpty else {
                if !update.packages.contains(where: { $0.arch != "src" }) {
                    result.failures.append((target, ImportFailure(file: where_, reason: "the update lists no binary packages")))
                }
                continue
            }
            let severity = Severity(vendorWord: update.severity)
            let sections = descriptionSections(update.description)
            var packageOrder: [String] = []
            var fixedByPackage: [String: [String]] = [:]
            for (name, fixed) in packages {
                if fixedByPackage[name] == nil { packageOrder.append(name) }
                fixedByPackage[name, default: []].append(fixed)
            }
            for vulnerabilityID in cves.isEmpty ? [id] : cves {
                let affected = packageOrder.map { name in
                    // Several builds of one name in one update (rare) become one range each; any range holding the
                    // installed version reports it, which errs towards reporting.
                    AffectedPackage(
                        vulnerabilityID: vulnerabilityID, namespace: release.namespace, packageName: name, ecosystem: .redHat,
                        ranges: (fixedByPackage[name] ?? []).map { AffectedRange(kind: .ecosystem, events: [.introduced("0"), .fixed($0)]) },
                        severity: severity, advisories: [id])
                }
                let summary = sections[vulnerabilityID] ?? update.title.trimmingCharacters(in: .whitespacesAndNewlines)
                let vulnerability = Vulnerability(
                    id: vulnerabilityID, summary: summary.isEmpty ? nil : summary, severity: severity ?? .unknown,
                    urls: urls(advisory: id, vulnerability: vulnerabilityID), published: date(update.issued),
                    modified: date(update.updated) ?? date(update.issued), source: "alas")
                result.records.append((target, AdvisoryRecord(vulnerability: vulnerability, affected: affected)))
            }
        }
        return result
    }

    /// The advisory's page and, for a CVE, Amazon's page for it.
    private static func urls(advisory id: String, vulnerability: String) -> [String] {
        var urls: [String] = []
        // ALAS2023-2023-321 → AL2023/ALAS-2023-321, ALAS2-2019-1141 → AL2/ALAS-2019-1141, ALAS-2019-1222 → itself.
        if let dash = id.firstIndex(of: "-") {
            let label = id[id.index(id.startIndex, offsetBy: 4)..<dash]
            let page = "ALAS" + id[dash...]
            urls.append(label.isEmpty ? "https://alas.aws.amazon.com/\(page).html" : "https://alas.aws.amazon.com/AL\(label)/\(page).html")
        }
        if vulnerability.hasPrefix("CVE-") { urls.append("https://alas.aws.amazon.com/cve/html/\(vulnerability).html") }
        return urls
    }

    /// The description's per-CVE paragraphs: Amazon writes `CVE-2023-36054:` on a line of its own, then the text.
    static func descriptionSections(_ description: String) -> [String: String] {
        var sections: [String: String] = [:]
        var current: String?
        var lines: [Substring] = []
        func close() {
            if let current {
                let text = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
                if !text.isEmpty, sections[current] == nil { sections[current] = text }
            }
            lines = []
        }
        for line in description.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasSuffix(":"), let id = cveID(String(trimmed.dropLast())) {
                close()
                current = id
            } else if current != nil {
                lines.append(line)
            }
        }
        close()
        return sections
    }

    /// `CVE-YYYY-NNNN…` in upper case, or nil.
    static func cveID(_ text: String) -> String? {
        let upper = text.trimmingCharacters(in: .whitespaces).uppercased()
        let parts = upper.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "CVE", parts[1].count == 4, parts[1].allSatisfy(\.isNumber),
              parts[2].count >= 4, parts[2].allSatisfy(\.isNumber) else { return nil }
        return upper
    }

    /// `2023-08-31 21:43:00` or `2023-08-31 21:43` (UTC, as Amazon writes them); nil for anything else.
    static func date(_ text: String?) -> Date? {
        guard let text = text?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
        let fields = text.split(whereSeparator: { $0 == "-" || $0 == " " || $0 == ":" || $0 == "T" }).map { Int($0) }
        guard fields.count >= 3, fields.allSatisfy({ $0 != nil }) else { return nil }
        var components = DateComponents()
        components.calendar = Calendar(identifier: .gregorian)
        components.timeZone = TimeZone(identifier: "UTC")
        components.year = fields[0]
        components.month = fields[1]
        components.day = fields[2]
        components.hour = fields.count > 3 ? fields[3] : 0
        components.minute = fields.count > 4 ? fields[4] : 0
        components.second = fields.count > 5 ? fields[5] : 0
        guard components.isValidDate else { return nil }
        return components.date
    }
}

/// One `<update>` as read, before it becomes records.
struct UpdateInfoUpdate {
    struct Reference {
        var type: String
        var id: String?
        var title: String?
    }

    struct Package {
        var name: String?
        var epoch: String?
        var version: String?
        var release: String?
        var arch: String?
    }

    var type: String
    var id = ""
    var title = ""
    var severity = ""
    var description = ""
    var issued: String?
    var updated: String?
    var references: [Reference] = []
    var packages: [Package] = []

    /// The CVE references, upper-cased and without repeats, in document order. Some writers put the id only in the title.
    var cveIDs: [String] {
        var ids: [String] = []
        for reference in references where reference.type.lowercased() == "cve" {
            guard let id = UpdateInfoParser.cveID(reference.id ?? "") ?? UpdateInfoParser.cveID(reference.title ?? "") else { continue }
            if !ids.contains(id) { ids.append(id) }
        }
        return ids
    }
}

/// The SAX side of the updateinfo reader: collects updates, nothing else.
final class UpdateInfoReader: NSObject, XMLParserDelegate {
    private(set) var rootName: String?
    private(set) var updates: [UpdateInfoUpdate] = []
    /// Whether the root element's end tag was read.
    private(set) var rootClosed = false
    private var depth = 0
    private var current: UpdateInfoUpdate?
    private var capturing: String?
    private var text = ""

    private static func local(_ name: String) -> String {
        name.split(separator: ":").last.map(String.init) ?? name
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes: [String: String] = [:]) {
        let name = Self.local(elementName)
        depth += 1
        guard rootName != nil else {
            rootName = name
            return
        }
        if name == "update" {
            current = UpdateInfoUpdate(type: attributes["type"] ?? "")
            return
        }
        guard current != nil else { return }
        switch name {
        case "id", "title", "severity", "description":
            capturing = name
            text = ""
        case "issued":
            current?.issued = attributes["date"]
        case "updated":
            current?.updated = attributes["date"]
        case "reference":
            current?.references.append(UpdateInfoUpdate.Reference(type: attributes["type"] ?? "", id: attributes["id"],
                                                                   title: attributes["title"]))
        case "package":
            current?.packages.append(UpdateInfoUpdate.Package(name: attributes["name"], epoch: attributes["epoch"],
                                                              version: attributes["version"], release: attributes["release"],
                                                              arch: attributes["arch"]))
        default:
            break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if capturing != nil { text += string }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if capturing != nil { text += String(decoding: CDATABlock, as: UTF8.self) }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        let name = Self.local(elementName)
        depth -= 1
        if depth == 0 { rootClosed = true }
        if name == capturing {
            switch name {
            case "id": current?.id = text
            case "title": current?.title = text
            case "severity": current?.severity = text.trimmingCharacters(in: .whitespacesAndNewlines)
            case "description": current?.description = text
            default: break
            }
            capturing = nil
        } else if name == "update", let update = current {
            updates.append(update)
            current = nil
        }
    }
}

extension AdvisoryPathImporter {
    /// Imports one updateinfo document; a document that cannot be read is a failure of `unreadableSource` (through
    /// `fail`, which throws instead in strict mode).
    func importUpdateInfo(_ data: Data, name: String, location: String, unreadableSource: AdvisorySource,
                          fail: (ImportFailure, AdvisorySource) throws -> Void, into sink: any AdvisorySink) throws {
        let result: UpdateInfoParser.Result
        do {
            result = try UpdateInfoParser.parse(data, file: name, location: location)
        } catch let error as ShrikeError {
            try fail(ImportFailure(file: name, reason: error.message), unreadableSource)
            return
        }
        for (source, record) in result.records { try sink.add(record, to: source) }
        for (source, failure) in result.failures { try sink.fail(failure, in: source) }
        for (source, skipped) in result.skipped { try sink.skip(skipped, in: source) }
    }
}

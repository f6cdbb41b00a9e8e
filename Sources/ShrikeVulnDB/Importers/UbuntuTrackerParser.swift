import Foundation
import ShrikeCatalog
import ShrikeCore

/// Reads the Ubuntu CVE Tracker (https://git.launchpad.net/ubuntu-cve-tracker, the tree Grype's vunnel and Trivy's
/// vuln-list read): `active/`, `retired/` and `ignored/`, one RFC 822-like file per CVE with `Candidate:`,
/// `PublicDate:`, `References:`, `Description:`, `Priority:`/`Priority_<source>:`, `CVSS:` and one line per release
/// and source package, `<release>_<source>: <status> (<version or note>)`.
///
/// Each file becomes one record; each `<release>_<source>` line a package record in namespace `ubuntu:<version>`
/// (`xenial` → `ubuntu:16.04`), keyed by the **source** package, with dpkg version rules:
/// - `released (V)` → affected, range `introduced 0, fixed V`, with the USNs the file references as `advisories`
///   (a USN announces a published fix, so only fixed records carry it); `released` without a version is a failure;
/// - `needed`, `needs-triage`, `active`, `deferred`, `pending (V)` → not fixed, the word kept as `vendorStatus`
///   (`pending (V)` keeps its version there: the fix is not published yet, so it is not a fixed version);
///   `released-esm (V)` (documented in the tracker's README) → not fixed too: the fix is only in the ESM archive;
/// - `ignored (reason)` and `not-affected` (with or without a version) → not affected (not reported); `DNE` lines are
///   not stored at all;
/// - any other status word, a malformed line, an unknown release codename → a failure naming the file and line.
///
/// `upstream` and `devel` lines name no release and are not read. `<codename>/esm` and the other `/…` pseudo-releases
/// (`vivid/ubuntu-core`), and the `product`/`snap` pseudo-releases, are fixes outside the public archive: they are
/// counted as skipped, once per file. Severity is `Priority_<source>` for the package, else `Priority`
/// (`untriaged` → unknown).
enum UbuntuTrackerParser {
    /// The source name and kind: one tracker, replaced as a whole on re-import.
    static let sourceName = "ubuntu-tracker"
    /// The tree's parts, in the order they are read.
    static let parts = ["active", "retired", "ignored"]
    /// Release names that are not archive releases of Ubuntu (phone products, snaps): skipped like `/esm`.
    static let pseudoReleases: Set<String> = ["product", "snap"]

    /// What one tracker file yields.
    struct FileResult {
        /// Nil when the file as a whole could not be read (no `Candidate`, truncated header).
        var record: AdvisoryRecord?
        var failures: [ImportFailure] = []
        var skipped: [ImportFailure] = []
    }

    // MARK: - Recognising the tree

    /// True when `directory` is a tracker tree (it has an `active/` directory with `CVE-*` files) or one part of it
    /// (a directory named `active` or `retired` holding `CVE-*` files).
    static func isTracker(directory: String) -> Bool {
        let name = (directory as NSString).lastPathComponent
        if name == "active" || name == "retired" { return holdsCVEFiles(directory) }
        return holdsCVEFiles(directory + "/active")
    }

    private static func holdsCVEFiles(_ directory: String) -> Bool {
        guard let walker = FileManager.default.enumerator(atPath: directory) else { return false }
        for case let name as String in walker {
            walker.skipDescendants()
            if name.hasPrefix("CVE-") { return true }
        }
        return false
    }

    // MARK: - Importing the tree

    /// Imports every `CVE-*` file of the tree (or part) at `root` into `sink` as the source `ubuntu-tracker` located at
    /// `location`. Other files (`00boilerplate*`, `README`, `Makefile`, the lists in `ignored/`) are not advisories and
    /// are passed over. A file that cannot be read is a failure, or with `strict` (a downloaded feed) an error.
    static func importTree(_ root: String, location: String, strict: Bool, into sink: any AdvisorySink) throws {
        let source = AdvisorySource(name: sourceName, kind: sourceName, location: location)
        let name = (root as NSString).lastPathComponent
        let directories = (name == "active" || name == "retired") ? [(root, name)] : parts.map { (root + "/" + $0, $0) }
        var seen = Set<String>()
        for (directory, part) in directories {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            let names: [String]
            do {
                names = try FileManager.default.contentsOfDirectory(atPath: directory)
            } catch {
                throw ShrikeError(.io, "cannot list the tracker directory: \(error.localizedDescription)", input: directory)
            }
            // Sorted so that imports and failure lists are the same on every run.
            for file in names.sorted() where file.hasPrefix("CVE-") {
                let relative = part + "/" + file
                let bytes: [UInt8]
                do {
                    // One CVE's file is a few KB; the bound every advisory file has keeps a hostile one from being
                    // read whole.
                    try AdvisoryPathImporter.checkSize(AdvisoryPathImporter.fileSize(directory + "/" + file),
                                                       name: relative, input: location + "#" + relative)
                    bytes = Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file)))
                } catch let error as ShrikeError where error.code == .limitExceeded {
                    if strict { throw error }
                    try sink.fail(ImportFailure(file: relative, reason: error.message), in: source)
                    continue
                } catch {
                    let failure = ImportFailure(file: relative, reason: "cannot read: \(error.localizedDescription)")
                    if strict { throw ShrikeError(.malformed, "\(failure.file): \(failure.reason)", input: location) }
                    try sink.fail(failure, in: source)
                    continue
                }
                var result = parse(bytes, file: relative)
                if let id = result.record?.vulnerability.id, !seen.insert(id).inserted {
                    // A CVE moved between parts but left behind would otherwise be imported twice.
                    result.failures.append(ImportFailure(file: relative, reason: "\(id) was already read from another file of the tracker; this copy is ignored"))
                    result.record = nil
                }
                if let record = result.record { try sink.add(record, to: source) }
                for failure in result.failures { try sink.fail(failure, in: source) }
                for skipped in result.skipped { try sink.skip(skipped, in: source) }
            }
        }
    }

    // MARK: - Parsing one file

    /// A header field as written: its inline value and its indented continuation lines.
    private struct Field {
        var value: String
        var lines: [String] = []
    }

    /// A `<release>_<source>: <value>` line.
    private struct StatusLine {
        var line: Int
        var key: String
        var release: String
        var package: String
        var value: String
        /// `trusty/esm`, `vivid/ubuntu-core`: a pocket outside the public archive.
        var pseudoRelease: Bool
    }

    /// The header fields read; the others (`Notes`, `Patches_*`, `Tags_*`…) say nothing Shrike matches on.
    private static let keptFields: Set<String> = ["Candidate", "PublicDate", "References", "Description", "Priority", "CVSS"]
    /// Codename → namespace, looked up once per release line.
    private static let namespaceByCodename: [String: String] = Dictionary(
        UbuntuRelease.all.map { ($0.codename, "ubuntu:\($0.version)") }, uniquingKeysWith: { first, _ in first })

    /// Parses one tracker file (`file` names it in failures, e.g. `active/CVE-2020-0034`). Never throws: what cannot
    /// be read is in `failures`. Works on bytes: the whole tracker is 1.2 million release lines.
    static func parse(_ bytes: [UInt8], file: String) -> FileResult {
        var result = FileResult()
        guard String(validating: bytes, as: UTF8.self) != nil else {
            result.failures.append(ImportFailure(file: file, reason: "not UTF-8 text; a tracker file is UTF-8"))
            return result
        }
        var fields: [String: Field] = [:]
        var statusLines: [StatusLine] = []
        bytes.withUnsafeBufferPointer { buffer in
            scanLines(buffer, file: file, fields: &fields, statusLines: &statusLines, failures: &result.failures)
        }

        guard let candidate = fields["Candidate"]?.value, !candidate.isEmpty else {
            result.failures.append(ImportFailure(file: file, reason: "no 'Candidate:' field; not a tracker CVE file, or truncated"))
            return result
        }
        for required in ["PublicDate", "Description"] where fields[required] == nil {
            result.failures.append(ImportFailure(file: file, reason: "no '\(required):' field; the file is truncated"))
            return result
        }

        let priority = fields["Priority"].map { firstWord($0.value) }
        let references = fields["References"].map { [$0.value] + $0.lines } ?? []
        let urls = references.filter { $0.contains("://") }
        let usns = usnIDs(in: urls)
        let vectors = (fields["CVSS"].map { [$0.value] + $0.lines } ?? []).compactMap(cvssVector)
        let description = (fields["Description"]?.lines ?? []).filter { !$0.isEmpty }.joined(separator: " ")
        // `Priority_<source>` (and `Priority_<source>_<release>`) are rare: look them up only when the file has some.
        let hasPackagePriorities = fields.keys.contains { $0.hasPrefix("Priority_") }
        let fileSeverity = priority.map(severity(ofPriority:))

        var affected: [AffectedPackage] = []
        var seenKeys = Set<String>()
        var skippedReleases: [String] = []
        for entry in statusLines {
            if entry.release == "upstream" || entry.release == "devel" { continue }
            if entry.pseudoRelease || pseudoReleases.contains(entry.release) {
                if !skippedReleases.contains(entry.release) { skippedReleases.append(entry.release) }
                continue
            }
            // Built only for failures: most of the tracker's lines are fine.
            func at() -> String { "\(file):\(entry.line)" }
            guard let namespace = namespaceByCodename[entry.release] else {
                result.failures.append(ImportFailure(file: at(), reason: "'\(entry.key)': unknown Ubuntu release '\(entry.release)'"))
                continue
            }
            guard !entry.package.isEmpty else {
                result.failures.append(ImportFailure(file: at(), reason: "'\(entry.key)': no source package after the release"))
                continue
            }
            guard seenKeys.insert(entry.key).inserted else {
                result.failures.append(ImportFailure(file: at(), reason: "'\(entry.key)' is given twice; the first line is used"))
                continue
            }
            var packageSeverity = fileSeverity
            if hasPackagePriorities, let word = fields["Priority_\(entry.package)_\(entry.release)"] ?? fields["Priority_\(entry.package)"] {
                packageSeverity = severity(ofPriority: firstWord(word.value))
            }
            do {
                var package = try packageRecord(entry.value, key: entry.key)
                package.vulnerabilityID = candidate
                package.namespace = namespace
                package.packageName = entry.package
                package.severity = packageSeverity
                if !package.ranges.isEmpty { package.advisories = usns }
                // DNE ("does not exist in this release") is half of the tracker's lines and can never match: not
                // stored (a third less import time and database).
                if package.vendorStatus == "DNE" { continue }
                affected.append(package)
            } catch let error as ShrikeError {
                result.failures.append(ImportFailure(file: at(), reason: error.message))
            } catch {
                result.failures.append(ImportFailure(file: at(), reason: "\(error)"))
            }
        }
        if !skippedReleases.isEmpty {
            result.skipped.append(ImportFailure(
                file: file,
                reason: "entries for \(skippedReleases.joined(separator: ", ")) skipped: ESM/Pro and other pseudo-releases are not in the public archive"))
        }

        result.record = AdvisoryRecord(
            vulnerability: Vulnerability(
                id: candidate, summary: description.isEmpty ? nil : description,
                // `untriaged` is no vendor word, so the CVSS vectors decide; package records keep it as unknown.
                severity: SeverityResolver.resolve(vendor: priority, cvssVectors: vectors),
                cvssVectors: vectors, urls: urls + ["https://ubuntu.com/security/\(candidate)"],
                published: fields["PublicDate"].flatMap { publicDate($0.value) }, source: sourceName),
            affected: affected)
        return result
    }

    // Byte constants as literals: static stored properties cost a lazy-initialiser check on every use.
    private static var space: UInt8 { 0x20 }
    private static var tab: UInt8 { 0x09 }

    /// Splits the file into header fields (kept ones only) and release lines; lines that are neither are failures.
    private static func scanLines(_ buffer: UnsafeBufferPointer<UInt8>, file: String, fields: inout [String: Field],
                                  statusLines: inout [StatusLine], failures: inout [ImportFailure]) {
        let count = buffer.count
        let space: UInt8 = 0x20, tab: UInt8 = 0x09, colon: UInt8 = 0x3A, underscore: UInt8 = 0x5F, hash: UInt8 = 0x23
        let newline: UInt8 = 0x0A, slash: UInt8 = 0x2F
        var current: String?
        var lineNumber = 0
        var start = 0
        while start < count {
            var end = start
            while end < count && buffer[end] != newline { end += 1 }
            lineNumber += 1
            let next = end + 1
            if end > start && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            defer { start = next }
            guard end > start else {
                current = nil
                continue
            }
            let first = buffer[start]
            if first == space || first == tab {
                if let key = current { fields[key]?.lines.append(text(buffer, start, end)) }
                continue
            }
            current = nil
            if first == hash { continue }
            var colonAt = start
            var keyHasSpace = false
            var underscoreAt = -1
            var releaseHasSlash = false
            while colonAt < end && buffer[colonAt] != colon {
                let byte = buffer[colonAt]
                if byte == space || byte == tab { keyHasSpace = true }
                if byte == underscore && underscoreAt < 0 { underscoreAt = colonAt }
                if byte == slash && underscoreAt < 0 { releaseHasSlash = true }
                colonAt += 1
            }
            guard colonAt < end, colonAt > start, !keyHasSpace else {
                let shown = String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<min(end, start + 80)]), as: UTF8.self)
                failures.append(ImportFailure(file: "\(file):\(lineNumber)",
                                              reason: "line '\(shown)' is not 'Field: value' (is the file truncated?)"))
                continue
            }
            let key = text(buffer, start, colonAt)
            let value = text(buffer, colonAt + 1, end)
            if first >= UInt8(ascii: "a") && first <= UInt8(ascii: "z") && underscoreAt >= 0 {
                statusLines.append(StatusLine(line: lineNumber, key: key, release: text(buffer, start, underscoreAt),
                                              package: text(buffer, underscoreAt + 1, colonAt), value: value,
                                              pseudoRelease: releaseHasSlash))
                continue
            }
            if fields[key] == nil && (keptFields.contains(key) || key.hasPrefix("Priority_")) {
                fields[key] = Field(value: value)
                current = key
            }
        }
    }

    /// The bytes `from..<to` as a string, without surrounding spaces and tabs.
    private static func text(_ buffer: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String {
        var from = from, to = to
        while from < to && (buffer[from] == space || buffer[from] == tab) { from += 1 }
        while to > from && (buffer[to - 1] == space || buffer[to - 1] == tab) { to -= 1 }
        return from == to ? "" : String(decoding: UnsafeBufferPointer(rebasing: buffer[from..<to]), as: UTF8.self)
    }

    /// One `<release>_<source>` value (`released (1.2-3ubuntu0.1)`) read as a package record; names are filled by the
    /// caller. Throws `malformed` for an unknown status word or a value that is not `word` or `word (note)`.
    static func packageRecord(_ value: String, key: String) throws -> AffectedPackage {
        var value = value
        // (word, note, well formed)
        let (word, note, wellFormed) = value.withUTF8 { bytes -> (String, String?, Bool) in
            let count = bytes.count
            var wordEnd = 0
            while wordEnd < count && bytes[wordEnd] != space && bytes[wordEnd] != tab && bytes[wordEnd] != UInt8(ascii: "(") {
                wordEnd += 1
            }
            let word = text(bytes, 0, wordEnd)
            var restStart = wordEnd
            while restStart < count && (bytes[restStart] == space || bytes[restStart] == tab) { restStart += 1 }
            if restStart == count { return (word, nil, true) }
            guard bytes[restStart] == UInt8(ascii: "("), count - restStart >= 2, bytes[count - 1] == UInt8(ascii: ")") else {
                return (word, nil, false)
            }
            let inner = text(bytes, restStart + 1, count - 1)
            return (word, inner.isEmpty ? nil : inner, true)
        }
        guard wellFormed else {
            throw ShrikeError(.malformed, "'\(key): \(value)' is not '<status>' or '<status> (<version or note>)'")
        }
        var record = AffectedPackage(vulnerabilityID: "", namespace: "", packageName: "", ecosystem: .debian)
        switch word {
        case "released":
            guard let fixed = note else {
                throw ShrikeError(.malformed, "'\(key): \(value)': status 'released' without the version that fixed it")
            }
            guard isVersionToken(fixed) else {
                throw ShrikeError(.malformed, "'\(key): \(value)': '\(fixed)' is not a Debian version")
            }
            record.ranges = [AffectedRange(kind: .ecosystem, events: [.introduced("0"), .fixed(fixed)])]
            record.vendorStatus = "released"
        case "needed", "needs-triage", "active", "deferred":
            record.status = .notFixed
            record.vendorStatus = word
        case "pending", "released-esm":
            record.status = .notFixed
            record.vendorStatus = note.map { "\(word) (\($0))" } ?? word
        case "ignored":
            // Ubuntu's "ignored" (end of standard support, or "will not be fixed in this release") is not reported,
            // as Ubuntu's own scanners do not report it: the package is outside what Ubuntu maintains.
            record.status = .notAffected
            record.vendorStatus = word
        case "not-affected", "DNE":
            record.status = .notAffected
            record.vendorStatus = word
        default:
            throw ShrikeError(.malformed, "'\(key): \(value)': unknown status '\(word)' (expected released, needed, needs-triage, active, deferred, pending, ignored, not-affected or DNE)")
        }
        return record
    }

    // MARK: - Field helpers

    /// Ubuntu's priority words; `untriaged` (and anything else) is unknown.
    static func severity(ofPriority word: String) -> Severity {
        switch word {
        case "negligible": return .negligible
        case "low": return .low
        case "medium": return .medium
        case "high": return .high
        case "critical": return .critical
        default: return .unknown
        }
    }

    /// `medium (reduced to DoS by AppArmor)` → `medium`.
    private static func firstWord(_ value: String) -> String {
        String(value.prefix { $0 != " " && $0 != "\t" && $0 != "(" })
    }

    /// A dpkg version as one token: `[epoch:]upstream[-revision]` characters only.
    private static func isVersionToken(_ text: String) -> Bool {
        guard !text.isEmpty else { return false }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "~"), UInt8(ascii: ":"), UInt8(ascii: "-"):
                continue
            default:
                return false
            }
        }
        return true
    }

    /// `nvd: CVSS:3.1/AV:N/…` → the vector (the tracker names the scorer first).
    private static func cvssVector(_ line: String) -> String? {
        guard let range = line.range(of: "CVSS:") else { return nil }
        let vector = line[range.lowerBound...].prefix { !$0.isWhitespace }
        return vector.count > "CVSS:3.1/".count ? String(vector) : nil
    }

    /// USN ids in reference URLs, as `USN-4321-1`: `usn.ubuntu.com/4321-1/`, `usn.ubuntu.com/usn/usn-4321-1`,
    /// `www.ubuntu.com/usn/usn-4321-1/`, `ubuntu.com/security/notices/USN-4321-1`.
    static func usnIDs(in urls: [String]) -> [String] {
        var ids: [String] = []
        for url in urls {
            let lower = url.lowercased()
            var tail: Substring?
            for marker in ["ubuntu.com/security/notices/usn-", "ubuntu.com/usn/usn-", "usn.ubuntu.com/"] {
                if let range = lower.range(of: marker) {
                    tail = lower[range.upperBound...]
                    break
                }
            }
            guard var tail else { continue }
            if tail.hasPrefix("usn/usn-") { tail = tail.dropFirst("usn/usn-".count) }
            let number = tail.prefix { $0.isASCII && $0.isNumber }
            let afterNumber = tail.dropFirst(number.count)
            guard !number.isEmpty, afterNumber.hasPrefix("-") else { continue }
            let revision = afterNumber.dropFirst().prefix { $0.isASCII && $0.isNumber }
            guard !revision.isEmpty else { continue }
            let id = "USN-\(number)-\(revision)"
            if !ids.contains(id) { ids.append(id) }
        }
        return ids
    }

    private static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        return calendar
    }()

    /// `2020-03-10 20:15:00 UTC` or `2020-03-10`; nil for `unknown` and empty dates.
    static func publicDate(_ value: String) -> Date? {
        let digits = value.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        guard value.first?.isNumber == true, digits.count == 3 || digits.count >= 6 else { return nil }
        var components = DateComponents()
        components.calendar = utcCalendar
        components.timeZone = utcCalendar.timeZone
        components.year = digits[0]
        components.month = digits[1]
        components.day = digits[2]
        if digits.count >= 6 {
            components.hour = digits[3]
            components.minute = digits[4]
            components.second = digits[5]
        }
        guard components.isValidDate else { return nil }
        return components.date
    }
}

import Foundation
import ShrikeCore

/// Reads an Alpine secdb file: the archived YAML (`v3.9/main.yaml`) or the live JSON feed (`v3.9/main.json`), which
/// share the fields `distroversion`, `reponame` and `packages[].pkg{name, secfixes{fixed version: [ids]}}`.
///
/// Each id becomes a record in namespace `alpine:3.9` for the package (an apk origin) with the range
/// `introduced 0, fixed <version>`; the fixed version `0` means Alpine's package was never affected (`notAffected`).
/// The data's id entries are hand-written, so ids are read leniently and every entry that yields none is a failure:
/// `CVE-2019-5060 TALOS-2019-0844` is one vulnerability with an alias, `CVE-2017-8073.patch` and `CVE-2017-17434-1`
/// are CVE-2017-8073 and CVE-2017-17434, `CVE 2018-16859` and `CVE_2019-2426` are typos for the dash form, trailing
/// `(comments)` are ignored, and `CVE-????-?????  XSA-284` is XSA-284.
enum AlpineSecDBParser {
    struct Result {
        var source: AdvisorySource
        var records: [AdvisoryRecord]
        var failures: [ImportFailure]
    }

    static func isSecDB(_ document: AdvisoryDocument) -> Bool {
        document["distroversion"] != nil && document["packages"] != nil
    }

    static func parse(_ document: AdvisoryDocument, file: String, location: String) throws -> Result {
        guard let release = document["distroversion"]?.string, !release.isEmpty else {
            throw AdvisoryDocument.shapeError("secdb file has no 'distroversion'")
        }
        let repository = document["reponame"]?.string ?? "main"
        let version = release.hasPrefix("v") ? String(release.dropFirst()) : release
        let namespace = "alpine:\(version)"
        let source = AdvisorySource(name: "alpine-secdb:\(release)/\(repository)", kind: "alpine-secdb", location: location)
        guard let packages = document["packages"]?.array else {
            if document["packages"] == .null { return Result(source: source, records: [], failures: []) }
            throw AdvisoryDocument.shapeError("secdb 'packages' must be a list")
        }
        var failures: [ImportFailure] = []
        // id → (aliases, package → fixed versions), kept in first-seen order for stable output.
        var order: [String] = []
        var aliases: [String: [String]] = [:]
        var fixes: [String: [(package: String, fixed: String)]] = [:]

        for (index, entry) in packages.enumerated() {
            guard let package = entry["pkg"], let name = package["name"]?.string, !name.isEmpty else {
                failures.append(ImportFailure(file: "\(file)#packages[\(index)]", reason: "package entry has no pkg.name"))
                continue
            }
            guard let secfixes = package["secfixes"], secfixes != .null else { continue }
            guard let byVersion = secfixes.object else {
                failures.append(ImportFailure(file: "\(file)#\(name)", reason: "secfixes must map fixed versions to id lists"))
                continue
            }
            for fixed in byVersion.keys.sorted() {
                let where_ = "\(file)#\(name)/\(fixed)"
                guard let value = byVersion[fixed], value != .null else {
                    failures.append(ImportFailure(file: where_, reason: "fixed version \(fixed) lists no ids"))
                    continue
                }
                guard let entries = value.array else {
                    failures.append(ImportFailure(file: where_, reason: "the ids of fixed version \(fixed) must be a list"))
                    continue
                }
                for item in entries {
                    guard let text = item.string else {
                        failures.append(ImportFailure(file: where_, reason: "an id entry is not text"))
                        continue
                    }
                    let ids = vulnerabilityIDs(in: text)
                    guard let primary = ids.first else {
                        failures.append(ImportFailure(file: where_, reason: "'\(text)' holds no vulnerability id"))
                        continue
                    }
                    if fixes[primary] == nil { order.append(primary) }
                    fixes[primary, default: []].append((name, fixed))
                    for alias in ids.dropFirst() where !(aliases[primary] ?? []).contains(alias) {
                        aliases[primary, default: []].append(alias)
                    }
                }
            }
        }

        let records = order.map { id -> AdvisoryRecord in
            var byPackage: [String: [String]] = [:]
            var packageOrder: [String] = []
            for (package, fixed) in fixes[id] ?? [] {
                if byPackage[package] == nil { packageOrder.append(package) }
                if !(byPackage[package] ?? []).contains(fixed) { byPackage[package, default: []].append(fixed) }
            }
            let affected = packageOrder.map { package -> AffectedPackage in
                let versions = byPackage[package] ?? []
                let real = versions.filter { $0 != "0" }
                // Several fixed versions for one id (a fix redone in a later revision) become one range each; the
                // matcher reports a package affected when any range holds it, which errs towards reporting.
                let ranges = real.map { AffectedRange(kind: .ecosystem, events: [.introduced("0"), .fixed($0)]) }
                return AffectedPackage(vulnerabilityID: id, namespace: namespace, packageName: package,
                                       ecosystem: .alpine, ranges: ranges,
                                       status: real.isEmpty ? .notAffected : .affected)
            }
            let vulnerability = Vulnerability(id: id, aliases: aliases[id] ?? [], urls: urls(for: id), source: "alpine-secdb")
            return AdvisoryRecord(vulnerability: vulnerability, affected: affected)
        }
        return Result(source: source, records: records, failures: failures)
    }

    private static func urls(for id: String) -> [String] {
        id.hasPrefix("CVE-") ? ["https://security.alpinelinux.org/vuln/\(id)"] : []
    }

    /// The ids in one secdb entry, CVEs first, then others (XSA-207, TALOS-2019-0844, ZBX-11023), in order.
    static func vulnerabilityIDs(in text: String) -> [String] {
        let meaningful = text.split(separator: "(", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? text
        let bytes = Array(meaningful.utf8)
        var cves: [String] = []
        var index = 0
        func digits(from start: Int) -> Int {
            var end = start
            while end < bytes.count, bytes[end] >= 0x30, bytes[end] <= 0x39 { end += 1 }
            return end - start
        }
        while index + 3 < bytes.count {
            if bytes[index] == 0x43, bytes[index + 1] == 0x56, bytes[index + 2] == 0x45,  // "CVE"
               [0x2D, 0x5F, 0x20].contains(bytes[index + 3]) {                               // "-", "_", " "
                let yearStart = index + 4
                if digits(from: yearStart) == 4, yearStart + 4 < bytes.count, bytes[yearStart + 4] == 0x2D {
                    let numberStart = yearStart + 5
                    let count = digits(from: numberStart)
                    if count >= 4 {
                        let year = String(decoding: bytes[yearStart..<yearStart + 4], as: UTF8.self)
                        let number = String(decoding: bytes[numberStart..<numberStart + count], as: UTF8.self)
                        cves.append("CVE-\(year)-\(number)")
                        index = numberStart + count
                        continue
                    }
                }
            }
            index += 1
        }
        let others = meaningful.split(whereSeparator: \.isWhitespace).map(String.init).filter { token in
            !token.hasPrefix("CVE") && isOtherID(token)
        }
        var result: [String] = []
        for id in cves + others where !result.contains(id) { result.append(id) }
        return result
    }

    /// `XSA-207`, `TALOS-2019-0844`, `ZBX-11023`, `GHSA-xxxx-xxxx-xxxx`: upper-case prefix, dash, then a digit-led rest.
    private static func isOtherID(_ token: String) -> Bool {
        let parts = token.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let prefixFirst = parts[0].first, prefixFirst.isUppercase,
              parts[0].allSatisfy({ $0.isUppercase || $0.isNumber }), parts[0].count >= 2,
              let restFirst = parts[1].first else { return false }
        if parts[0] == "GHSA" { return parts[1].allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" } }
        return restFirst.isNumber && parts[1].allSatisfy { $0.isNumber || $0 == "-" }
    }
}

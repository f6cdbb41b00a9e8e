import Foundation
import ShrikeCore
import ShrikeVersions
import ShrikeVulnDB

/// An `AdvisoryStore` over arrays, recording which (namespace, name) pairs were asked for.
final class InMemoryAdvisoryStore: AdvisoryStore, @unchecked Sendable {
    // @unchecked: `lookups` is guarded by `lock`; the records never change after init.
    let records: [AffectedPackage]
    let vulnerabilities: [String: Vulnerability]
    private let lock = NSLock()
    private var recorded: [String] = []

    init(records: [AffectedPackage], vulnerabilities: [Vulnerability] = []) {
        self.records = records
        self.vulnerabilities = Dictionary(vulnerabilities.map { ($0.id, $0) }) { first, _ in first }
    }

    /// `namespace/name` for every lookup, in order.
    var lookups: [String] { lock.withLock { recorded } }

    func affected(namespace: String, packageName: String) throws -> [AffectedPackage] {
        lock.withLock { recorded.append("\(namespace)/\(packageName)") }
        return records.filter { $0.namespace == namespace && $0.packageName == packageName }
    }

    func vulnerability(id: String) throws -> Vulnerability? { vulnerabilities[id] }
}

/// Alpine secdb entries translated by hand, the way the importer files them: one record per (CVE, fixed version)
/// with the range `introduced 0, fixed V`; a fixed version `0` means the package was never affected.
enum AlpineSecfix {
    static func records(namespace: String, package: String, fixed: String, cves: [String]) -> [AffectedPackage] {
        cves.map { cve in
            fixed == "0"
                ? AffectedPackage(vulnerabilityID: cve, namespace: namespace, packageName: package, ecosystem: .alpine,
                                  status: .notAffected)
                : AffectedPackage(vulnerabilityID: cve, namespace: namespace, packageName: package, ecosystem: .alpine,
                                  ranges: [AffectedRange(kind: .ecosystem, events: [.introduced("0"), .fixed(fixed)])])
        }
    }
}

/// A small comparator for tests while the real ones are being written: runs of digits compare numerically, runs
/// of letters lexically, `.`/`_`/`+` separate, and an apk-style `-rN` revision compares last. Enough for the
/// versions these tests use (`1.1.1a-r1 < 1.1.1b-r1 < 1.1.1d-r0`, `1.10 > 1.9`); anything with other characters,
/// or not starting with a digit (after an optional `v`), is invalid.
struct SimpleVersionComparator: VersionComparator {
    func compare(_ a: String, _ b: String) throws -> Int {
        let (ua, ra) = try split(a)
        let (ub, rb) = try split(b)
        let ta = tokens(ua)
        let tb = tokens(ub)
        for (x, y) in zip(ta, tb) where x != y {
            switch (Int(x), Int(y)) {
            case let (m?, n?): return m < n ? -1 : 1
            case (.some, nil): return 1
            case (nil, .some): return -1
            default: return x < y ? -1 : 1
            }
        }
        if ta.count != tb.count { return ta.count < tb.count ? -1 : 1 }
        return ra == rb ? 0 : (ra < rb ? -1 : 1)
    }

    func validate(_ version: String) throws { _ = try split(version) }

    private func split(_ version: String) throws -> (String, Int) {
        var text = version.hasPrefix("v") ? String(version.dropFirst()) : version
        let allowed = CharacterSet(charactersIn: "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ._+-")
        guard let first = text.unicodeScalars.first, CharacterSet.decimalDigits.contains(first),
              text.unicodeScalars.allSatisfy(allowed.contains) else {
            throw ShrikeError(.malformed, "not a valid version", input: version)
        }
        var revision = 0
        if let range = text.range(of: "-r", options: .backwards), let n = Int(text[range.upperBound...]) {
            revision = n
            text = String(text[..<range.lowerBound])
        }
        return (text, revision)
    }

    private func tokens(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        for character in text {
            if character == "." || character == "_" || character == "+" || character == "-" {
                if !current.isEmpty { result.append(current) }
                current = ""
            } else if let last = current.last, last.isNumber != character.isNumber {
                result.append(current)
                current = String(character)
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { result.append(current) }
        return result
    }
}

/// A comparator that fails every comparison, standing in for an ecosystem without version rules.
struct FailingComparator: VersionComparator {
    func compare(_ a: String, _ b: String) throws -> Int {
        throw ShrikeError(.unsupportedFormat, "comparing these versions is not supported yet", input: a)
    }
    func validate(_ version: String) throws {
        throw ShrikeError(.unsupportedFormat, "comparing these versions is not supported yet", input: version)
    }
}

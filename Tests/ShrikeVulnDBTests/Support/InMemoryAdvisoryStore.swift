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

    func hasRecords(namespace: String) throws -> Bool { records.contains { $0.namespace == namespace } }
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

/// A comparator that fails every comparison, standing in for an ecosystem without version rules.
struct FailingComparator: VersionComparator {
    func compare(_ a: String, _ b: String) throws -> Int {
        throw ShrikeError(.unsupportedFormat, "comparing these versions is not supported yet", input: a)
    }
    func validate(_ version: String) throws {
        throw ShrikeError(.unsupportedFormat, "comparing these versions is not supported yet", input: version)
    }
}

import Foundation
import ShrikeCore

/// Reads the Debian security tracker's JSON (https://security-tracker.debian.org/tracker/data/json):
/// `{source package: {CVE: {description, scope, releases: {codename: {status, fixed_version, urgency, repositories}}}}}`.
///
/// Each (CVE, package, release) becomes a record in namespace `debian:<release number>` (`bookworm` → `debian:12`,
/// `sid` → `debian:unstable`; unknown codenames are kept as written) keyed by the source package:
/// - `resolved` with a `fixed_version` → affected, range `introduced 0, fixed <version>`;
/// - `fixed_version` `0` → not affected;
/// - `open` → not fixed; `undetermined` is treated as not fixed too (the tracker has not ruled it out);
/// - urgency `unimportant` → won't fix (when still open) and severity negligible; `end-of-life` → won't fix;
/// - urgency `low`/`medium`/`high` (with the tracker's `*`/`**` marks stripped) → that severity, else unknown.
enum DebianTrackerParser {
    static let releaseNumbers: [String: String] = [
        "sid": "unstable", "forky": "14", "trixie": "13", "bookworm": "12", "bullseye": "11", "buster": "10",
        "stretch": "9", "jessie": "8", "wheezy": "7", "squeeze": "6", "lenny": "5",
    ]

    struct Result {
        var records: [AdvisoryRecord]
        var failures: [ImportFailure]
    }

    /// True when the document's first package entry holds objects with a `releases` field.
    static func isTracker(_ document: AdvisoryDocument) -> Bool {
        guard let packages = document.object, document["id"] == nil, document["distroversion"] == nil else { return false }
        guard let firstPackage = packages.first?.value.object else { return false }
        return firstPackage.values.contains { $0["releases"] != nil }
    }

    static func parse(_ document: AdvisoryDocument, file: String) throws -> Result {
        guard let packages = document.object else { throw AdvisoryDocument.shapeError("tracker JSON must be an object") }
        var failures: [ImportFailure] = []
        var order: [String] = []
        var descriptions: [String: String] = [:]
        var affected: [String: [AffectedPackage]] = [:]

        for package in packages.keys.sorted() {
            guard let cves = packages[package]?.object else {
                failures.append(ImportFailure(file: "\(file)#\(package)", reason: "a package entry must map ids to objects"))
                continue
            }
            for cve in cves.keys.sorted() {
                let where_ = "\(file)#\(package)/\(cve)"
                guard let entry = cves[cve], entry.object != nil else {
                    failures.append(ImportFailure(file: where_, reason: "the entry must be an object"))
                    continue
                }
                if affected[cve] == nil {
                    order.append(cve)
                    affected[cve] = []
                }
                if descriptions[cve] == nil, let description = entry["description"]?.string { descriptions[cve] = description }
                // The tracker writes an empty list rather than an empty object when no release is tracked.
                if let list = entry["releases"]?.array, list.isEmpty { continue }
                guard let releases = entry["releases"]?.object else {
                    failures.append(ImportFailure(file: where_, reason: "'releases' must map codenames to objects"))
                    continue
                }
                for codename in releases.keys.sorted() {
                    guard let release = releases[codename], release.object != nil else {
                        failures.append(ImportFailure(file: "\(where_)/\(codename)", reason: "a release entry must be an object"))
                        continue
                    }
                    do {
                        affected[cve, default: []].append(try record(cve: cve, package: package, codename: codename, release: release))
                    } catch let error as ShrikeError {
                        failures.append(ImportFailure(file: "\(where_)/\(codename)", reason: error.message))
                    }
                }
            }
        }
        let records = order.map { cve in
            AdvisoryRecord(
                vulnerability: Vulnerability(id: cve, summary: descriptions[cve],
                                             urls: ["https://security-tracker.debian.org/tracker/\(cve)"],
                                             source: "debian-tracker"),
                affected: affected[cve] ?? [])
        }
        return Result(records: records, failures: failures)
    }

    private static func record(cve: String, package: String, codename: String, release: AdvisoryDocument) throws -> AffectedPackage {
        guard let status = release["status"]?.string else { throw AdvisoryDocument.shapeError("release has no 'status'") }
        let urgency = (release["urgency"]?.string ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "* "))
        let fixed = release["fixed_version"]?.string
        let namespace = "debian:\(releaseNumbers[codename] ?? codename)"
        var result = AffectedPackage(vulnerabilityID: cve, namespace: namespace, packageName: package, ecosystem: .debian,
                                     severity: Severity(vendorWord: urgency))
        switch status {
        case "resolved":
            guard let fixed, !fixed.isEmpty else {
                throw AdvisoryDocument.shapeError("status 'resolved' without a 'fixed_version'")
            }
            if fixed == "0" {
                result.status = .notAffected
            } else {
                result.ranges = [AffectedRange(kind: .ecosystem, events: [.introduced("0"), .fixed(fixed)])]
            }
        case "open", "undetermined":
            result.status = (urgency == "unimportant" || urgency == "end-of-life") ? .wontFix : .notFixed
        default:
            throw AdvisoryDocument.shapeError("unknown status '\(status)' (expected resolved, open or undetermined)")
        }
        return result
    }
}

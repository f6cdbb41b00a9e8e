import Foundation
import ShrikeCatalog
import ShrikeCore
import ShrikeVulnDB
@testable import ShrikeReport

/// Scan reports built on `SBOMFixtures.image`: matches of every severity and status, aliases, URLs, a package
/// without a layer, one of two packages sharing a purl, and a VEX-suppressed match.
enum ScanFixtures {
    static func package(_ name: String, version: String? = nil, index: Int = 0) -> Package {
        let candidates = SBOMFixtures.image.packages.filter { $0.name == name && (version == nil || $0.version == version) }
        return candidates[index]
    }

    static func match(_ id: String, _ package: Package, _ severity: Severity, _ status: MatchStatus,
                      fixed: String? = nil, aliases: [String] = [], urls: [String] = [],
                      namespace: String = "alpine:3.20") -> Match {
        Match(vulnerability: MatchedVulnerability(id: id, aliases: aliases, severity: severity, status: status,
                                                  fixedVersion: fixed, namespace: namespace, urls: urls),
              package: package)
    }

    static let matches: [Match] = [
        match("CVE-2019-14697", package("musl"), .critical, .fixed, fixed: "1.2.5-r1",
              urls: ["https://nvd.nist.gov/vuln/detail/CVE-2019-14697"]),
        match("CVE-2024-0001", package("musl"), .low, .notFixed),
        match("CVE-2023-4911", package("libc6"), .high, .notFixed, aliases: ["DSA-5514-1"],
              urls: ["https://security-tracker.debian.org/tracker/CVE-2023-4911"], namespace: "debian:12"),
        match("CVE-2022-3715", package("bash"), .medium, .wontFix, namespace: "redhat:9"),
        match("CVE-2024-0002", package("zlib"), .negligible, .fixed, fixed: "1.3.1-r2"),
        match("CVE-2024-0003", package("dup", index: 1), .unknown, .notFixed, namespace: "redhat:9"),
        match("CVE-2019-14697", package("zlib"), .critical, .notFixed),
    ]

    static let suppressed = [
        SuppressedMatch(match: match("CVE-2024-9999", package("busybox"), .high, .fixed, fixed: "1.36.1-r30"),
                        status: .notAffected, justification: "vulnerable_code_not_in_execute_path",
                        impactStatement: "busybox's vulnerable applet is not built"),
    ]

    static func report(showSuppressed: Bool = false) -> ScanReport {
        ScanReport(sbom: SBOMFixtures.image, matches: matches, suppressed: suppressed, showSuppressed: showSuppressed)
    }

    static let empty = ScanReport(sbom: SBOMFixtures.empty, matches: [])
}

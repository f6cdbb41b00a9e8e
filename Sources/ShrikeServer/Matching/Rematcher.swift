import Foundation
import ShrikeCatalog
import ShrikeCore
import ShrikeImage
import ShrikeVulnDB

/// Re-matching without rescans: the server matches every stored SBOM against its own advisory database (the file
/// `shrike db import|update --db PATH` writes), and again whenever that database changes, so "which images are
/// affected by CVE-X" is answered from the store without touching a node.
package actor Rematcher {
    private let store: any ServerStore
    /// The advisory database's path.
    package let advisoryPath: String
    private(set) package var lastRun: RematchReport?

    package struct RematchReport: Sendable, Equatable {
        package var advisoryVersion: String
        package var images: Int
        package var matches: Int
        package var failed: [String]
    }

    package init(store: any ServerStore, advisoryPath: String) {
        self.store = store
        self.advisoryPath = advisoryPath
    }

    /// A fingerprint of the advisory database's contents: each source's name, import time and record count.
    package func advisoryVersion() throws -> String {
        let advisories = try SQLiteAdvisoryStore(path: advisoryPath, create: true)
        defer { try? advisories.close() }
        let status = try advisories.status()
        let parts = status.sources.map { "\($0.name)@\(Int64($0.importedAt.timeIntervalSince1970 * 1000)):\($0.records)" }
        return parts.isEmpty ? "empty" : parts.sorted().joined(separator: ",")
    }

    /// Matches every SBOM whose matches are older than the advisory database (all after an import; new uploads
    /// otherwise). One SBOM that cannot be read is reported and skipped; the rest are matched.
    @discardableResult
    package func matchStale() async throws -> RematchReport {
        let version = try advisoryVersion()
        let stale = try await store.sboms(staleFor: version)
        var report = RematchReport(advisoryVersion: version, images: 0, matches: 0, failed: [])
        guard !stale.isEmpty else { return report }
        let advisories = try SQLiteAdvisoryStore(path: advisoryPath, create: true)
        defer { try? advisories.close() }
        let matcher = Matcher(store: advisories)
        for (digest, body) in stale {
            do {
                let sbom = try UploadedSBOM.decode(body)
                let rows = try matcher.match(sbom).matches.map(Self.row)
                try await store.replaceMatches(digest: digest, matches: rows, advisoryVersion: version)
                report.images += 1
                report.matches += rows.count
            } catch {
                report.failed.append("\(digest): \(error)")
            }
        }
        lastRun = report
        return report
    }

    /// Checks every `interval` until cancelled.
    package func run(every interval: Duration, log: @Sendable (String) -> Void) async {
        while !Task.isCancelled {
            do {
                let report = try await matchStale()
                if report.images > 0 || !report.failed.isEmpty {
                    log("re-matched \(report.images) images (\(report.matches) matches) against advisories "
                        + "\(report.advisoryVersion.prefix(80))" + (report.failed.isEmpty ? "" : "; failed: \(report.failed)"))
                }
            } catch {
                log("re-matching failed: \(error)")
            }
            try? await Task.sleep(for: interval)
        }
    }

    static func row(_ match: Match) -> ImageVulnerabilityRow {
        ImageVulnerabilityRow(id: match.vulnerability.id, aliases: match.vulnerability.aliases,
                              severity: match.vulnerability.severity.rawValue,
                              status: match.vulnerability.status.rawValue,
                              fixedVersion: match.vulnerability.fixedVersion, namespace: match.vulnerability.namespace,
                              package: match.package.name, version: match.package.version,
                              type: match.package.type.rawValue, purl: match.package.purl.description,
                              layer: match.package.layer?.description)
    }
}

/// An SBOM as `shrike sbom -o json` writes it, read back for matching (packages and distro are what matching needs).
struct UploadedSBOM: Decodable {
    struct Source: Decodable {
        var type: String
        var path: String
        var digest: Digest?
    }

    var source: Source
    var distro: Distro?
    var packages: [Package]

    static func decode(_ body: Data) throws -> SBOM {
        let document = try JSONDecoder().decode(UploadedSBOM.self, from: body)
        return SBOM(source: SourceDescription(type: document.source.type, path: document.source.path,
                                              digest: document.source.digest),
                    distro: document.distro, packages: document.packages)
    }
}

import Foundation
import ShrikeTestSupport
import ShrikeVulnDB

/// Paths to the real advisory subsets in Fixtures/ (see Fixtures/PROVENANCE.md) and scratch space.
enum VulnDBFixtures {
    static func path(_ relative: String) -> String {
        RepositoryFiles.path("Tests/ShrikeVulnDBTests/Fixtures/\(relative)")
    }

    /// A fresh directory under the system temporary directory.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "shrike-vulndb-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// Reads `relative` with the path importer into memory.
    static func collect(_ relative: String) throws -> CollectingAdvisorySink {
        let sink = CollectingAdvisorySink()
        try AdvisoryPathImporter(path: path(relative)).importAdvisories(into: sink)
        return sink
    }
}

extension CollectingAdvisorySink {
    func affected(_ id: String, package: String) -> [AffectedPackage] {
        allRecords.filter { $0.vulnerability.id == id }.flatMap(\.affected).filter { $0.packageName == package }
    }

    func record(_ id: String) -> AdvisoryRecord? {
        allRecords.first { $0.vulnerability.id == id }
    }
}

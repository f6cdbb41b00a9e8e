import Foundation
import ShrikeCore
import ShrikeVulnDB
import Testing

/// OSV records of distributions (AlmaLinux, Rocky, Ubuntu, Alpine) are filed under the distribution's own namespace,
/// once per CVE an erratum fixes, with the erratum's id beside it.
@Suite("OSV records of distributions")
struct OSVDistroImportTests {
    static func importing(_ json: String) throws -> CollectingAdvisorySink {
        let dir = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try json.write(toFile: dir + "/record.json", atomically: true, encoding: .utf8)
        let sink = CollectingAdvisorySink()
        try AdvisoryPathImporter(path: dir).importAdvisories(into: sink)
        return sink
    }

    static func record(id: String, summary: String, ecosystem: String, name: String, fixed: String,
                       related: [String] = [], aliases: [String] = []) -> String {
        """
        {"id": "\(id)", "summary": "\(summary)", "aliases": \(aliases), "related": \(related),
         "affected": [{"package": {"ecosystem": "\(ecosystem)", "name": "\(name)"},
                       "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "\(fixed)"}]}]}]}
        """
    }

    @Test("namespaces and names per distribution ecosystem", arguments: [
        ("AlmaLinux:9", "almalinux:9", Ecosystem.redHat), ("AlmaLinux:8", "almalinux:8", .redHat),
        ("Rocky Linux:9", "rocky:9", .redHat), ("Ubuntu:22.04:LTS", "ubuntu:22.04", .debian),
        ("Ubuntu:24.10", "ubuntu:24.10", .debian), ("Alpine:v3.20", "alpine:3.20", .alpine),
    ])
    func namespaces(_ ecosystem: String, _ namespace: String, _ rules: Ecosystem) throws {
        let sink = try Self.importing(Self.record(id: "X-1", summary: "s", ecosystem: ecosystem, name: "pcs",
                                                  fixed: "0.11.1-10.el9", related: ["CVE-2022-29970"]))
        let affected = try #require(sink.allRecords.first?.affected.first)
        #expect(affected.namespace == namespace)
        #expect(affected.ecosystem == rules)
        #expect(affected.packageName == "pcs")
    }

    @Test("an erratum becomes one record per CVE it fixes, the erratum in advisories and aliases, its severity from the title")
    func perCVE() throws {
        let sink = try Self.importing(Self.record(
            id: "ALSA-2022:4587", summary: "Important: pcs security update", ecosystem: "AlmaLinux:9", name: "pcs",
            fixed: "0.11.1-10.el9", related: ["CVE-2022-29970", "CVE-2022-1049"]))
        let records = sink.allRecords.sorted { $0.vulnerability.id < $1.vulnerability.id }
        #expect(records.map(\.vulnerability.id) == ["CVE-2022-1049", "CVE-2022-29970"])
        for record in records {
            #expect(record.vulnerability.aliases == ["ALSA-2022:4587"])
            #expect(record.vulnerability.severity == .high)
            #expect(record.affected.map(\.advisories) == [["ALSA-2022:4587"]])
            #expect(record.affected.map(\.vulnerabilityID) == [record.vulnerability.id])
            #expect(record.affected.first?.severity == .high)
        }
    }

    @Test("an erratum without CVEs keeps its own id")
    func noCVE() throws {
        let sink = try Self.importing(Self.record(id: "RLSA-2023:0001", summary: "Moderate: x update",
                                                  ecosystem: "Rocky Linux:9", name: "x", fixed: "1.0-1.el9"))
        #expect(sink.allRecords.map(\.vulnerability.id) == ["RLSA-2023:0001"])
        #expect(sink.allRecords.first?.affected.first?.advisories == [])
    }

    @Test("bug-fix and enhancement errata and Ubuntu Pro are skipped with a reason, not imported", arguments: [
        ("ALBA-2019:0973", "AlmaLinux:8", "bug-fix or enhancement"),
        ("RLEA-2022:0001", "Rocky Linux:8", "bug-fix or enhancement"),
        ("USN-1-1", "Ubuntu:Pro:18.04:LTS", "Ubuntu Pro"),
    ])
    func skipped(_ id: String, _ ecosystem: String, _ reason: String) throws {
        let sink = try Self.importing(Self.record(id: id, summary: "s", ecosystem: ecosystem, name: "p", fixed: "1",
                                                  related: ["CVE-2020-0001"]))
        #expect(sink.allRecords.flatMap(\.affected).isEmpty)
        let skips = sink.skipped.values.flatMap { $0 }
        #expect(skips.contains { $0.reason.contains(reason) }, "\(skips)")
    }
}

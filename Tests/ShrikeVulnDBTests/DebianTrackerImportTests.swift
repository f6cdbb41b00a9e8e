import Foundation
import ShrikeCore
import Testing
@testable import ShrikeVulnDB

/// Fixtures/debian-tracker/debian.json follows anchore/vunnel's test input (see PROVENANCE.md) plus hand-written
/// entries for the sub-states vunnel's sample lacks.
@Suite("Debian security tracker import")
struct DebianTrackerImportTests {
    let sink: CollectingAdvisorySink

    init() throws {
        sink = try VulnDBFixtures.collect("debian-tracker/debian.json")
    }

    func entry(_ cve: String, _ package: String, _ namespace: String) -> AffectedPackage? {
        sink.affected(cve, package: package).first { $0.namespace == namespace }
    }

    @Test("resolved with a fixed version: affected up to the fix, urgency as severity, codenames as numbers")
    func resolved() throws {
        let buster = try #require(entry("CVE-2008-7220", "prototypejs", "debian:10"))
        #expect(buster.status == .affected)
        #expect(buster.ranges == [AffectedRange(kind: .ecosystem, events: [.introduced("0"), .fixed("1.6.0.2-1")])])
        #expect(buster.severity == .high)
        #expect(buster.ecosystem == .debian)
        #expect(entry("CVE-2008-7220", "prototypejs", "debian:unstable")?.ranges.first?.fixedVersion == "1.6.0.2-1")
        #expect(entry("CVE-2013-1444", "txt2man", "debian:10")?.severity == .low)
        let bookworm = try #require(entry("CVE-2022-0456", "chromium", "debian:12"))
        #expect(bookworm.ranges.first?.fixedVersion == "98.0.4758.80-1")
        #expect(bookworm.severity == nil)  // "not yet assigned"
        #expect(entry("CVE-2022-0456", "chromium", "debian:11")?.ranges.first?.fixedVersion == "98.0.4758.80-1~deb11u1")
        #expect(sink.record("CVE-2008-7220")?.vulnerability.summary?.hasPrefix("Unspecified vulnerability") == true)
    }

    @Test("fixed_version 0 is not affected; unimportant is negligible")
    func notAffected() {
        let e = entry("CVE-2007-2383", "prototypejs", "debian:10")
        #expect(e?.status == .notAffected)
        #expect(e?.ranges == [])
        #expect(e?.severity == .negligible)
    }

    @Test("open is not fixed; open end-of-life and open unimportant are won't fix; undetermined is not fixed")
    func open() {
        #expect(entry("CVE-2023-0464", "openssl", "debian:12")?.status == .notFixed)
        #expect(entry("CVE-2023-0464", "openssl", "debian:12")?.severity == .low)
        #expect(entry("CVE-2023-0464", "openssl", "debian:13")?.status == .notFixed)
        #expect(entry("CVE-2023-0464", "openssl", "debian:13")?.severity == .medium)
        #expect(entry("CVE-2022-0456", "chromium", "debian:10")?.status == .wontFix)
        #expect(entry("CVE-2010-5298", "openssl", "debian:12")?.status == .wontFix)
        #expect(entry("CVE-2010-5298", "openssl", "debian:12")?.severity == .negligible)
    }

    @Test("an empty releases list is no record and no failure; a release without status is one failure")
    func edges() {
        #expect(sink.record("CVE-2022-0358")?.affected == [])
        #expect(sink.allFailures.count == 1)
        #expect(sink.allFailures.first?.file == "debian.json#openssl/CVE-2099-0001/bookworm")
        #expect(sink.records.keys.map(\.name) == ["debian-tracker"])
    }
}

import Foundation
import ShrikeCore
import Testing
@testable import ShrikeVersions

/// What `shrike version compare` and `shrike version check` compute (the commands only parse and print).
@Suite("shrike version compare/check")
struct VersionCommandTests {
    @Test("compare answers <, = or > through the ecosystem names and aliases", arguments: [
        ("deb", "1:1.0", "2.0", ">"), ("Debian", "1.0~rc1", "1.0", "<"), ("debian:12", "1.0", "1.0-0", "="),
        ("apk", "1.2_rc1", "1.2", "<"), ("Alpine:v3.20", "1.2-r1", "1.2-r01", "="), ("alpine", "1.2_p1", "1.2", ">"),
        ("rpm", "1.0^git1", "1.0", ">"), ("Red Hat", "1:1", "2", ">"), ("redhat", "1.0~rc1", "1.0", "<"),
    ])
    func compare(ecosystem: String, a: String, b: String, expected: String) throws {
        #expect(try Versions.order(a, b, in: Ecosystem(parsing: ecosystem)).symbol == expected)
    }

    @Test("compare refuses versions the tool refuses, naming the version", arguments: [
        (Ecosystem.debian, "1.0-"), (.debian, "a:1.0"), (.debian, ""), (.debian, "1 0"), (.debian, "1:"),
        (.alpine, ""), (.alpine, "1.0 "), (.redHat, ""), (.redHat, "1.0\n"),
    ])
    func compareRefuses(ecosystem: Ecosystem, version: String) {
        do {
            _ = try Versions.order(version, "1.0", in: ecosystem)
            Issue.record("\(ecosystem) accepted \"\(version)\"")
        } catch let error as ShrikeError {
            #expect(error.code == .malformed)
            #expect(error.input == version)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("an unknown ecosystem is a usage error")
    func unknownEcosystem() {
        #expect(throws: ShrikeError.self) { try Ecosystem(parsing: "slackware") }
    }

    @Test("check prints each mismatch with its line, then the counts")
    func checkReport() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-vectors-\(UUID()).txt").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "# dpkg\n1.0 < 2.0\n\n2.0 < 1.0\n1.0~rc1 = 1.0\n1.0- < 2\n".write(toFile: path, atomically: true, encoding: .utf8)
        let report = try VersionVectorFile(contentsOf: path).check(with: Versions.comparator(for: .debian))
        #expect(report.passed == 1)
        #expect(report.failed == 3)
        let lines = report.rendered.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines[0] == "line 4: 2.0 < 1.0: computed >")
        #expect(lines[1] == "line 5: 1.0~rc1 = 1.0: computed <")
        #expect(lines[2].hasPrefix("line 6: 1.0- < 2: error: 1.0-: "))
        #expect(lines[3] == "1 passed, 3 failed")
        #expect(lines[4] == "")
    }

    @Test("check of a clean file reports no failures")
    func checkClean() throws {
        let report = try VersionVectorFile(parsing: "1.0 < 1.1\n1.1 > 1.0\n1.0 = 1.0\n", name: "clean")
            .check(with: Versions.comparator(for: .alpine))
        #expect(report.rendered == "3 passed, 0 failed\n")
    }

    @Test("check of a missing file throws io naming it")
    func checkMissingFile() {
        do {
            _ = try VersionVectorFile(contentsOf: "/nonexistent/shrike-vectors.txt")
            Issue.record("a missing file was read")
        } catch let error as ShrikeError {
            #expect(error.code == .io)
            #expect(error.input == "/nonexistent/shrike-vectors.txt")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}

import ShrikeCore
import Testing
@testable import ShrikeVersions

/// The vector files from osv-scalibr (Fixtures/versions): every line must hold.
@Suite("Version vector files")
struct VersionVectorFileTests {
    @Test("every line of the vector file holds", arguments: [
        ("debian-versions.txt", Ecosystem.debian),
        ("alpine-versions.txt", Ecosystem.alpine),
        ("redhat-versions.txt", Ecosystem.redHat),
    ])
    func vectorFile(file: String, ecosystem: Ecosystem) throws {
        let vectors = try VersionVectorFile(parsing: VersionFixtures.text("versions/\(file)"), name: file)
        #expect(vectors.entries.count >= 30, "the file parsed to too few lines to mean anything")
        let report = try vectors.check(with: Versions.comparator(for: ecosystem))
        for failure in report.failures {
            Issue.record("\(file) \(failure)")
        }
        #expect(report.passed == vectors.entries.count)
    }

    @Test("comments, blank lines and CRLF are skipped; line numbers count every line")
    func parsing() throws {
        let file = try VersionVectorFile(parsing: "# a comment\r\n\r\n// another\r\n1.0 < 2.0\r\n  2.0\t>\t1.0  \n", name: "x")
        #expect(file.entries.map(\.lineNumber) == [4, 5])
        #expect(file.entries.map(\.expected) == [.less, .greater])
        #expect(file.entries[1].a == "2.0" && file.entries[1].b == "1.0")
    }

    @Test("a line that is not A <op> B throws, naming the file and line", arguments: ["1.0 <= 2.0", "1.0 <", "1 < 2 < 3"])
    func malformedLine(line: String) {
        #expect(throws: ShrikeError.self) { try VersionVectorFile(parsing: "# ok\n\(line)\n", name: "vectors.txt") }
        do {
            _ = try VersionVectorFile(parsing: "# ok\n\(line)\n", name: "vectors.txt")
        } catch let error as ShrikeError {
            #expect(error.code == .malformed)
            #expect(error.description.hasPrefix("vectors.txt: line 2 "))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}

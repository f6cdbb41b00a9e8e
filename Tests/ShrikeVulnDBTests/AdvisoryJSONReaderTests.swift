import Foundation
import ShrikeCore
import ShrikeTestSupport
import Testing
@testable import ShrikeVulnDB

/// The JSON reader every advisory import goes through: scalars kept as written, the grammar enforced, hostile input
/// refused with an error naming the offset; and the hand-written JSON of stored ranges read back exactly.
@Suite("Advisory JSON reader")
struct AdvisoryJSONReaderTests {
    static func parse(_ text: String) throws -> AdvisoryDocument { try AdvisoryJSONReader.parse(Data(text.utf8)) }

    @Test("values", arguments: [
        (#"{"a": "x", "b": [1, 1.10, -0.5e3, true, false, null], "c": {}}"#,
         AdvisoryDocument.object(["a": .scalar("x"), "b": .array([.scalar("1"), .scalar("1.10"), .scalar("-0.5e3"),
                                                                 .scalar("true"), .scalar("false"), .null]),
                                  "c": .object([:])])),
        (#"  [ ]  "#, .array([])),
        (#""\u00e9\n\t\"\\\/\ud83d\ude00""#, .scalar("é\n\t\"\\/😀")),
        (#""\ud800x""#, .scalar("\u{FFFD}x")),
        ("\u{FEFF}{\"k\": \"v\"}", .object(["k": .scalar("v")])),
        (#"{"k": 1, "k": 2}"#, .object(["k": .scalar("2")])),
    ])
    func values(_ text: String, _ expected: AdvisoryDocument) throws {
        #expect(try Self.parse(text) == expected)
    }

    @Test("the same documents as JSONSerialization reads, on real OSV records")
    func agreesWithFoundation() throws {
        let root = RepositoryFiles.path("Tests/ShrikeVulnDBTests/Fixtures")
        let files = try #require(FileManager.default.enumerator(atPath: root)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".json") }.prefix(200)
        #expect(files.count >= 5)
        for file in files {
            let data = try Data(contentsOf: URL(fileURLWithPath: root + "/" + file))
            guard let foundation = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                // The deliberately broken fixtures (osv-broken/) must be refused by both.
                #expect(throws: ShrikeError.self, "\(file)") { try AdvisoryJSONReader.parse(data) }
                continue
            }
            let document = try AdvisoryJSONReader.parse(data)
            #expect(document["id"]?.string == foundation["id"] as? String, "\(file)")
            #expect(document["affected"]?.array?.count == (foundation["affected"] as? [Any])?.count, "\(file)")
            #expect(document["details"]?.string == foundation["details"] as? String, "\(file)")
            #expect(document.object?.count == foundation.count, "\(file)")
        }
    }

    @Test("malformed input is an error with the offset", arguments: [
        "", "{", #"{"a" 1}"#, #"{"a": 1,}"#, "[1 2]", #""abc"#, #""\x""#, #""\u12""#, "01", "1.", "-", "1e", "tru",
        "{} x", "\"a\u{01}b\"", #"{1: 2}"#,
    ])
    func malformed(_ text: String) {
        let error = #expect(throws: ShrikeError.self) { try Self.parse(text) }
        #expect(error?.code == .malformed)
        #expect(error?.message.contains("not valid JSON") == true)
        #expect(error?.message.contains("at byte") == true)
    }

    @Test("nesting past the bound is refused, not a stack overflow")
    func deep() {
        let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let error = #expect(throws: ShrikeError.self) { try Self.parse(text) }
        #expect(error?.message.contains("nested deeper than 256") == true)
        #expect(throws: Never.self) { try Self.parse(String(repeating: "[", count: 200) + String(repeating: "]", count: 200)) }
    }

    @Test("invalid UTF-8 inside a string is refused")
    func invalidUTF8() {
        #expect(throws: ShrikeError.self) { try AdvisoryJSONReader.parse(Data([0x22, 0xFF, 0xFE, 0x22])) }
    }

    @Test("stored ranges and string lists read back exactly, whatever the text holds")
    func storedRoundTrip() throws {
        let ranges = [
            AffectedRange(kind: .ecosystem, events: [.introduced("0"), .fixed("1:2.3-4.el9_2\"\\/\n\u{01}é")]),
            AffectedRange(kind: .semver, events: [.introduced("1.0.0"), .lastAffected("1.2.3"), .limit("2")]),
        ]
        let text = try #require(StoredJSON.encode(ranges))
        #expect(try StoredJSON.decodeRanges(text) == ranges)
        let strings = ["USN-4321-1", "a\"b\\c\td", ""]
        #expect(try StoredJSON.decodeStrings(StoredJSON.encode(strings)) == strings)
        #expect(StoredJSON.encode([String]()) == nil)
        #expect(StoredJSON.encode([AffectedRange]()) == nil)
    }
}

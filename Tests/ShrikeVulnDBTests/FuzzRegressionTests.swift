import Foundation
import ShrikeCore
import ShrikeTestSupport
import Testing
@testable import ShrikeVulnDB

/// Inputs with which the libFuzzer targets of Fuzz/ crashed an importer (docs/fuzzing.md). Each is committed in
/// `Fuzz/Regressions/<target>/` and imported here laid out as its target lays it out; it must now end in a
/// `ShrikeError` or a result. Before its fix each of them killed the test process.
@Suite("fuzzing regressions")
struct FuzzRegressionTests {
    /// What importing a regression input must give.
    enum Outcome: Sendable {
        /// The import throws this code, with a message holding the text.
        case error(ShrikeError.Code, containing: String)
        /// The import succeeds, recording a failure whose reason holds the text.
        case failure(containing: String)
    }

    struct Regression: Sendable, CustomTestStringConvertible {
        var target: String
        var file: String
        var outcome: Outcome
        var testDescription: String { "\(target)/\(file)" }
    }

    static let regressions = [
        // `<!--\xFF--><oval_definitions `: FoundationXML's XMLParser force-unwrapped the comment's text.
        Regression(target: "fuzz-xml", file: "comment-not-utf8.xml", outcome: .error(.malformed, containing: "not UTF-8")),
    ]

    /// Writes `bytes` where fuzz target `target` writes its input and returns the path it imports (see
    /// Fuzz/Sources/<target>/main.swift).
    static func layOut(_ bytes: Data, for target: String, in directory: String) throws -> String {
        let files = ["fuzz-osv": "input.json", "fuzz-advisory-yaml": "input.yaml", "fuzz-xml": "input.xml",
                     "fuzz-xml-gz": "input.xml.gz", "fuzz-advisory-archive": "input.tar.gz"]
        if target == "fuzz-ubuntu-tracker" {
            let tree = directory + "/ubuntu-cve-tracker"
            try FileManager.default.createDirectory(atPath: tree + "/active", withIntermediateDirectories: true)
            try bytes.write(to: URL(fileURLWithPath: tree + "/active/CVE-2020-0001"))
            return tree
        }
        let name = try #require(files[target], "no layout for fuzz target \(target): add it here")
        try bytes.write(to: URL(fileURLWithPath: directory + "/" + name))
        return directory + "/" + name
    }

    @Test("a past crash now imports or fails cleanly", arguments: regressions)
    func regression(_ regression: Regression) throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: RepositoryFiles.path("Fuzz/Regressions/\(regression.target)/\(regression.file)")))
        let directory = try VulnDBFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = try Self.layOut(bytes, for: regression.target, in: directory)
        let sink = CollectingAdvisorySink()
        switch regression.outcome {
        case .error(let code, let text):
            let error = #expect(throws: ShrikeError.self) { try AdvisoryPathImporter(path: path).importAdvisories(into: sink) }
            #expect(error?.code == code)
            #expect(error?.message.contains(text) == true, "\(error?.message ?? "no error")")
        case .failure(let text):
            try AdvisoryPathImporter(path: path).importAdvisories(into: sink)
            #expect(sink.allFailures.contains { $0.reason.contains(text) }, "\(sink.allFailures)")
        }
    }

    @Test("every committed regression input has a case above")
    func everyInputIsTested() throws {
        let root = RepositoryFiles.path("Fuzz/Regressions")
        var committed: Set<String> = []
        for target in try FileManager.default.contentsOfDirectory(atPath: root) {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root + "/" + target, isDirectory: &isDirectory), isDirectory.boolValue else { continue }
            for file in try FileManager.default.contentsOfDirectory(atPath: root + "/" + target) { committed.insert("\(target)/\(file)") }
        }
        #expect(committed == Set(Self.regressions.map(\.testDescription)))
    }
}

/// The UTF-8 check in front of `XMLParser` (the fix for the crash above).
@Suite("XML input must be UTF-8")
struct XMLInputEncodingTests {
    /// Swift's own UTF-8 decoder, the reference: where it first reports an error, or nil.
    static func referenceFirstInvalid(_ bytes: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded): offset += encoded.count
            case .emptyInput: return nil
            case .error: return offset
            }
        }
    }

    @Test("valid and invalid sequences", arguments: [
        ([0x3C, 0x61, 0x2F, 0x3E], nil),                  // <a/>
        ([0xEF, 0xBB, 0xBF, 0x3C], nil),                  // byte-order mark
        ([0x41, 0xE2, 0x82, 0xAC], nil),                  // A€
        ([0xF0, 0x9F, 0x98, 0x80], nil),                  // U+1F600
        ([0xF4, 0x8F, 0xBF, 0xBF], nil),                  // U+10FFFF
        ([0x3C, 0x21, 0xFF], 2),                          // a byte UTF-8 never uses
        ([0x41, 0x80], 1),                                // a lone continuation byte
        ([0xC0, 0x80], 0),                                // an overlong NUL
        ([0xE0, 0x80, 0xAF], 0),                          // an overlong '/'
        ([0xED, 0xA0, 0x80], 0),                          // a surrogate, U+D800
        ([0xF4, 0x90, 0x80, 0x80], 0),                    // past U+10FFFF
        ([0x41, 0xE2, 0x82], 1),                          // cut short at the end
        ([0xE2, 0x41, 0xAC], 0),                          // a continuation byte missing
    ] as [([UInt8], Int?)])
    func sequences(_ bytes: [UInt8], _ expected: Int?) {
        #expect(XMLInputEncoding.firstInvalidUTF8(Data(bytes)) == expected)
        #expect(Self.referenceFirstInvalid(bytes) == expected, "the table itself is wrong")
    }

    @Test("agrees with Swift's decoder on 5,000 random byte strings")
    func random() {
        // Seeded so a failure repeats; bytes drawn mostly from the ranges where UTF-8's rules are subtle.
        var generator = SplitMix64(seed: 20_260_106)
        let interesting: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0,
                                    0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF]
        for _ in 0..<5_000 {
            let length = Int(generator.next() % 12)
            let bytes = (0..<length).map { _ in interesting[Int(generator.next() % UInt64(interesting.count))] }
            #expect(XMLInputEncoding.firstInvalidUTF8(Data(bytes)) == Self.referenceFirstInvalid(bytes), "\(bytes)")
        }
    }

    @Test("OVAL and updateinfo with a byte that is not UTF-8 are malformed, not a crash", arguments: [
        "<!--\u{FF}--><oval_definitions>", "<!--\u{FF}--><updates>",
    ])
    func parsersRefuse(_ template: String) throws {
        // The template's U+00FF stands for the single byte 0xFF.
        let bytes = Data(template.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
        let error = #expect(throws: ShrikeError.self) {
            if template.contains("oval") {
                _ = try OVALParser.parse(bytes, file: "x.xml", location: "x.xml")
            } else {
                _ = try UpdateInfoParser.parse(bytes, file: "x.xml", location: "x.xml")
            }
        }
        #expect(error?.code == .malformed)
    }
}

/// A small seeded generator (SplitMix64), so the random test repeats exactly.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

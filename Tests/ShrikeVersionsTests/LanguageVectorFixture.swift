import Foundation
import ShrikeCore
import ShrikeTestSupport
import ShrikeVersions
import Testing

/// A vector file: lines `A <op> B` with op one of `<`, `=`, `>`; blank lines and `#`/`//` comments skipped.
struct LanguageVectorFixture {
    struct Vector {
        var line: Int
        var a: String
        var expected: Int
        var b: String
    }

    var vectors: [Vector] = []

    /// Loads `Fixtures/versions/<name>`; a line that is not three fields with a known operator fails the test.
    init(named name: String) throws {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/versions/\(name)", withExtension: nil),
                               "fixture \(name) is missing")
        let text = try String(contentsOf: url, encoding: .utf8)
        for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("//") { continue }
            let fields = line.split(separator: " ")
            let expected = ["<": -1, "=": 0, ">": 1][fields.count == 3 ? String(fields[1]) : ""]
            guard let expected else {
                Issue.record("\(name):\(offset + 1): not 'A <op> B': \(line)")
                continue
            }
            vectors.append(Vector(line: offset + 1, a: String(fields[0]), expected: expected, b: String(fields[2])))
        }
    }

    /// Every vector checked both ways round (`A op B` and `B -op A`); returns one message per failing line.
    func failures(for ecosystem: Ecosystem, file: String) -> [String] {
        let comparator = Versions.comparator(for: ecosystem)
        let symbol = [-1: "<", 0: "=", 1: ">"]
        return vectors.compactMap { v in
            do {
                let forward = try comparator.compare(v.a, v.b).signum()
                let backward = try comparator.compare(v.b, v.a).signum()
                if forward == v.expected && backward == -v.expected { return nil }
                return "\(file):\(v.line): expected \(v.a) \(symbol[v.expected]!) \(v.b), got \(v.a) \(symbol[forward]!) \(v.b)"
                    + " and \(v.b) \(symbol[backward]!) \(v.a)"
            } catch {
                return "\(file):\(v.line): \(error)"
            }
        }
    }
}

/// Runs a Python snippet with the `packaging` library, for tests that let PyPA's own code judge Shrike.
enum PythonPackaging {
    static let available: Bool = {
        guard ExternalTool.find("python3") != nil else { return false }
        return (try? run("import packaging.version", input: []))?.status == 0
    }()

    static func run(_ script: String, input: [UInt8]) throws -> (status: Int32, stdout: String, stderr: String) {
        let python = try #require(ExternalTool.find("python3"))
        let result = try ExternalTool.runCapturingBytes(executable: python, arguments: ["-c", script],
                                                         environment: nil, input: input)
        return (result.status, String(decoding: result.stdout, as: UTF8.self), result.stderr)
    }
}

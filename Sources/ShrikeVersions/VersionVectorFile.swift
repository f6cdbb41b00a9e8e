import Foundation
import ShrikeCore

/// A file of expected version orderings, one `A <op> B` per line (op one of `<`, `=`, `>`), as osv-scalibr's
/// `semantic/testdata` files and `shrike version check` use them.
///
/// Blank lines and lines starting with `#` or `//` are skipped. Any other line that is not three fields with a
/// valid operator in the middle makes parsing throw `malformed`, naming the file and line: a check that silently
/// skipped lines would pass for the wrong reason.
public struct VersionVectorFile: Sendable {
    /// One expectation.
    public struct Entry: Sendable, Equatable {
        /// 1-based line number in the file.
        public let lineNumber: Int
        /// The line as written, without surrounding whitespace.
        public let text: String
        public let a: String
        public let expected: VersionOrder
        public let b: String
    }

    public let name: String
    public let entries: [Entry]

    /// Parses `text`; `name` names the file in errors.
    public init(parsing text: String, name: String) throws {
        self.name = name
        var entries: [Entry] = []
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix("//") { continue }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            guard fields.count == 3, let order = VersionOrder(rawValue: fields[1]) else {
                throw ShrikeError(.malformed,
                                  "line \(index + 1) is not \"A <op> B\" with op one of <, =, >: \(line)",
                                  input: name)
            }
            entries.append(Entry(lineNumber: index + 1, text: line, a: fields[0], expected: order, b: fields[2]))
        }
        self.entries = entries
    }

    /// Reads and parses the file at `path`; throws `io` when it cannot be read.
    public init(contentsOf path: String) throws {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ShrikeError(.io, "cannot read the version file: \(error.localizedDescription)", input: path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ShrikeError(.malformed, "the version file is not UTF-8 text", input: path)
        }
        try self.init(parsing: text, name: path)
    }

    /// Compares every entry with `comparator`. An entry whose versions the comparator refuses counts as failed,
    /// with the error as what was computed. Throws `unsupportedFormat` when the comparator cannot compare at all.
    public func check(with comparator: any VersionComparator) throws -> VersionCheckReport {
        var passed = 0
        var failures: [VersionCheckReport.Failure] = []
        for entry in entries {
            do {
                let computed = VersionOrder(sign: try comparator.compare(entry.a, entry.b))
                if computed == entry.expected {
                    passed += 1
                } else {
                    failures.append(.init(entry: entry, computed: .order(computed)))
                }
            } catch let error as ShrikeError where error.code == .unsupportedFormat {
                throw error
            } catch {
                failures.append(.init(entry: entry, computed: .error(String(describing: error))))
            }
        }
        return VersionCheckReport(passed: passed, failures: failures)
    }
}

/// What `VersionVectorFile.check(with:)` found.
public struct VersionCheckReport: Sendable, Equatable {
    public struct Failure: Sendable, Equatable, CustomStringConvertible {
        public enum Computed: Sendable, Equatable {
            case order(VersionOrder)
            /// The comparator threw; the error's one-line description.
            case error(String)
        }

        public let entry: VersionVectorFile.Entry
        public let computed: Computed

        /// `line 12: 1.0 < 0.9: computed >` or `line 3: 1- < 1: error: …`.
        public var description: String {
            switch computed {
            case .order(let order): "line \(entry.lineNumber): \(entry.text): computed \(order)"
            case .error(let message): "line \(entry.lineNumber): \(entry.text): error: \(message)"
            }
        }
    }

    public let passed: Int
    public let failures: [Failure]

    public var failed: Int { failures.count }

    /// `N passed, M failed`.
    public var summary: String { "\(passed) passed, \(failed) failed" }

    /// Each failure on its own line, then the summary: what `shrike version check` prints.
    public var rendered: String {
        (failures.map(\.description) + [summary]).joined(separator: "\n") + "\n"
    }
}

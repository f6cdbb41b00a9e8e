import Foundation
import ShrikeCore

/// Turns Dockerfile text into instructions as BuildKit reads it: parser directives at the top (`# escape=`,
/// `# syntax=`), comment lines, line continuations with the escape character (comment and empty lines inside a
/// continuation are skipped), heredocs after `RUN`, `COPY` and `ADD` (several per line, `<<-` strips tabs, quoted
/// delimiters), `ONBUILD` triggers, leading `--flags` and JSON exec form.
///
/// A pure function of the text: throws `ShrikeError` with `.limitExceeded` for a logical line over the limit,
/// `.unterminatedHeredoc` for a heredoc that never ends and `.malformed` for an unknown instruction or a bad
/// `escape` directive. The message names the line; callers add the file with `naming(_:)`.
public struct DockerfileParser: Sendable {
    public var limits: DockerfileLimits

    public init(limits: DockerfileLimits = DockerfileLimits()) {
        self.limits = limits
    }

    /// The instruction words BuildKit knows.
    public static let keywords: Set<String> = [
        "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER",
        "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
    ]

    private static let heredocKeywords: Set<String> = ["RUN", "COPY", "ADD"]
    private static let flagKeywords: Set<String> = ["FROM", "RUN", "COPY", "ADD", "HEALTHCHECK"]
    private static let execFormKeywords: Set<String> = ["RUN", "CMD", "ENTRYPOINT", "SHELL", "COPY", "ADD", "VOLUME"]

    /// Reads bytes: rejects files over `maxFileBytes`, with NUL bytes or that are not UTF-8, then parses.
    public func parse(bytes: [UInt8]) throws -> Dockerfile {
        guard bytes.count <= limits.maxFileBytes else {
            throw ShrikeError(.limitExceeded,
                              "is \(bytes.count) bytes, over the \(limits.maxFileBytes)-byte limit for a Dockerfile; is it the right file?")
        }
        if let nul = bytes.firstIndex(of: 0) {
            throw ShrikeError(.binaryFile, "has a NUL byte at offset \(nul): a binary file, not a Dockerfile")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ShrikeError(.binaryFile, "is not UTF-8 text: a binary file, not a Dockerfile")
        }
        return try parse(text)
    }

    public func parse(_ text: String) throws -> Dockerfile {
        var body = Substring(text)
        if body.hasPrefix("\u{feff}") { body = body.dropFirst() }
        // "\r\n" is one Character, so it is a separator of its own; a lone trailing "\r" is dropped too.
        let lines = body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).map { line in
            line.last == "\r" ? line.dropLast() : line
        }
        for (index, line) in lines.enumerated() where line.utf8.count > limits.maxLineBytes {
            throw ShrikeError(.limitExceeded,
                              "line \(index + 1) is \(line.utf8.count) bytes, over the \(limits.maxLineBytes)-byte limit for a line")
        }
        var file = Dockerfile(instructions: [])
        var index = 0
        index = try readDirectives(lines, into: &file)
        while index < lines.count {
            let line = lines[index]
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.isEmpty {
                index += 1
            } else if trimmed.first == "#" {
                file.comments.append(DockerfileComment(line: index + 1, text: trimmed.dropFirst().trimming([" ", "\t"])))
                index += 1
            } else {
                let start = index
                var logical = ""
                index = try readLogicalLine(lines, from: index, escape: file.escape, into: &logical)
                var instruction = try makeInstruction(logical, line: start + 1, escape: file.escape)
                if Self.heredocKeywords.contains(instruction.keyword) || instruction.trigger.map({ Self.heredocKeywords.contains($0.keyword) }) == true {
                    let markers = Self.heredocMarkers(in: instruction.trigger?.arguments ?? instruction.arguments)
                    var heredocs: [Heredoc] = []
                    for marker in markers {
                        heredocs.append(try readHeredoc(marker, lines: lines, index: &index, instructionLine: start + 1))
                    }
                    if instruction.trigger != nil, var trigger = instruction.trigger {
                        trigger.heredocs = heredocs
                        instruction = Instruction(keyword: instruction.keyword, line: instruction.line,
                                                  flags: instruction.flags, arguments: instruction.arguments,
                                                  execForm: instruction.execForm, heredocs: heredocs, trigger: trigger)
                    } else {
                        instruction.heredocs = heredocs
                    }
                }
                file.instructions.append(instruction)
            }
        }
        return file
    }

    /// Parser directives: `# key=value` lines at the very top; the first other line (even an empty one) ends them.
    private func readDirectives(_ lines: [Substring], into file: inout Dockerfile) throws -> Int {
        var index = 0
        while index < lines.count, let (key, value) = Self.directive(lines[index]), file.directives[key] == nil {
            file.directives[key] = value
            if key == "escape" {
                guard value == "\\" || value == "`" else {
                    throw ShrikeError(.malformed,
                                      "line \(index + 1): the escape directive must be \\ or `, not \"\(value)\"")
                }
                file.escape = value == "`" ? "`" : "\\"
            }
            file.comments.append(DockerfileComment(line: index + 1, text: lines[index].drop { $0 == " " || $0 == "\t" }.dropFirst().trimming([" ", "\t"])))
            index += 1
        }
        return index
    }

    private static func directive(_ line: Substring) -> (String, String)? {
        var rest = line.drop { $0 == " " || $0 == "\t" }
        guard rest.first == "#" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
        let key = rest.prefix { $0.isLetter || $0.isNumber }
        guard !key.isEmpty else { return nil }
        rest = rest.dropFirst(key.count).drop { $0 == " " || $0 == "\t" }
        guard rest.first == "=" else { return nil }
        let value = rest.dropFirst().trimming([" ", "\t"])
        guard !value.isEmpty, !value.contains(" ") else { return nil }
        return (key.lowercased(), value)
    }

    /// Joins a line and its continuations (a line ending in the escape character, then optional blanks); comment and
    /// empty lines inside are skipped, as BuildKit does. Returns the index after the last line used.
    private func readLogicalLine(_ lines: [Substring], from start: Int, escape: Character, into logical: inout String) throws -> Int {
        var index = start
        var first = true
        while index < lines.count {
            let line = lines[index]
            index += 1
            if !first {
                let trimmed = line.drop { $0 == " " || $0 == "\t" }
                if trimmed.isEmpty || trimmed.first == "#" { continue }
            }
            first = false
            let content = line.trimmingTrailingBlanks()
            if content.last == escape {
                logical += content.dropLast()
                if logical.utf8.count > limits.maxLineBytes { throw overLong(start) }
                continue
            }
            logical += line
            if logical.utf8.count > limits.maxLineBytes { throw overLong(start) }
            return index
        }
        return index
    }

    private func overLong(_ start: Int) -> ShrikeError {
        ShrikeError(.limitExceeded,
                    "the instruction on line \(start + 1) is over the \(limits.maxLineBytes)-byte limit for a line")
    }

    private func makeInstruction(_ logical: String, line: Int, escape: Character) throws -> Instruction {
        let text = logical.drop { $0 == " " || $0 == "\t" }
        let word = text.prefix { $0 != " " && $0 != "\t" }
        let keyword = word.uppercased()
        guard Self.keywords.contains(keyword) else {
            let shown = TerminalText.safe(String(word.prefix(40)))
            throw ShrikeError(.malformed,
                              "line \(line): unknown instruction \"\(shown)\"; a Dockerfile line starts with FROM, RUN, COPY, … (is a line continuation missing?)")
        }
        var rest = text.dropFirst(word.count).drop { $0 == " " || $0 == "\t" }
        if keyword == "ONBUILD" {
            let trigger = try makeInstruction(String(rest), line: line, escape: escape)
            return Instruction(keyword: keyword, line: line, arguments: String(rest), trigger: trigger)
        }
        var flags: [InstructionFlag] = []
        if Self.flagKeywords.contains(keyword) {
            while rest.hasPrefix("--") {
                let flag = rest.prefix { $0 != " " && $0 != "\t" }
                let spelled = flag.dropFirst(2)
                if let equals = spelled.firstIndex(of: "=") {
                    let value = String(spelled[spelled.index(after: equals)...])
                    flags.append(InstructionFlag(name: String(spelled[..<equals]), value: ArgumentWords.split(value).first ?? ""))
                } else {
                    flags.append(InstructionFlag(name: String(spelled), value: nil))
                }
                rest = rest.dropFirst(flag.count).drop { $0 == " " || $0 == "\t" }
            }
        }
        let arguments = rest.trimmingTrailingBlanks()
        var execForm: [String]?
        if Self.execFormKeywords.contains(keyword) { execForm = Self.jsonArray(String(arguments)) }
        return Instruction(keyword: keyword, line: line, flags: flags, arguments: String(arguments), execForm: execForm)
    }

    /// The exec form: a JSON array of strings (escapes as JSON has them); anything else is shell form.
    static func jsonArray(_ text: String) -> [String]? {
        guard text.first == "[", text.last == "]" else { return nil }
        return try? JSONDecoder().decode([String].self, from: Data(text.utf8))
    }

    struct HeredocMarker: Equatable {
        var delimiter: String
        var stripsTabs: Bool
        var quoted: Bool
    }

    /// `<<WORD`, `<<-WORD`, `<<"WORD"`, `<<'WORD'` outside quotes, in order (`<<<` is a here-string, not a heredoc).
    static func heredocMarkers(in text: String) -> [HeredocMarker] {
        var markers: [HeredocMarker] = []
        let characters = Array(text)
        var quote: Character?
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if let open = quote {
                if character == open { quote = nil }
                index += 1
                continue
            }
            if character == "\"" || character == "'" {
                quote = character
                index += 1
                continue
            }
            guard character == "<", index + 1 < characters.count, characters[index + 1] == "<",
                  index + 2 >= characters.count || characters[index + 2] != "<",
                  index == 0 || characters[index - 1] != "<" else {
                index += 1
                continue
            }
            var cursor = index + 2
            var stripsTabs = false
            if cursor < characters.count, characters[cursor] == "-" {
                stripsTabs = true
                cursor += 1
            }
            var quoted = false
            var closing: Character?
            if cursor < characters.count, characters[cursor] == "\"" || characters[cursor] == "'" {
                closing = characters[cursor]
                quoted = true
                cursor += 1
            }
            var word = ""
            while cursor < characters.count, characters[cursor].isLetter || characters[cursor].isNumber
                || characters[cursor] == "_" || characters[cursor] == "-" || characters[cursor] == "." {
                word.append(characters[cursor])
                cursor += 1
            }
            if let closing {
                guard cursor < characters.count, characters[cursor] == closing else { index = cursor; continue }
                cursor += 1
            }
            if !word.isEmpty, word.first?.isNumber == false {
                markers.append(HeredocMarker(delimiter: word, stripsTabs: stripsTabs, quoted: quoted))
            }
            index = cursor
        }
        return markers
    }

    private func readHeredoc(_ marker: HeredocMarker, lines: [Substring], index: inout Int, instructionLine: Int) throws -> Heredoc {
        let first = index + 1
        var body: [Substring] = []
        var size = 0
        while index < lines.count {
            var line = lines[index]
            index += 1
            if marker.stripsTabs { line = line.drop { $0 == "\t" } }
            if line == marker.delimiter {
                return Heredoc(delimiter: marker.delimiter, stripsTabs: marker.stripsTabs, quoted: marker.quoted,
                               body: body.joined(separator: "\n"), line: first)
            }
            size += line.utf8.count + 1
            if size > limits.maxLineBytes { throw overLong(instructionLine - 1) }
            body.append(line)
        }
        throw ShrikeError(.unterminatedHeredoc,
                          "line \(instructionLine): the heredoc <<\(marker.delimiter) is never closed; add a line holding only \(marker.delimiter)")
    }
}

extension StringProtocol {
    func trimmingTrailingBlanks() -> SubSequence {
        var end = endIndex
        while end > startIndex {
            let before = index(before: end)
            guard self[before] == " " || self[before] == "\t" else { break }
            end = before
        }
        return self[startIndex..<end]
    }
}

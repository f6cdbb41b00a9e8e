/// A comment line (`# …`) outside any instruction, with what it asks of the linter.
public struct DockerfileComment: Sendable, Equatable {
    public var line: Int
    /// The text after `#`, trimmed.
    public var text: String

    public init(line: Int, text: String) {
        self.line = line
        self.text = text
    }

    /// `# hadolint ignore=DL3006,DL3008`: the rules to skip on the next instruction.
    public var ignoredRules: [String]? { Self.rules(in: text, after: ["hadolint", "ignore"]) }

    /// `# hadolint global ignore=DL3006`: the rules to skip in the whole file.
    public var globallyIgnoredRules: [String]? { Self.rules(in: text, after: ["hadolint", "global", "ignore"]) }

    /// hadolint's pragma grammar: words separated by spaces, `=`, then rule ids separated by commas, an optional
    /// trailing `# comment`.
    private static func rules(in text: String, after words: [String]) -> [String]? {
        var rest = Substring(text)
        for (index, word) in words.enumerated() {
            rest = rest.drop { $0 == " " || $0 == "\t" }
            guard rest.hasPrefix(word) else { return nil }
            rest = rest.dropFirst(word.count)
            if index < words.count - 1 {
                guard rest.first == " " || rest.first == "\t" else { return nil }
            }
        }
        rest = rest.drop { $0 == " " || $0 == "\t" }
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst()
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let ids = rest.split(separator: ",").map { $0.trimming([" ", "\t"]) }
        guard !ids.isEmpty, ids.allSatisfy({ !$0.isEmpty && $0.allSatisfy { "DLSCH0123456789".contains($0) } }) else {
            return nil
        }
        return ids
    }
}

extension StringProtocol {
    /// The text without the given leading and trailing characters.
    func trimming(_ set: Set<Character>) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}

/// A Maven artifact version, ordered by Maven's version order specification (the POM reference's "Version Order
/// Specification", which `ComparableVersion` implements).
///
/// The version splits into tokens at `.`, at `-`, and where digits meet non-digits (a transition counts as `-`).
/// Qualifiers are case-insensitive and ordered `alpha` < `beta` < `milestone` < `rc` = `cr` < `snapshot` <
/// `""` = `ga` = `final` = `release` < `sp`, then unknown qualifiers alphabetically; `a`, `b` and `m` directly
/// followed by a number mean `alpha`, `beta`, `milestone`. Trailing null tokens (`0`, `""`, `ga`, `final`,
/// `release`) are trimmed, again before each `-` from the end. A shorter version is padded with nulls of the other
/// side's separator, and tokens with different separators order `.qualifier` < `-qualifier` < `-number` < `.number`.
/// Every non-empty string is some Maven version.
public struct MavenVersion: ParsedVersion, CustomStringConvertible {
    enum Separator: Sendable { case none, dot, hyphen }

    enum Value: Equatable, Sendable {
        case number(VersionNumeral)
        case qualifier(String)
    }

    struct Token: Equatable, Sendable {
        var separator: Separator
        var value: Value

        var isNull: Bool {
            switch value {
            case let .number(n): return n.isZero
            case let .qualifier(q): return q.isEmpty
            }
        }
    }

    /// The string as given.
    public let description: String
    let tokens: [Token]

    public init(parsing version: String) throws {
        let text = try VersionOrdering.trimmed(version, ecosystem: "Maven", example: "1.2.3, 1.0-beta-2 or 2.0.1-SNAPSHOT")
        description = version
        tokens = Self.trimNulls(Self.tokenize(text.lowercased()))
    }

    static func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var separator = Separator.none
        for (index, piece) in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "." || $0 == "-" })
            .enumerated() {
            if index > 0 {
                // The character just before this piece is the separator that introduced it.
                let position = text.index(before: piece.startIndex)
                separator = text[position] == "." ? .dot : .hyphen
            }
            let runs = digitRuns(piece)
            for (runIndex, run) in runs.enumerated() {
                let followedByDigits = runIndex + 1 < runs.count
                tokens.append(Token(separator: runIndex == 0 ? separator : .hyphen,
                                    value: value(of: run, followedByDigits: followedByDigits)))
            }
        }
        return tokens
    }

    /// Splits at every digit/non-digit transition; an empty piece is one empty run (read as `0`).
    private static func digitRuns(_ piece: Substring) -> [Substring] {
        guard !piece.isEmpty else { return [piece] }
        var runs: [Substring] = []
        var start = piece.startIndex
        var index = piece.index(after: start)
        while index < piece.endIndex {
            if isDigit(piece[index]) != isDigit(piece[piece.index(before: index)]) {
                runs.append(piece[start..<index])
                start = index
            }
            index = piece.index(after: index)
        }
        runs.append(piece[start...])
        return runs
    }

    private static func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }

    private static func value(of run: Substring, followedByDigits: Bool) -> Value {
        if run.isEmpty { return .number(.zero) }
        if let number = VersionNumeral(run) { return .number(number) }
        switch run {
        case "cr": return .qualifier("rc")
        case "ga", "final", "release": return .qualifier("")
        case "a" where followedByDigits: return .qualifier("alpha")
        case "b" where followedByDigits: return .qualifier("beta")
        case "m" where followedByDigits: return .qualifier("milestone")
        default: return .qualifier(String(run))
        }
    }

    /// Drops trailing null tokens, then repeats from each remaining `-` towards the start.
    static func trimNulls(_ input: [Token]) -> [Token] {
        var tokens = input
        var i = tokens.count - 1
        while i > 0 {
            if tokens[i].isNull {
                tokens.remove(at: i)
                i -= 1
                continue
            }
            while i >= 0 && tokens[i].separator != .hyphen { i -= 1 }
            i -= 1
        }
        return tokens
    }

    private static let knownQualifiers = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"]

    private static func compareQualifiers(_ a: String, _ b: String) -> Int {
        let rankA = knownQualifiers.firstIndex(of: a) ?? knownQualifiers.count
        let rankB = knownQualifiers.firstIndex(of: b) ?? knownQualifiers.count
        if rankA == knownQualifiers.count && rankB == knownQualifiers.count { return VersionOrdering.compareBytes(a, b) }
        return VersionOrdering.compare(rankA, rankB)
    }

    private static func rank(_ token: Token) -> Int {
        switch (token.separator, token.value) {
        case (.dot, .qualifier), (.none, .qualifier): return 0
        case (.hyphen, .qualifier): return 1
        case (.hyphen, .number): return 2
        case (.dot, .number), (.none, .number): return 3
        }
    }

    private static func compare(_ a: Token, _ b: Token) -> Int {
        guard a.separator == b.separator else { return VersionOrdering.compare(rank(a), rank(b)) }
        switch (a.value, b.value) {
        case let (.number(x), .number(y)): return VersionOrdering.compare(x, y)
        case (.number, .qualifier): return 1
        case (.qualifier, .number): return -1
        case let (.qualifier(x), .qualifier(y)): return compareQualifiers(x, y)
        }
    }

    /// What a missing token stands for opposite `other`: 0 against a `.number`, the release qualifier otherwise.
    private static func padding(against other: Token) -> Token {
        if other.separator == .dot, case .number = other.value { return Token(separator: .dot, value: .number(.zero)) }
        return Token(separator: other.separator, value: .qualifier(""))
    }

    func order(_ other: MavenVersion) -> Int {
        for i in 0..<max(tokens.count, other.tokens.count) {
            let a = i < tokens.count ? tokens[i] : Self.padding(against: other.tokens[i])
            let b = i < other.tokens.count ? other.tokens[i] : Self.padding(against: tokens[i])
            if a == b { continue }
            let order = Self.compare(a, b)
            if order != 0 { return order }
        }
        return 0
    }

    public static func < (a: MavenVersion, b: MavenVersion) -> Bool { a.order(b) < 0 }
    public static func == (a: MavenVersion, b: MavenVersion) -> Bool { a.order(b) == 0 }
}

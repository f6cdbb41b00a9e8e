/// A package's license string read as an SPDX license expression, when it is one.
///
/// Package databases hold all sorts of license strings: apk and newer rpm use SPDX (`GPL-2.0-or-later AND MIT`),
/// older rpm uses Fedora short names (`GPLv2+ and LGPLv2+`), Debian copyright files use DEP-5 names (`GPL-2+`).
/// Only strings made entirely of listed SPDX ids, `WITH` exceptions, `AND`, `OR` and parentheses parse; anything
/// else is nil, and writers must record it some other way (a license name, a `LicenseRef-`, or NOASSERTION).
/// The `+` operator is not accepted on its own (`Apache-2.0+`): spdx-tools rejects it; the deprecated ids that
/// include it (`GPL-2.0+`, `LGPL-2.1+`) are listed ids and do parse.
/// Operators are accepted in any case (rpm writes `and`) and written in upper case; ids are written as the SPDX
/// list spells them.
struct SPDXLicenseExpression: Sendable, Equatable, CustomStringConvertible {
    indirect enum Node: Sendable, Equatable {
        /// A listed id.
        case license(String)
        case with(Node, exception: String)
        case and([Node])
        case or([Node])
    }

    let root: Node

    init(root: Node) { self.root = root }

    init?(parsing text: String) {
        guard let tokens = Self.tokenize(text), !tokens.isEmpty else { return nil }
        var parser = Parser(tokens: tokens)
        guard let node = parser.parseOr(), parser.atEnd else { return nil }
        root = node
    }

    /// The single listed id this expression is, without `WITH` (what CycloneDX's `license.id` may hold).
    var singleLicenseID: String? {
        if case .license(let id) = root { return id }
        return nil
    }

    /// All of `expressions` must hold: `A AND (B OR C)`. Nil for an empty list.
    static func all(_ expressions: [SPDXLicenseExpression]) -> SPDXLicenseExpression? {
        switch expressions.count {
        case 0: return nil
        case 1: return expressions[0]
        default: return SPDXLicenseExpression(root: .and(expressions.map(\.root)))
        }
    }

    var description: String { Self.render(root, parent: nil) }

    private enum Precedence { case and, or }

    private static func render(_ node: Node, parent: Precedence?) -> String {
        switch node {
        case .license(let id):
            return id
        case .with(let inner, let exception):
            return render(inner, parent: .and) + " WITH " + exception
        case .and(let nodes):
            return nodes.map { render($0, parent: .and) }.joined(separator: " AND ")
        case .or(let nodes):
            let text = nodes.map { render($0, parent: .or) }.joined(separator: " OR ")
            return parent == .and ? "(" + text + ")" : text
        }
    }

    // MARK: Lexing and parsing

    private enum Token: Equatable { case open, close, and, or, with, word(String) }

    private static func tokenize(_ text: String) -> [Token]? {
        var tokens: [Token] = []
        var word = ""
        func flush() {
            guard !word.isEmpty else { return }
            switch word.uppercased() {
            case "AND": tokens.append(.and)
            case "OR": tokens.append(.or)
            case "WITH": tokens.append(.with)
            default: tokens.append(.word(word))
            }
            word = ""
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "(": flush(); tokens.append(.open)
            case ")": flush(); tokens.append(.close)
            case " ", "\t", "\n", "\r": flush()
            case "a"..."z", "A"..."Z", "0"..."9", ".", "-", "+": word.unicodeScalars.append(scalar)
            default: return nil
            }
        }
        flush()
        return tokens
    }

    private struct Parser {
        let tokens: [Token]
        var position = 0

        init(tokens: [Token]) { self.tokens = tokens }

        var atEnd: Bool { position == tokens.count }

        mutating func next() -> Token? {
            guard position < tokens.count else { return nil }
            defer { position += 1 }
            return tokens[position]
        }

        mutating func peekIs(_ token: Token) -> Bool {
            position < tokens.count && tokens[position] == token
        }

        mutating func parseOr() -> Node? {
            guard let first = parseAnd() else { return nil }
            var nodes = [first]
            while peekIs(.or) {
                position += 1
                guard let node = parseAnd() else { return nil }
                nodes.append(node)
            }
            return nodes.count == 1 ? first : .or(nodes)
        }

        mutating func parseAnd() -> Node? {
            guard let first = parseWith() else { return nil }
            var nodes = [first]
            while peekIs(.and) {
                position += 1
                guard let node = parseWith() else { return nil }
                nodes.append(node)
            }
            return nodes.count == 1 ? first : .and(nodes)
        }

        mutating func parseWith() -> Node? {
            guard let token = next() else { return nil }
            let node: Node
            switch token {
            case .open:
                guard let inner = parseOr(), next() == .close else { return nil }
                node = inner
            case .word(let word):
                guard let license = SPDXLicenseIndex.license(word) else { return nil }
                node = license
                if peekIs(.with) {
                    position += 1
                    guard case .word(let name)? = next(), let exception = SPDXLicenseIndex.exception(name) else {
                        return nil
                    }
                    return .with(node, exception: exception)
                }
            default:
                return nil
            }
            return node
        }
    }
}

/// Case-insensitive lookups into `SPDXLicenseList`, returning the list's spelling.
enum SPDXLicenseIndex {
    private static let licenses: [String: String] = Dictionary(
        SPDXLicenseList.licenseIDs.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
    private static let exceptions: [String: String] = Dictionary(
        SPDXLicenseList.exceptionIDs.map { ($0.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })

    /// A listed id (`GPL-2.0+` is itself listed) in the list's spelling.
    static func license(_ word: String) -> SPDXLicenseExpression.Node? {
        licenses[word.lowercased()].map { .license($0) }
    }

    static func exception(_ word: String) -> String? { exceptions[word.lowercased()] }
}

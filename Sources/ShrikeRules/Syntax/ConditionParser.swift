/// Parses Falco condition text into a `ConditionNode`, following the grammar of falcosecurity/libs
/// (`userspace/libsinsp/filter/parser.h`): `not` binds tighter than `and`, `and` tighter than `or`.
public struct ConditionParser {
    private let bytes: [UInt8]
    private var index = 0
    private var depth = 0
    private static let maxDepth = 200

    /// Parses `text`; throws `ConditionSyntaxError` naming the offset and the token that could not be read.
    public static func parse(_ text: String) throws(ConditionSyntaxError) -> ConditionNode {
        var parser = ConditionParser(bytes: Array(text.utf8))
        return try parser.parseAll()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func parseAll() throws(ConditionSyntaxError) -> ConditionNode {
        skipBlanks()
        guard index < bytes.count else { throw error("the condition is empty") }
        let node = try parseOr()
        skipBlanks()
        if index < bytes.count { throw error("unexpected token, expecting 'or', 'and'") }
        return node
    }

    // MARK: - Boolean structure

    private mutating func parseOr() throws(ConditionSyntaxError) -> ConditionNode {
        try enter()
        defer { depth -= 1 }
        var children = [try parseAnd()]
        skipBlanks()
        while keyword("or") {
            children.append(try parseOperand(after: "or"))
            skipBlanks()
        }
        return children.count == 1 ? children[0] : .or(children)
    }

    private mutating func parseAnd() throws(ConditionSyntaxError) -> ConditionNode {
        try enter()
        defer { depth -= 1 }
        var children = [try parseNot()]
        skipBlanks()
        while keyword("and") {
            children.append(try parseOperand(after: "and"))
            skipBlanks()
        }
        return children.count == 1 ? children[0] : .and(children)
    }

    /// After `and`/`or`: a blank then the operand, or `(` directly.
    private mutating func parseOperand(after word: String) throws(ConditionSyntaxError) -> ConditionNode {
        if skipBlanks() { return word == "or" ? try parseAnd() : try parseNot() }
        if literal("(") { return try parseEmbeddedRemainder() }
        throw error("expected blank or '(' after '\(word)'")
    }

    private mutating func parseNot() throws(ConditionSyntaxError) -> ConditionNode {
        try enter()
        defer { depth -= 1 }
        skipBlanks()
        var negate = false
        while true {
            let start = index
            if literal("not") {
                if skipBlanks() { negate.toggle(); continue }
                if peek() == UInt8(ascii: "(") { negate.toggle(); continue }
                index = start
            }
            break
        }
        let child = try parseCheck()
        return negate ? .not(child) : child
    }

    private mutating func parseEmbeddedRemainder() throws(ConditionSyntaxError) -> ConditionNode {
        skipBlanks()
        let child = try parseOr()
        skipBlanks()
        guard literal(")") else { throw error("expected a ')' token") }
        return child
    }

    // MARK: - Checks

    private mutating func parseCheck() throws(ConditionSyntaxError) -> ConditionNode {
        try enter()
        defer { depth -= 1 }
        skipBlanks()
        if literal("(") { return try parseEmbeddedRemainder() }
        let start = index
        if let field = try parseFieldOrTransformer() {
            skipBlanks()
            if word("exists") { return .exists(field) }
            return try parseCondition(field, position: start)
        }
        if let name = lexIdentifier() { return .identifier(name, position: start) }
        throw error("expected a '(' token, a field check, or an identifier")
    }

    /// A field (`fd.name`, `proc.aname[2]`) or a transformer over one (`tolower(proc.name)`); nil when neither.
    private mutating func parseFieldOrTransformer() throws(ConditionSyntaxError) -> FieldExpression? {
        let start = index
        for transformer in FieldTransformer.allCases where literal(transformer.rawValue + "(") {
            skipBlanks()
            guard var inner = try parseFieldOrTransformer() else {
                throw error("expected a field or a transformer inside '\(transformer.rawValue)('")
            }
            skipBlanks()
            guard literal(")") else { throw error("expected a ')' token closing '\(transformer.rawValue)('") }
            inner.transformers.insert(transformer, at: 0)
            inner.position = start
            return inner
        }
        guard let name = lexFieldName() else { return nil }
        var argument: String?
        if literal("[") {
            guard let arg = lexQuoted() ?? lexWhile({ !Self.isBlank($0) && $0 != UInt8(ascii: "[")
                && $0 != UInt8(ascii: "]") && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "'") }) else {
                throw error("expected a valid field argument: a quoted string or a bare string")
            }
            guard literal("]") else { throw error("expected a ']' token") }
            argument = arg
        }
        return FieldExpression(name: name, argument: argument, position: start)
    }

    private static let numericOperators: [ComparisonOperator] = [.lessOrEqual, .less, .greaterOrEqual, .greater]
    private static let stringOperators: [(String, ComparisonOperator)] = [
        ("==", .equal), ("=", .equal), ("!=", .notEqual), ("glob ", .glob), ("iglob ", .iglob),
        ("contains ", .contains), ("icontains ", .icontains), ("bcontains ", .bcontains),
        ("startswith ", .startswith), ("bstartswith ", .bstartswith), ("endswith ", .endswith), ("regex ", .regex),
    ]
    private static let listOperators: [(String, ComparisonOperator)] = [
        ("intersects", .intersects), ("in", .in), ("pmatch", .pmatch),
    ]

    private mutating func parseCondition(_ field: FieldExpression, position: Int) throws(ConditionSyntaxError)
        -> ConditionNode {
        let opStart = index
        var valueStart = index
        func comparison(_ op: ComparisonOperator, _ value: ConditionValue, _ modifier: ListModifier? = nil) -> ConditionNode {
            .comparison(Comparison(field: field, op: op, modifier: modifier, value: value, position: position,
                                   operatorPosition: opStart, valuePosition: valueStart))
        }
        for op in Self.numericOperators where literal(op.rawValue) {
            skipBlanks()
            valueStart = index
            if let modified = try parseModifier(op, comparison) { return modified }
            if let other = try parseValueField() { return comparison(op, .field(other)) }
            guard let number = lexNumber() else { throw error("expected a number value after '\(op.rawValue)'") }
            return comparison(op, .literal(number))
        }
        for (text, op) in Self.stringOperators where literal(text) {
            skipBlanks()
            valueStart = index
            if let modified = try parseModifier(op, comparison) { return modified }
            if let other = try parseValueField() { return comparison(op, .field(other)) }
            guard let value = lexQuoted() ?? lexBare() else { throw error("expected a string value after '\(op.rawValue)'") }
            return comparison(op, .literal(value))
        }
        for (text, op) in Self.listOperators where literal(text) {
            skipBlanks()
            valueStart = index
            if let other = try parseValueField() { return comparison(op, .field(other)) }
            return comparison(op, try parseListValue())
        }
        throw error("expected a valid check operator: one of 'exists', '<=', '<', '>=', '>', '==', '=', '!=', "
                    + "'glob', 'iglob', 'contains', 'icontains', 'bcontains', 'startswith', 'bstartswith', "
                    + "'endswith', 'regex', 'intersects', 'in', 'pmatch'")
    }

    /// `op oneof (a, b)`: a scalar operator applied to each item of a list.
    private mutating func parseModifier(_ op: ComparisonOperator,
                                        _ comparison: (ComparisonOperator, ConditionValue, ListModifier?) -> ConditionNode)
        throws(ConditionSyntaxError) -> ConditionNode? {
        let start = index
        for modifier in [ListModifier.oneof, .anyof, .allof] where literal(modifier.rawValue) {
            skipBlanks()
            if peek() == UInt8(ascii: "(") || (peek().map(Self.isIdentifierStart) ?? false) {
                let value = try parseListValue()
                return comparison(op, value, modifier)
            }
            index = start
        }
        return nil
    }

    /// `val(field)` or a transformer on the right-hand side.
    private mutating func parseValueField() throws(ConditionSyntaxError) -> FieldExpression? {
        if literal("val(") {
            skipBlanks()
            guard let field = lexFieldName().map({ FieldExpression(name: $0, position: index) }) else {
                throw error("expected a field name inside 'val('")
            }
            var result = field
            if literal("[") {
                guard let arg = lexQuoted() ?? lexWhile({ $0 != UInt8(ascii: "]") && !Self.isBlank($0) }),
                      literal("]") else { throw error("expected a field argument and ']'") }
                result.argument = arg
            }
            skipBlanks()
            guard literal(")") else { throw error("expected a ')' token closing 'val('") }
            return result
        }
        for transformer in FieldTransformer.allCases where lookingAt(transformer.rawValue + "(") {
            return try parseFieldOrTransformer()
        }
        return nil
    }

    private mutating func parseListValue() throws(ConditionSyntaxError) -> ConditionValue {
        if literal("(") {
            var items: [String] = []
            skipBlanks()
            if let first = lexQuoted() ?? lexBare() {
                items.append(first)
                skipBlanks()
                while literal(",") {
                    skipBlanks()
                    guard let item = lexQuoted() ?? lexBare() else { throw error("expected a string value in the list") }
                    items.append(item)
                    skipBlanks()
                }
            }
            guard literal(")") else { throw error("expected a ')' token closing the list") }
            return .list(items)
        }
        if let name = lexIdentifier() { return .listName(name) }
        throw error("expected a list or an identifier")
    }

    // MARK: - Lexing

    private func peek() -> UInt8? { index < bytes.count ? bytes[index] : nil }

    private static func isBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x08
    }
    private static func isLetter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }
    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    private static func isIdentifierStart(_ b: UInt8) -> Bool { isLetter(b) }
    private static func isIdentifierByte(_ b: UInt8) -> Bool { isLetter(b) || isDigit(b) || b == UInt8(ascii: "_") }

    @discardableResult
    private mutating func skipBlanks() -> Bool {
        let start = index
        while index < bytes.count, Self.isBlank(bytes[index]) { index += 1 }
        return index > start
    }

    private func lookingAt(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        guard index + utf8.count <= bytes.count else { return false }
        return bytes[index..<(index + utf8.count)].elementsEqual(utf8)
    }

    private mutating func literal(_ text: String) -> Bool {
        guard lookingAt(text) else { return false }
        index += text.utf8.count
        return true
    }

    /// `text` as a whole word (not the start of a longer identifier).
    private mutating func word(_ text: String) -> Bool {
        guard lookingAt(text) else { return false }
        let end = index + text.utf8.count
        if end < bytes.count, Self.isIdentifierByte(bytes[end]) || bytes[end] == UInt8(ascii: ".") { return false }
        index = end
        return true
    }

    /// `and`/`or` as keywords; the caller checks what follows.
    private mutating func keyword(_ text: String) -> Bool { literal(text) }

    private mutating func lexWhile(_ accept: (UInt8) -> Bool) -> String? {
        let start = index
        while index < bytes.count, accept(bytes[index]) { index += 1 }
        guard index > start else { return nil }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func lexIdentifier() -> String? {
        guard let first = peek(), Self.isIdentifierStart(first) else { return nil }
        return lexWhile(Self.isIdentifierByte)
    }

    /// `[a-zA-Z]+[a-zA-Z0-9_]*(\.[a-zA-Z]+[a-zA-Z0-9_]*)+`
    private mutating func lexFieldName() -> String? {
        let start = index
        guard lexIdentifier() != nil else { return nil }
        var segments = 0
        while index + 1 < bytes.count, bytes[index] == UInt8(ascii: "."), Self.isIdentifierStart(bytes[index + 1]) {
            index += 1
            _ = lexIdentifier()
            segments += 1
        }
        guard segments > 0 else {
            index = start
            return nil
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// Hex or decimal numbers as libs reads them (`-1`, `0x10`, `1.5e+3`).
    private mutating func lexNumber() -> String? {
        let start = index
        if lookingAt("0x") || lookingAt("0X") {
            index += 2
            if lexWhile({ Self.isLetter($0) || Self.isDigit($0) }) != nil {
                return String(decoding: bytes[start..<index], as: UTF8.self)
            }
            index = start
            return nil
        }
        if let sign = peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { index += 1 }
        guard lexWhile(Self.isDigit) != nil else {
            index = start
            return nil
        }
        if peek() == UInt8(ascii: ".") {
            index += 1
            _ = lexWhile(Self.isDigit)
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    /// `[^ \b\t\n\r(),="']+`
    private mutating func lexBare() -> String? {
        lexWhile { byte in
            !Self.isBlank(byte) && byte != UInt8(ascii: "(") && byte != UInt8(ascii: ")") && byte != UInt8(ascii: ",")
                && byte != UInt8(ascii: "=") && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "'")
        }
    }

    /// A single- or double-quoted string with backslash escapes, unescaped.
    private mutating func lexQuoted() -> String? {
        guard let quote = peek(), quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return nil }
        var position = index + 1
        var out: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\\"), position + 1 < bytes.count {
                let next = bytes[position + 1]
                switch next {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "'"): out.append(next)
                default: out.append(byte); out.append(next)
                }
                position += 2
                continue
            }
            if byte == quote {
                index = position + 1
                return String(decoding: out, as: UTF8.self)
            }
            out.append(byte)
            position += 1
        }
        return nil
    }

    private mutating func enter() throws(ConditionSyntaxError) {
        depth += 1
        if depth > Self.maxDepth { throw error("the condition nests deeper than \(Self.maxDepth) levels") }
    }

    private func error(_ message: String) -> ConditionSyntaxError {
        let end = min(bytes.count, index + 24)
        var token = String(decoding: bytes[min(index, bytes.count)..<end], as: UTF8.self)
        if let cut = token.firstIndex(where: { $0 == "\n" }) { token = String(token[..<cut]) }
        return ConditionSyntaxError(message: message, offset: index, token: token)
    }
}

/// A condition that does not follow the grammar.
public struct ConditionSyntaxError: Error, Sendable, Equatable {
    public var message: String
    /// UTF-8 offset into the condition where reading stopped.
    public var offset: Int
    /// The text at the offset (up to 24 bytes), empty at the end.
    public var token: String
}

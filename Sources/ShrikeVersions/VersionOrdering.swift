import ShrikeCore

/// Small ordering helpers shared by the comparators.
enum VersionOrdering {
    /// -1, 0 or 1 for two comparable values.
    static func compare<T: Comparable>(_ a: T, _ b: T) -> Int {
        a < b ? -1 : (a == b ? 0 : 1)
    }

    /// Orders strings by their UTF-8 bytes, as C's `strcmp`, Go's `strings.Compare` and Ruby's `String#<=>` do
    /// (Swift's own `<` on `String` follows Unicode canonical equivalence instead).
    static func compareBytes(_ a: some StringProtocol, _ b: some StringProtocol) -> Int {
        if a.utf8.elementsEqual(b.utf8) { return 0 }
        return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
    }

    /// Orders two sequences element by element with `compare`; when one is a prefix of the other, the shorter first.
    static func compareLexicographically<T>(_ a: [T], _ b: [T], by compare: (T, T) -> Int) -> Int {
        for (x, y) in zip(a, b) {
            let order = compare(x, y)
            if order != 0 { return order }
        }
        return VersionOrdering.compare(a.count, b.count)
    }

    /// The version with surrounding whitespace removed, or a `malformed` error when nothing is left or it contains
    /// whitespace or control characters inside (no ecosystem's tools read those as one version).
    static func trimmed(_ version: String, ecosystem: String, example: String) throws -> Substring {
        var text = Substring(version)
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        if text.isEmpty {
            throw ShrikeError(.malformed, "empty \(ecosystem) version; expected something like \(example)",
                              input: version)
        }
        if text.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }) {
            throw ShrikeError(.malformed,
                              "\(ecosystem) version contains whitespace or control characters; expected something like \(example)",
                              input: version)
        }
        return text
    }

    static func malformed(_ version: String, _ ecosystem: String, _ reason: String, example: String) -> ShrikeError {
        ShrikeError(.malformed, "not a valid \(ecosystem) version (\(reason)); expected something like \(example)",
                    input: version)
    }
}

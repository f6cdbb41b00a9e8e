/// A Composer package version, ordered as PHP's `version_compare` after Composer drops a leading `v`.
///
/// PHP canonicalises `-`, `_` and `+` to `.` and puts a `.` where digits meet non-digits (`1.0rc1` is `1.0.rc.1`).
/// Numbers compare numerically; words by their special form — `dev` < `alpha` = `a` < `beta` = `b` < `RC` = `rc` <
/// `#` < `pl` = `p`, matched by prefix and case-sensitively as PHP does, and any other word below `dev` — and a
/// number counts as `#`. When one version runs out, a number next in the longer one makes it greater; a word is
/// weighed against `#` (`1.0 < 1.0pl1`, `1.0 > 1.0rc1`).
public struct PackagistVersion: ParsedVersion, CustomStringConvertible {
    enum Component: Equatable, Sendable {
        case number(VersionNumeral)
        case word(String)
    }

    /// The string as given.
    public let description: String
    let components: [Component]

    public init(parsing version: String) throws {
        var text = try VersionOrdering.trimmed(version, ecosystem: "Packagist", example: "1.2.3, v2.0.0-RC1 or dev-main")
        description = version
        if text.first == "v" || text.first == "V" { text = text.dropFirst() }
        components = Self.canonical(text)
        if components.isEmpty {
            throw VersionOrdering.malformed(version, "Packagist", "nothing but separators", example: "1.2.3")
        }
    }

    private static func canonical(_ text: Substring) -> [Component] {
        var components: [Component] = []
        var current = ""
        func flush() {
            // PHP collapses runs of separators, so empty components never appear.
            if !current.isEmpty { components.append(VersionNumeral(current).map(Component.number) ?? .word(current)) }
            current = ""
        }
        for c in text {
            if c == "." || c == "-" || c == "_" || c == "+" { flush(); continue }
            if let last = current.last, isDigit(last) != isDigit(c) { flush() }
            current.append(c)
        }
        flush()
        return components
    }

    private static func isDigit(_ c: Character) -> Bool { c.isASCII && c.isNumber }

    /// PHP's `compare_special_version_forms` weights, first prefix match wins.
    private static let specialForms: [(String, Int)] = [
        ("dev", 0), ("alpha", 1), ("a", 1), ("beta", 2), ("b", 2), ("RC", 3), ("rc", 3), ("#", 4), ("pl", 5), ("p", 5),
    ]

    private static func weight(_ word: String) -> Int {
        specialForms.first { word.hasPrefix($0.0) }?.1 ?? -1
    }

    private static func weight(_ component: Component) -> Int {
        switch component {
        case .number: return weight("#")
        case let .word(word): return weight(word)
        }
    }

    private static func compare(_ a: ArraySlice<Component>, _ b: ArraySlice<Component>) -> Int {
        for (x, y) in zip(a, b) {
            let order: Int
            if case let .number(m) = x, case let .number(n) = y {
                order = VersionOrdering.compare(m, n)
            } else {
                order = VersionOrdering.compare(weight(x), weight(y))
            }
            if order != 0 { return order }
        }
        if a.count > b.count {
            let rest = a.dropFirst(b.count)
            if case .number = rest.first { return 1 }
            return compare(rest, [.word("#")])
        }
        if a.count < b.count {
            let rest = b.dropFirst(a.count)
            if case .number = rest.first { return -1 }
            return compare([.word("#")], rest)
        }
        return 0
    }

    func order(_ other: PackagistVersion) -> Int { Self.compare(components[...], other.components[...]) }

    public static func < (a: PackagistVersion, b: PackagistVersion) -> Bool { a.order(b) < 0 }
    public static func == (a: PackagistVersion, b: PackagistVersion) -> Bool { a.order(b) == 0 }
}

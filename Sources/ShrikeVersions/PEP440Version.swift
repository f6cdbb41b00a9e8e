/// A Python package version ordered as PEP 440 and the `packaging` library order it.
///
/// Parsing normalises the spellings PEP 440 allows: case, `-`/`_`/`.` separators, a leading `v`, `alpha`/`beta`/`c`/
/// `pre`/`preview` for `a`/`b`/`rc`, `rev`/`r` and the implicit `1.0-1` for post-releases, missing numbers as 0,
/// epochs (`1!2.0`) and local versions (`+ubuntu.1`). Trailing zeros in the release do not count (`1.0 == 1.0.0`).
///
/// Strings PEP 440 rejects (`0.1-bulbasaur`) are kept as setuptools' legacy versions, which sort before every
/// PEP 440 version and among themselves by setuptools' rules — what `packaging` did before version 22 and what OSV's
/// own comparator does, so advisories that still carry such versions keep matching. Only an empty string, or one
/// with whitespace or control characters inside, is rejected.
public struct PEP440Version: ParsedVersion, CustomStringConvertible {
    enum PreReleaseLabel: Comparable, Sendable { case alpha, beta, releaseCandidate }

    struct PreRelease: Comparable, Sendable {
        var label: PreReleaseLabel
        var number: VersionNumeral
        static func < (a: PreRelease, b: PreRelease) -> Bool { (a.label, a.number) < (b.label, b.number) }
    }

    enum LocalSegment: Comparable, Sendable {
        // Declaration order is the ordering: any text segment sorts before any number.
        case text(String)
        case number(VersionNumeral)
    }

    /// What sorts where `packaging` substitutes infinities for missing segments.
    enum Bounded<Value: Comparable & Sendable>: Comparable, Sendable {
        case belowAll
        case value(Value)
        case aboveAll
    }

    enum Form: Sendable {
        case standard(Standard)
        case legacy([String])
    }

    struct Standard: Sendable {
        var epoch = VersionNumeral.zero
        var release: [VersionNumeral] = []
        var pre: PreRelease?
        var post: VersionNumeral?
        var dev: VersionNumeral?
        var local: [LocalSegment]?
    }

    /// The string as given.
    public let description: String
    let form: Form

    /// True when the string follows PEP 440 (as opposed to a legacy setuptools version).
    public var isStandard: Bool {
        if case .standard = form { return true }
        return false
    }

    public init(parsing version: String) throws {
        let text = try VersionOrdering.trimmed(version, ecosystem: "PyPI", example: "1.2.3, 1.0rc1 or 2!1.0.post1")
        description = version
        let lowered = text.lowercased()
        var parser = PEP440Parser(lowered)
        if let standard = parser.parse() {
            form = .standard(standard)
        } else {
            form = .legacy(Self.legacyKey(lowered))
        }
    }

    public static func < (a: PEP440Version, b: PEP440Version) -> Bool { a.order(b) < 0 }
    public static func == (a: PEP440Version, b: PEP440Version) -> Bool { a.order(b) == 0 }

    func order(_ other: PEP440Version) -> Int {
        switch (form, other.form) {
        case (.legacy, .standard): return -1
        case (.standard, .legacy): return 1
        case let (.legacy(a), .legacy(b)):
            return VersionOrdering.compareLexicographically(a, b) { VersionOrdering.compareBytes($0, $1) }
        case let (.standard(a), .standard(b)):
            return Self.order(a, b)
        }
    }

    private static func order(_ a: Standard, _ b: Standard) -> Int {
        if a.epoch != b.epoch { return VersionOrdering.compare(a.epoch, b.epoch) }
        let release = VersionOrdering.compareLexicographically(significant(a.release), significant(b.release)) {
            VersionOrdering.compare($0, $1)
        }
        if release != 0 { return release }
        let keys = [
            VersionOrdering.compare(preKey(a), preKey(b)),
            VersionOrdering.compare(postKey(a), postKey(b)),
            VersionOrdering.compare(devKey(a), devKey(b)),
        ]
        if let decided = keys.first(where: { $0 != 0 }) { return decided }
        switch (a.local, b.local) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case let (x?, y?): return VersionOrdering.compareLexicographically(x, y) { VersionOrdering.compare($0, $1) }
        }
    }

    /// The release without trailing zeros, so `1.0` and `1.0.0` compare equal.
    private static func significant(_ release: [VersionNumeral]) -> [VersionNumeral] {
        var release = release
        while release.last?.isZero == true { release.removeLast() }
        return release
    }

    /// A dev release of a final version (`1.0.dev1`) sorts before its pre-releases; a final version after them.
    private static func preKey(_ v: Standard) -> Bounded<PreRelease> {
        if let pre = v.pre { return .value(pre) }
        return v.post == nil && v.dev != nil ? .belowAll : .aboveAll
    }

    /// No post-release sorts before any post-release.
    private static func postKey(_ v: Standard) -> Bounded<VersionNumeral> {
        v.post.map { .value($0) } ?? .belowAll
    }

    /// No dev segment sorts after any dev release.
    private static func devKey(_ v: Standard) -> Bounded<VersionNumeral> {
        v.dev.map { .value($0) } ?? .aboveAll
    }

    /// setuptools' `parse_version` key for non-PEP 440 strings (packaging's `_legacy_cmpkey`): runs of digits
    /// zero-padded to 8, words prefixed with `*`, `pre`/`preview`/`rc` as `c`, `dev` as `@`, `-` as `final-`, and
    /// trailing zeros and `final-` markers dropped before each word.
    static func legacyKey(_ lowered: String) -> [String] {
        var parts: [String] = []
        for chunk in legacyChunks(lowered) + ["final"] {
            let replaced = ["pre": "c", "preview": "c", "-": "final-", "rc": "c", "dev": "@"][chunk] ?? chunk
            if replaced.isEmpty || replaced == "." { continue }
            let part: String
            if let first = replaced.utf8.first, first >= UInt8(ascii: "0"), first <= UInt8(ascii: "9") {
                part = String(repeating: "0", count: max(0, 8 - replaced.count)) + replaced
            } else {
                part = "*" + replaced
            }
            if part.hasPrefix("*") {
                if VersionOrdering.compareBytes(part, "*final") < 0 {
                    while parts.last == "*final-" { parts.removeLast() }
                }
                while parts.last == "00000000" { parts.removeLast() }
            }
            parts.append(part)
        }
        return parts
    }

    /// Splits like Python's `re.split(r"(\d+|[a-z]+|\.|-)", s)`: the matched runs and the text between them.
    private static func legacyChunks(_ s: String) -> [String] {
        enum Kind { case digit, letter, single, other }
        func kind(_ c: Character) -> Kind {
            if c.isASCII, c.isNumber { return .digit }
            if c >= "a" && c <= "z" { return .letter }
            return c == "." || c == "-" ? .single : .other
        }
        var chunks: [String] = []
        var current = ""
        var currentKind: Kind?
        for c in s {
            let k = kind(c)
            if let currentKind, currentKind == k, k != .single {
                current.append(c)
            } else {
                if !current.isEmpty { chunks.append(current) }
                current = String(c)
                currentKind = k
            }
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks
    }
}

/// Parses the PEP 440 grammar (PEP 440 appendix B's regular expression) from lowercased text.
private struct PEP440Parser {
    let bytes: [UInt8]
    var index = 0

    init(_ text: String) { bytes = Array(text.utf8) }

    mutating func parse() -> PEP440Version.Standard? {
        var v = PEP440Version.Standard()
        _ = consume("v")

        let start = index
        if let epoch = digits(), consume("!") { v.epoch = epoch } else { index = start }

        guard let first = digits() else { return nil }
        v.release = [first]
        while peek() == UInt8(ascii: "."), isDigit(peek(1)) {
            index += 1
            if let next = digits() { v.release.append(next) }
        }

        let beforePre = index
        _ = separator()
        if let label = label(Self.preReleaseLabels) {
            v.pre = .init(label: label, number: trailingNumber())
        } else {
            index = beforePre
        }

        let beforePost = index
        if consume("-"), let implicit = digits() {
            v.post = implicit
        } else {
            index = beforePost
            _ = separator()
            if label([("post", ()), ("rev", ()), ("r", ())]) != nil {
                v.post = trailingNumber()
            } else {
                index = beforePost
            }
        }

        let beforeDev = index
        _ = separator()
        if consume("dev") { v.dev = trailingNumber() } else { index = beforeDev }

        if consume("+") {
            var segments: [PEP440Version.LocalSegment] = []
            repeat {
                let start = index
                while let c = peek(), isDigit(c) || (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) { index += 1 }
                guard index > start else { return nil }
                let segment = String(decoding: bytes[start..<index], as: UTF8.self)
                segments.append(VersionNumeral(segment).map(PEP440Version.LocalSegment.number) ?? .text(segment))
            } while separator()
            v.local = segments
        }
        return index == bytes.count ? v : nil
    }

    /// `[-_.]? N?` after a label; the number defaults to 0. A separator with no number after it still belongs here,
    /// which the regular expression also allows (`1.0a.post1`).
    // Longest spelling first, so `alpha` is not read as `a` followed by junk.
    private static let preReleaseLabels: [(String, PEP440Version.PreReleaseLabel)] = [
        ("alpha", .alpha), ("a", .alpha), ("beta", .beta), ("b", .beta), ("preview", .releaseCandidate),
        ("pre", .releaseCandidate), ("rc", .releaseCandidate), ("c", .releaseCandidate),
    ]

    private mutating func trailingNumber() -> VersionNumeral {
        let start = index
        let hadSeparator = separator()
        if let number = digits() { return number }
        if !hadSeparator { index = start }
        return .zero
    }

    private mutating func label<T>(_ choices: [(String, T)]) -> T? {
        choices.first { consume($0.0) }?.1
    }

    private func peek(_ offset: Int = 0) -> UInt8? {
        index + offset < bytes.count ? bytes[index + offset] : nil
    }

    private func isDigit(_ c: UInt8?) -> Bool {
        guard let c else { return false }
        return c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")
    }

    private mutating func digits() -> VersionNumeral? {
        let start = index
        while isDigit(peek()) { index += 1 }
        return index > start ? VersionNumeral(String(decoding: bytes[start..<index], as: UTF8.self)) : nil
    }

    private mutating func separator() -> Bool {
        guard let c = peek(), c == UInt8(ascii: "-") || c == UInt8(ascii: "_") || c == UInt8(ascii: ".") else {
            return false
        }
        index += 1
        return true
    }

    private mutating func consume(_ literal: String) -> Bool {
        let utf8 = Array(literal.utf8)
        guard index + utf8.count <= bytes.count, Array(bytes[index..<index + utf8.count]) == utf8 else { return false }
        index += utf8.count
        return true
    }
}

import ShrikeCore

/// An Alpine package version, `number{.number}...{letter}{_suffix{number}}...{-r#}`, ordered as apk-tools 2.x orders
/// it.
///
/// This is a port of apk-tools 2.x `src/version.c` (`apk_version_compare_blob`, `apk_version_validate`), the
/// comparator inside every Alpine 3.x release Shrike scans. Like `apk version -t`, comparing accepts strings that
/// `apk_version_validate` rejects (`1.2_blah`, `1-ruff`, `.1`) and orders them the way apk does: a scanner has to
/// agree with the package manager that installed the package, invalid or not. `validate` throws for them, so
/// importers can count such advisories. Only an empty string or one holding whitespace or control characters
/// throws from `compare` (see `VersionStringRules`).
///
/// One 2.x quirk matters for valid versions too: after a component made only of zeros, a pre-release suffix no
/// longer counts as pre-release (`1.0_rc1` sorts after `1.0`, while `1.10_rc1` sorts before `1.10`). apk installed
/// and upgraded packages by that order, so Shrike keeps it.
///
/// apk-tools 3.x rewrote the comparator and orders some *invalid* strings the other way (`1-r-0` vs `1-r0`,
/// `1.2.0A` vs `1.2.0d`, `0.r1` vs `0r2`); Shrike follows 2.x. Numbers are compared as 64-bit integers, where
/// apk-tools 2.x uses a C `int`: the two differ only for components above 2^31, which real versions never have.
public struct ApkVersion: Sendable, Hashable, CustomStringConvertible {
    public let string: String

    /// Wraps `string`; throws only for what is not a version string at all (empty, whitespace, control characters).
    public init(parsing string: String) throws {
        try VersionStringRules.requirePrintable(string, "Alpine")
        self.string = string
    }

    public var description: String { string }

    /// True when apk-tools 2.x's `apk_version_validate` accepts the version.
    public var isValid: Bool {
        var cursor = ApkTokenCursor(Array(string.utf8))
        while cursor.kind != .end && cursor.kind != .invalid { _ = cursor.nextValue() }
        return cursor.kind == .end
    }

    /// Negative, zero or positive as `self` sorts before, with or after `other` (`apk_version_compare_blob`).
    public func compare(to other: ApkVersion) -> Int {
        var a = ApkTokenCursor(Array(string.utf8))
        var b = ApkTokenCursor(Array(other.string.utf8))
        var av = 0
        var bv = 0
        while a.kind == b.kind && a.kind != .end && a.kind != .invalid && av == bv {
            av = a.nextValue()
            bv = b.nextValue()
        }
        if av != bv { return av < bv ? -1 : 1 }
        if a.kind == b.kind { return 0 }
        // Equal so far: the longer version is newer, unless what it has next is a pre-release suffix.
        if a.kind == .suffix, a.peekValue() < 0 { return -1 }
        if b.kind == .suffix, b.peekValue() < 0 { return 1 }
        if a.kind.rawValue > b.kind.rawValue { return -1 }
        if b.kind.rawValue > a.kind.rawValue { return 1 }
        return 0
    }
}

/// apk-tools 2.x's tokenizer: `kind` is the type of the token that starts at `position`.
struct ApkTokenCursor {
    /// Token types; the order matters, as apk compares them numerically once values stop deciding.
    enum Kind: Int {
        case invalid = -1, digitOrZero, digit, letter, suffix, suffixNumber, revisionNumber, end
    }

    private static let preSuffixes = ["alpha", "beta", "pre", "rc"].map { Array($0.utf8) }
    private static let postSuffixes = ["cvs", "svn", "git", "hg", "p"].map { Array($0.utf8) }

    private let bytes: [UInt8]
    private var position = 0
    private(set) var kind: Kind = .digit

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    private var remaining: Int { bytes.count - position }

    /// The value of the current token without consuming it (apk's `get_token` on a copy, used for suffixes).
    func peekValue() -> Int {
        var copy = self
        return copy.nextValue()
    }

    /// apk's `get_token`: the current token's value, advancing to the next token.
    mutating func nextValue() -> Int {
        guard remaining > 0 else {
            kind = .end
            return 0
        }
        var value = 0
        var length = 0
        var forcedNext: Kind?
        switch kind {
        case .digitOrZero where bytes[position] == UInt8(ascii: "0"):
            // Leading zeros: worth minus their count, and the digits after them are a token of their own.
            while length < remaining, bytes[position + length] == UInt8(ascii: "0") { length += 1 }
            value = -length
            forcedNext = .digit
        case .digitOrZero, .digit, .suffixNumber, .revisionNumber:
            while length < remaining, Self.isDigit(bytes[position + length]) {
                value = value &* 10 &+ Int(bytes[position + length] - UInt8(ascii: "0"))
                length += 1
            }
        case .letter:
            value = Int(bytes[position])
            length = 1
        case .suffix:
            let rest = bytes[position...]
            if let index = Self.preSuffixes.firstIndex(where: { rest.starts(with: $0) }) {
                value = index - Self.preSuffixes.count
                length = Self.preSuffixes[index].count
            } else if let index = Self.postSuffixes.firstIndex(where: { rest.starts(with: $0) }) {
                value = index
                length = Self.postSuffixes[index].count
            } else {
                kind = .invalid
                return -1
            }
        case .invalid, .end:
            kind = .invalid
            return -1
        }
        position += length
        if remaining == 0 {
            kind = .end
        } else if let forcedNext {
            kind = forcedNext
        } else {
            advanceKind()
        }
        return value
    }

    /// apk's `next_token`: reads the separator before the next token and checks the token may follow this one.
    private mutating func advanceKind() {
        var next = Kind.invalid
        let c = bytes[position]
        if (kind == .digit || kind == .digitOrZero) && c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") {
            next = .letter
        } else if kind == .letter && Self.isDigit(c) {
            next = .digit
        } else if kind == .suffix && Self.isDigit(c) {
            next = .suffixNumber
        } else {
            switch c {
            case UInt8(ascii: "."): next = .digitOrZero
            case UInt8(ascii: "_"): next = .suffix
            case UInt8(ascii: "-"):
                if remaining > 1 && bytes[position + 1] == UInt8(ascii: "r") {
                    next = .revisionNumber
                    position += 1
                }
            default: break
            }
            position += 1
        }
        if next.rawValue < kind.rawValue {
            let allowed = (next == .digitOrZero && kind == .digit) || (next == .suffix && kind == .suffixNumber)
                || (next == .digit && kind == .letter)
            if !allowed { next = .invalid }
        }
        kind = next
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
}

/// The Alpine comparator: `ApkVersion` behind the `VersionComparator` seam.
public struct ApkVersionComparator: VersionComparator {
    public init() {}

    public func compare(_ a: String, _ b: String) throws -> Int {
        try ApkVersion(parsing: a).compare(to: ApkVersion(parsing: b))
    }

    /// Throws unless apk-tools 2.x's `apk_version_validate` accepts the version.
    public func validate(_ version: String) throws {
        guard try ApkVersion(parsing: version).isValid else {
            throw ShrikeError(.malformed,
                              "Alpine version \"\(version)\" is invalid: apk expects number{.number}...{letter}{_suffix{number}}...{-r#}",
                              input: version)
        }
    }
}

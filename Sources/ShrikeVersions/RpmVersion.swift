import ShrikeCore

/// An RPM version, `[epoch:]version[-release]`, ordered as rpm orders it.
///
/// Splitting follows rpm's `parseEVR`: an epoch is the run of digits before a colon at the very start (`1:2.0`;
/// `a:1` and `1.m+e2:1` have no epoch, the colon belongs to the version), a missing or empty epoch is `0`, and the
/// release is everything after the *last* hyphen. Each part is compared with `rpmvercmp`, including `~` (sorts
/// before everything, even the end) and `^` (sorts after the end, before anything else). A version without a
/// release sorts before the same version with one, as `rpm.vercmp` in rpm 4.18 does.
///
/// rpm compares any non-empty string; so does this comparator (non-ASCII letters are separators, as in rpm). Only
/// an empty string or one holding whitespace or control characters throws from `compare`. `validate` is stricter
/// and follows what rpmbuild accepts in Epoch, Version and Release.
public struct RpmVersion: Sendable, Hashable, CustomStringConvertible {
    /// The epoch as written, `0` when absent.
    public let epoch: String
    public let version: String
    /// nil when the string has no hyphen.
    public let release: String?

    /// Splits `string` as rpm's `parseEVR` does; throws only for what is not a version string at all.
    public init(parsing string: String) throws {
        try VersionStringRules.requirePrintable(string, "RPM")
        let scalars = Array(string.unicodeScalars)
        let digitsEnd = scalars.firstIndex { !("0"..."9").contains($0) } ?? scalars.endIndex
        var rest = Substring(string)
        if digitsEnd < scalars.endIndex, scalars[digitsEnd] == ":" {
            let epochDigits = String(String.UnicodeScalarView(scalars[..<digitsEnd]))
            epoch = epochDigits.isEmpty ? "0" : epochDigits
            rest = Substring(String(String.UnicodeScalarView(scalars[(digitsEnd + 1)...])))
        } else {
            epoch = "0"
        }
        if let hyphen = rest.lastIndex(of: "-") {
            version = String(rest[..<hyphen])
            release = String(rest[rest.index(after: hyphen)...])
        } else {
            version = String(rest)
            release = nil
        }
    }

    public var description: String {
        (epoch == "0" ? "" : "\(epoch):") + version + (release.map { "-\($0)" } ?? "")
    }

    /// Negative, zero or positive as `self` sorts before, with or after `other`.
    public func compare(to other: RpmVersion) -> Int {
        let byEpoch = Self.rpmvercmp(epoch, other.epoch)
        if byEpoch != 0 { return byEpoch }
        let byVersion = Self.rpmvercmp(version, other.version)
        if byVersion != 0 { return byVersion }
        switch (release, other.release) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case let (mine?, theirs?): return Self.rpmvercmp(mine, theirs)
        }
    }

    /// rpm's `rpmvercmp` (rpmio/rpmvercmp.c): alternating alphabetic and numeric segments, other characters
    /// separate them; numbers compare numerically and beat letters; `~` and `^` as described on the type.
    public static func rpmvercmp(_ a: String, _ b: String) -> Int {
        if a == b { return 0 }
        let one = Array(a.utf8)
        let two = Array(b.utf8)
        var i = 0
        var j = 0
        func isAlnum(_ c: UInt8) -> Bool { isDigit(c) || isAlpha(c) }
        let tilde = UInt8(ascii: "~")
        let caret = UInt8(ascii: "^")
        while i < one.count || j < two.count {
            while i < one.count, !isAlnum(one[i]), one[i] != tilde, one[i] != caret { i += 1 }
            while j < two.count, !isAlnum(two[j]), two[j] != tilde, two[j] != caret { j += 1 }

            let oneTilde = i < one.count && one[i] == tilde
            let twoTilde = j < two.count && two[j] == tilde
            if oneTilde || twoTilde {
                if !oneTilde { return 1 }
                if !twoTilde { return -1 }
                i += 1
                j += 1
                continue
            }
            // `^` sorts after the end of the other string but before anything else in it.
            let oneCaret = i < one.count && one[i] == caret
            let twoCaret = j < two.count && two[j] == caret
            if oneCaret || twoCaret {
                if i == one.count { return -1 }
                if j == two.count { return 1 }
                if !oneCaret { return 1 }
                if !twoCaret { return -1 }
                i += 1
                j += 1
                continue
            }
            if i == one.count || j == two.count { break }

            let numeric = isDigit(one[i])
            func belongs(_ c: UInt8) -> Bool { numeric ? isDigit(c) : isAlpha(c) }
            let oneStart = i
            let twoStart = j
            while i < one.count, belongs(one[i]) { i += 1 }
            while j < two.count, belongs(two[j]) { j += 1 }
            // Segments of different kinds: a number is newer than letters.
            if twoStart == j { return numeric ? 1 : -1 }

            var segmentOne = one[oneStart..<i]
            var segmentTwo = two[twoStart..<j]
            if numeric {
                segmentOne = segmentOne.drop { $0 == UInt8(ascii: "0") }
                segmentTwo = segmentTwo.drop { $0 == UInt8(ascii: "0") }
                if segmentOne.count != segmentTwo.count { return segmentOne.count > segmentTwo.count ? 1 : -1 }
            }
            if !segmentOne.elementsEqual(segmentTwo) {
                return segmentOne.lexicographicallyPrecedes(segmentTwo) ? -1 : 1
            }
        }
        if i == one.count && j == two.count { return 0 }
        return i == one.count ? -1 : 1
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
    private static func isAlpha(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
    }
}

/// The Red Hat comparator: `RpmVersion` behind the `VersionComparator` seam.
public struct RpmVersionComparator: VersionComparator {
    public init() {}

    public func compare(_ a: String, _ b: String) throws -> Int {
        try RpmVersion(parsing: a).compare(to: RpmVersion(parsing: b))
    }

    /// Throws unless the version is one rpmbuild would produce: a numeric epoch if any, and a non-empty version and
    /// release (if any) made of ASCII letters, digits and `._+~^`.
    public func validate(_ version: String) throws {
        let parsed = try RpmVersion(parsing: version)
        func fail(_ reason: String) -> ShrikeError {
            ShrikeError(.malformed, "RPM version \"\(version)\" is invalid: \(reason)", input: version)
        }
        let allowed = Set("._+~^".utf8)
        func ok(_ part: String) -> Bool {
            !part.isEmpty && part.utf8.allSatisfy { c in
                allowed.contains(c) || (c >= 0x30 && c <= 0x39) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A)
            }
        }
        if version.hasPrefix(":") { throw fail("the epoch before ':' is empty") }
        if !ok(parsed.version) {
            throw fail("the version part must be non-empty ASCII letters, digits and ._+~^ (and hold no ':')")
        }
        if let release = parsed.release, !ok(release) {
            throw fail("the release after the last '-' must be non-empty ASCII letters, digits and ._+~^")
        }
    }
}

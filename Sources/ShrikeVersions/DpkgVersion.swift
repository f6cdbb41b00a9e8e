import ShrikeCore

/// A Debian package version, `[epoch:]upstream[-revision]`, ordered as dpkg orders it.
///
/// Parsing follows dpkg's `parseversion` (lib/dpkg/parsehelp.c) and comparing its `verrevcmp`:
/// - What dpkg rejects with an error throws `malformed`, naming the version: an empty string, embedded blanks, an
///   epoch that is empty, not a number, negative or above `INT_MAX`, nothing after the colon, an empty upstream
///   version, an empty revision (`1.0-`). Leading and trailing blanks are dropped, as dpkg does.
/// - What dpkg only warns about (an upstream version not starting with a digit, characters outside policy) is
///   compared, as `dpkg --compare-versions` compares it, but `validate` throws for it, as dpkg's strict control-file
///   parser does. Control characters are refused outright (no dpkg database holds them).
/// - An absent revision compares as the empty string, which `verrevcmp` orders equal to `0`.
public struct DpkgVersion: Sendable, Hashable, CustomStringConvertible {
    public let epoch: Int
    public let upstream: String
    /// Empty when the version has no revision.
    public let revision: String

    /// Parses `string` as `dpkg --compare-versions` does; throws `malformed` where dpkg errors out.
    public init(parsing string: String) throws {
        try self.init(parsing: string, strict: false)
    }

    /// `strict` also refuses what dpkg merely warns about.
    init(parsing string: String, strict: Bool) throws {
        func fail(_ reason: String) -> ShrikeError {
            ShrikeError(.malformed, "Debian version \"\(string)\" is invalid: \(reason)", input: string)
        }
        let bytes = Array(string.utf8)
        var start = 0
        var end = bytes.count
        while start < end, Self.isBlank(bytes[start]) { start += 1 }
        while end > start, Self.isBlank(bytes[end - 1]) { end -= 1 }
        let body = Array(bytes[start..<end])
        if body.isEmpty { throw fail("version string is empty") }
        if body.contains(where: Self.isBlank) { throw fail("version string has embedded spaces") }
        if body.contains(where: { $0 < 0x20 || $0 == 0x7F }) { throw fail("it holds control characters") }

        var rest = body[...]
        if let colon = body.firstIndex(of: UInt8(ascii: ":")) {
            epoch = try Self.parseEpoch(body[..<colon], fail: fail)
            rest = body[(colon + 1)...]
            if rest.isEmpty { throw fail("nothing after colon in version number") }
        } else {
            epoch = 0
        }
        var upstreamBytes = rest
        var revisionBytes = rest[rest.endIndex...]
        if let hyphen = rest.lastIndex(of: UInt8(ascii: "-")) {
            upstreamBytes = rest[..<hyphen]
            revisionBytes = rest[(hyphen + 1)...]
            if revisionBytes.isEmpty { throw fail("revision number is empty") }
        }
        guard let first = upstreamBytes.first else { throw fail("upstream version is empty") }
        if strict {
            if !Self.isDigit(first) { throw fail("version number does not start with digit") }
            if upstreamBytes.contains(where: { !Self.isAlnum($0) && !Array(".-+~:".utf8).contains($0) }) {
                throw fail("invalid character in version number")
            }
            if revisionBytes.contains(where: { !Self.isAlnum($0) && !Array(".+~".utf8).contains($0) }) {
                throw fail("invalid character in revision number")
            }
        }
        upstream = String(decoding: upstreamBytes, as: UTF8.self)
        revision = String(decoding: revisionBytes, as: UTF8.self)
    }

    public var description: String {
        (epoch == 0 ? "" : "\(epoch):") + upstream + (revision.isEmpty ? "" : "-\(revision)")
    }

    /// Negative, zero or positive as `self` sorts before, with or after `other`.
    public func compare(to other: DpkgVersion) -> Int {
        if epoch != other.epoch { return epoch < other.epoch ? -1 : 1 }
        let byUpstream = Self.verrevcmp(Array(upstream.utf8), Array(other.upstream.utf8))
        if byUpstream != 0 { return byUpstream }
        return Self.verrevcmp(Array(revision.utf8), Array(other.revision.utf8))
    }

    /// dpkg's epoch rule: `strtol` must consume everything up to the colon, and the value fit a C `int`.
    private static func parseEpoch(_ bytes: ArraySlice<UInt8>, fail: (String) -> ShrikeError) throws -> Int {
        var digits = bytes
        var negative = false
        if let sign = digits.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            digits = digits.dropFirst()
        }
        if digits.first.map(isDigit) != true { throw fail("epoch in version is empty") }
        guard digits.allSatisfy(isDigit) else { throw fail("epoch in version is not number") }
        var value = 0
        for digit in digits {
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
            if value > Int(Int32.max) {
                throw fail(negative ? "epoch in version is negative" : "epoch in version is too big")
            }
        }
        if negative && value != 0 { throw fail("epoch in version is negative") }
        return value
    }

    /// `~` sorts before everything, even the end of the string; then the end; then letters; then everything else.
    private static func order(_ c: UInt8?) -> Int {
        guard let c else { return 0 }
        if isDigit(c) { return 0 }
        if isAlpha(c) { return Int(c) }
        if c == UInt8(ascii: "~") { return -1 }
        // dpkg computes `c + 256` on a signed `char`: bytes above 0x7F come out as `c - 256 + 256`.
        return c >= 0x80 ? Int(c) : Int(c) + 256
    }

    /// dpkg's `verrevcmp`: alternating non-digit runs (compared by `order`) and digit runs (compared numerically).
    static func verrevcmp(_ a: [UInt8], _ b: [UInt8]) -> Int {
        var i = 0
        var j = 0
        func at(_ s: [UInt8], _ k: Int) -> UInt8? { k < s.count ? s[k] : nil }
        while i < a.count || j < b.count {
            var firstDiff = 0
            while true {
                let x = at(a, i).flatMap { isDigit($0) ? nil : $0 }
                let y = at(b, j).flatMap { isDigit($0) ? nil : $0 }
                if x == nil && y == nil { break }
                let ac = order(x)
                let bc = order(y)
                if ac != bc { return ac < bc ? -1 : 1 }
                // Equal orders mean both are non-digit bytes: `order` gives 0 only to digits and the end.
                i += 1
                j += 1
            }
            while at(a, i) == UInt8(ascii: "0") { i += 1 }
            while at(b, j) == UInt8(ascii: "0") { j += 1 }
            while let x = at(a, i), let y = at(b, j), isDigit(x), isDigit(y) {
                if firstDiff == 0 { firstDiff = Int(x) - Int(y) }
                i += 1
                j += 1
            }
            if let x = at(a, i), isDigit(x) { return 1 }
            if let y = at(b, j), isDigit(y) { return -1 }
            if firstDiff != 0 { return firstDiff < 0 ? -1 : 1 }
        }
        return 0
    }

    private static func isBlank(_ c: UInt8) -> Bool { c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") }
    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
    private static func isAlpha(_ c: UInt8) -> Bool {
        (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
    }
    private static func isAlnum(_ c: UInt8) -> Bool { isDigit(c) || isAlpha(c) }
}

/// The Debian comparator: `DpkgVersion` behind the `VersionComparator` seam.
public struct DpkgVersionComparator: VersionComparator {
    public init() {}

    public func compare(_ a: String, _ b: String) throws -> Int {
        try DpkgVersion(parsing: a).compare(to: DpkgVersion(parsing: b))
    }

    /// Strict: also refuses what dpkg only warns about (see `DpkgVersion`).
    public func validate(_ version: String) throws {
        _ = try DpkgVersion(parsing: version, strict: true)
    }
}

import ShrikeCore

/// How two versions are ordered; written `<`, `=` or `>` in vector files and by `shrike version compare`.
public enum VersionOrder: String, Sendable, CaseIterable, CustomStringConvertible {
    case less = "<"
    case equal = "="
    case greater = ">"

    /// The order a comparator's result stands for: negative, zero or positive.
    public init(sign: Int) {
        self = sign < 0 ? .less : (sign == 0 ? .equal : .greater)
    }

    /// `<`, `=` or `>`.
    public var symbol: String { rawValue }
    public var description: String { rawValue }
}

extension Versions {
    /// Orders `a` against `b` by `ecosystem`'s rules. Throws `malformed` naming the version a tool would refuse, or
    /// `unsupportedFormat` when `ecosystem` has no comparator yet.
    public static func order(_ a: String, _ b: String, in ecosystem: Ecosystem) throws -> VersionOrder {
        VersionOrder(sign: try comparator(for: ecosystem).compare(a, b))
    }
}

/// A non-negative decimal number of any length, as version components are written.
///
/// Versions in the wild carry numbers far beyond 64 bits (dates with seconds, 30-digit test vectors), so the digits
/// are kept as text with leading zeros removed and ordered by length, then digit by digit.
struct VersionNumeral: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The digits without leading zeros; `"0"` for zero.
    let digits: String

    static let zero = VersionNumeral(normalized: "0")

    private init(normalized: String) { digits = normalized }

    /// Nil unless `text` is one or more ASCII digits.
    init?(_ text: some StringProtocol) {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        let trimmed = text.drop { $0 == "0" }
        digits = trimmed.isEmpty ? "0" : String(trimmed)
    }

    var isZero: Bool { digits == "0" }

    var description: String { digits }

    static func < (lhs: VersionNumeral, rhs: VersionNumeral) -> Bool {
        let left = lhs.digits.utf8.count, right = rhs.digits.utf8.count
        if left != right { return left < right }
        return lhs.digits.utf8.lexicographicallyPrecedes(rhs.digits.utf8)
    }
}

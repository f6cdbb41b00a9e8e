/// A RubyGems version, ordered as `Gem::Version#<=>`.
///
/// The version splits into runs of digits and runs of letters (`1.0.a10` is `1, 0, a, 10`; `-` means `.pre.`).
/// Trailing zeros are dropped from the numeric part and from the part after the first letters, then segments
/// compare pairwise with missing ones as 0: numbers numerically, letters bytewise, and letters before numbers — so
/// any version with a letter is a pre-release of the numbers before it (`1.0.b1 < 1.0`).
/// Versions must start with a digit and hold only letters, digits, `.` and `-`, with no empty dot segment.
public struct RubyGemsVersion: ParsedVersion, CustomStringConvertible {
    enum Segment: Equatable, Sendable {
        case number(VersionNumeral)
        case text(String)
    }

    /// The string as given.
    public let description: String
    let segments: [Segment]

    /// True when the version contains a letter.
    public var isPrerelease: Bool {
        segments.contains { if case .text = $0 { return true } else { return false } }
    }

    public init(parsing version: String) throws {
        let example = "1.2.3 or 2.0.0.rc1"
        let text = try VersionOrdering.trimmed(version, ecosystem: "RubyGems", example: example)
        description = version
        guard let first = text.first, first.isASCII, first.isNumber,
              text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "." || $0 == "-") }),
              !text.split(separator: ".", omittingEmptySubsequences: false).contains(where: \.isEmpty) else {
            throw VersionOrdering.malformed(version, "RubyGems",
                                            "it must start with a digit and hold only letters, digits, '.' and '-'",
                                            example: example)
        }
        segments = Self.canonical(Self.runs(text.map { $0 == "-" ? ".pre." : String($0) }.joined()))
    }

    private static func runs(_ text: String) -> [Segment] {
        var segments: [Segment] = []
        var current = ""
        func flush() {
            guard !current.isEmpty else { return }
            segments.append(VersionNumeral(current).map(Segment.number) ?? .text(current))
            current = ""
        }
        for c in text {
            if c == "." { flush(); continue }
            if let last = current.last, last.isNumber != c.isNumber { flush() }
            current.append(c)
        }
        flush()
        return segments
    }

    private static func canonical(_ segments: [Segment]) -> [Segment] {
        func dropTrailingZeros(_ part: ArraySlice<Segment>) -> [Segment] {
            var part = Array(part)
            while part.last == .number(.zero) { part.removeLast() }
            return part
        }
        let split = segments.firstIndex { if case .text = $0 { return true } else { return false } } ?? segments.count
        return dropTrailingZeros(segments[..<split]) + dropTrailingZeros(segments[split...])
    }

    func order(_ other: RubyGemsVersion) -> Int {
        for i in 0..<max(segments.count, other.segments.count) {
            let a = i < segments.count ? segments[i] : .number(.zero)
            let b = i < other.segments.count ? other.segments[i] : .number(.zero)
            switch (a, b) {
            case let (.number(x), .number(y)) where x != y: return VersionOrdering.compare(x, y)
            case let (.text(x), .text(y)) where x != y: return VersionOrdering.compareBytes(x, y)
            case (.text, .number): return -1
            case (.number, .text): return 1
            default: continue
            }
        }
        return 0
    }

    public static func < (a: RubyGemsVersion, b: RubyGemsVersion) -> Bool { a.order(b) < 0 }
    public static func == (a: RubyGemsVersion, b: RubyGemsVersion) -> Bool { a.order(b) == 0 }
}

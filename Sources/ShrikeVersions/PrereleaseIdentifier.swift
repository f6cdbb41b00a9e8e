/// One dot-separated identifier of a SemVer-style pre-release label (`rc`, `1`, `x-y`).
///
/// SemVer 2.0 §11: numeric identifiers compare numerically and sort before alphanumeric ones, which compare by
/// ASCII; a longer list sorts after its own prefix.
enum PrereleaseIdentifier: Sendable {
    case numeric(VersionNumeral)
    case alphanumeric(String)

    init(_ text: Substring) {
        self = VersionNumeral(text).map { .numeric($0) } ?? .alphanumeric(String(text))
    }

    static func compare(_ a: PrereleaseIdentifier, _ b: PrereleaseIdentifier) -> Int {
        switch (a, b) {
        case let (.numeric(x), .numeric(y)): return VersionOrdering.compare(x, y)
        case let (.alphanumeric(x), .alphanumeric(y)): return VersionOrdering.compareBytes(x, y)
        case (.numeric, .alphanumeric): return -1
        case (.alphanumeric, .numeric): return 1
        }
    }

    /// Orders two pre-release labels; an empty label (a release) sorts after every pre-release.
    static func compare(_ a: [PrereleaseIdentifier], _ b: [PrereleaseIdentifier]) -> Int {
        switch (a.isEmpty, b.isEmpty) {
        case (true, true): return 0
        case (true, false): return 1
        case (false, true): return -1
        case (false, false): return VersionOrdering.compareLexicographically(a, b) { compare($0, $1) }
        }
    }

    /// Splits `label` at dots; nil when an identifier is empty or holds anything but `[0-9A-Za-z-]`.
    static func parseList(_ label: Substring) -> [PrereleaseIdentifier]? {
        let parts = label.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.allSatisfy(isIdentifier) else { return nil }
        return parts.map(PrereleaseIdentifier.init)
    }

    static func isIdentifier(_ text: Substring) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic
            || ($0 >= "0" && $0 <= "9") || $0 == "-") }
    }
}

/// The main section of a jar's `META-INF/MANIFEST.MF`.
///
/// Lines are `Name: value`; a line starting with one space continues the previous value (the format wraps at 72
/// bytes); the main section ends at the first blank line. Names compare case-insensitively, as in `java.util.jar`.
public struct JavaManifest: Sendable, Equatable {
    /// Attributes of the main section, keyed by lower-cased name.
    public private(set) var attributes: [String: String] = [:]

    public init(parsing text: String) {
        var currentKey: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            var line = Substring(rawLine)
            if line.hasSuffix("\r") { line = line.dropLast() }
            if line.isEmpty {
                // The main section ends here; per-entry sections follow.
                if !attributes.isEmpty { break }
                continue
            }
            if line.hasPrefix(" ") {
                if let key = currentKey { attributes[key, default: ""] += line.dropFirst() }
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { currentKey = nil; continue }
            let key = line[..<colon].trimmedSpaces.lowercased()
            var value = line[line.index(after: colon)...]
            if value.hasPrefix(" ") { value = value.dropFirst() }
            attributes[key] = String(value)
            currentKey = key
        }
    }

    /// The value of attribute `name` (any case), trimmed; nil when absent or empty.
    public subscript(name: String) -> String? {
        guard let value = attributes[name.lowercased()]?.trimmedSpaces, !value.isEmpty else {
            return nil
        }
        return value
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs (all manifests and properties files trim).
    var trimmedSpaces: String {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
        return String(slice)
    }
}

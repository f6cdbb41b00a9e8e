/// Reads the os-release format (`/etc/os-release`, `/usr/lib/os-release`): one `KEY=value` assignment per line.
///
/// Values may be bare or quoted with `"` or `'`; inside double quotes and in bare values a backslash escapes the
/// next character (`\"`, `\\`, `\$`, `` \` ``), inside single quotes nothing is escaped, as in a shell. Blank lines,
/// `#` comments and lines that are not assignments are skipped, so a damaged file still yields what it can.
public enum OSReleaseParser {
    /// The assignments in `text`, by key. A key assigned twice keeps its last value (as sourcing it in a shell would).
    public static func parse(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for rawLine in text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            let line = rawLine.drop(while: { $0 == " " || $0 == "\t" })
            if line.isEmpty || line.first == "#" { continue }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<equals]).trimmingSpaces()
            guard isValidKey(key) else { continue }
            fields[key] = unquote(line[line.index(after: equals)...])
        }
        return fields
    }

    /// The distribution the assignments describe; nil when `ID` is missing or empty.
    ///
    /// `ID` and `ID_LIKE` are lower-cased (the specification allows only lower case there; some vendors ignore that).
    public static func distro(from fields: [String: String]) -> Distro? {
        guard let id = fields["ID"]?.trimmingSpaces().lowercased(), !id.isEmpty else { return nil }
        return Distro(
            id: id,
            versionID: nonEmpty(fields["VERSION_ID"]),
            prettyName: nonEmpty(fields["PRETTY_NAME"]),
            codename: nonEmpty(fields["VERSION_CODENAME"]),
            idLike: (fields["ID_LIKE"] ?? "").lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init))
    }

    /// `distro(from: parse(text))`.
    public static func distro(fromText text: String) -> Distro? {
        distro(from: parse(text))
    }

    static func isValidKey(_ key: String) -> Bool {
        guard let first = key.unicodeScalars.first, !(first >= "0" && first <= "9") else { return false }
        return key.unicodeScalars.allSatisfy { ($0 >= "A" && $0 <= "Z") || ($0 >= "a" && $0 <= "z") || ($0 >= "0" && $0 <= "9") || $0 == "_" }
    }

    /// Shell-style unquoting of one value. Quoted and bare parts may be concatenated (`"a"b'c'`); an unterminated
    /// quote runs to the end of the line rather than failing. Unquoted trailing whitespace and `# comments` end it.
    static func unquote(_ value: Substring) -> String {
        var out = ""
        var quote: Character?
        var escaping = false
        var pendingSpaces = ""
        var started = false
        for character in value {
            // Whitespace before the value proper is not part of it (`KEY= value` is read as `value`).
            if !started, quote == nil, character == " " || character == "\t" { continue }
            started = true
            if escaping {
                out += pendingSpaces
                pendingSpaces = ""
                // Inside double quotes only these characters are escapable; elsewhere the backslash stays.
                if quote == "\"", !"\"\\$`".contains(character) { out.append("\\") }
                out.append(character)
                escaping = false
                continue
            }
            switch (quote, character) {
            case ("'", "'"), ("\"", "\""):
                quote = nil
            case ("'", _):
                out.append(character)
            case (_, "\\"):
                escaping = true
            case ("\"", _):
                out.append(character)
            case (nil, "'"), (nil, "\""):
                out += pendingSpaces
                pendingSpaces = ""
                quote = character
            case (nil, " "), (nil, "\t"):
                pendingSpaces.append(character)
            case (nil, "#") where !pendingSpaces.isEmpty:
                return out
            default:
                out += pendingSpaces
                pendingSpaces = ""
                out.append(character)
            }
        }
        if escaping { out.append("\\") }
        return out
    }

    static func nonEmpty(_ value: String?) -> String? {
        guard let value else { return nil }
        let trimmed = value.trimmingSpaces()
        return trimmed.isEmpty ? nil : trimmed
    }
}

extension StringProtocol {
    /// The string without leading and trailing spaces, tabs and line ends.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }
        guard let start = firstIndex(where: { !isSpace($0) }), let end = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[start...end])
    }
}

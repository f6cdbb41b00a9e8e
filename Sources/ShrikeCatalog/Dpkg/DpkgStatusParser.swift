/// Reads dpkg status databases: RFC 822-style stanzas separated by blank lines, one `Field: value` per line, with
/// continuation lines starting with a space or tab.
///
/// The parser is lenient, as dpkg itself is when reading: lines that are neither fields nor continuations are
/// skipped, field names are case-insensitive, CRLF line ends and a missing final newline are accepted, and a stanza
/// without `Package:` or `Version:` is dropped rather than failing the whole database.
public enum DpkgStatusParser {
    /// Every stanza with a package name and version, installed or not, in file order.
    public static func parse(_ bytes: [UInt8]) -> [DpkgStatusEntry] {
        parse(String(decoding: bytes, as: UTF8.self))
    }

    /// Every stanza with a package name and version, installed or not, in file order.
    public static func parse(_ text: String) -> [DpkgStatusEntry] {
        stanzas(text).compactMap(entry(from:))
    }

    /// Only the packages whose files are on disk (`DpkgStatusEntry.isInstalled`).
    public static func parseInstalled(_ bytes: [UInt8]) -> [DpkgStatusEntry] {
        parse(bytes).filter(\.isInstalled)
    }

    /// The stanzas of `text` as field maps, keys lower-cased. Multi-line values keep their line breaks with the
    /// leading continuation space removed; the first line's value is trimmed.
    public static func stanzas(_ text: String) -> [[String: String]] {
        var result: [[String: String]] = []
        var current: [String: String] = [:]
        var lastKey: String?
        // "\r\n" is one Character in Swift, so it must be named as a separator of its own.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = rawLine.last == "\r" ? rawLine.dropLast() : rawLine[...]
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) {
                if !current.isEmpty { result.append(current) }
                current = [:]
                lastKey = nil
                continue
            }
            if let first = line.first, first == " " || first == "\t" {
                if let lastKey, let previous = current[lastKey] {
                    current[lastKey] = previous + "\n" + String(line.dropFirst())
                }
                continue
            }
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                lastKey = nil
                continue
            }
            let key = String(line[..<colon]).lowercased()
            current[key] = line[line.index(after: colon)...].trimmingSpaces()
            lastKey = key
        }
        if !current.isEmpty { result.append(current) }
        return result
    }

    static func entry(from fields: [String: String]) -> DpkgStatusEntry? {
        guard let package = nonEmpty(fields["package"]), let version = nonEmpty(fields["version"]) else { return nil }
        var source: String?
        var sourceVersion: String?
        if let rawSource = nonEmpty(fields["source"]) {
            (source, sourceVersion) = splitSource(rawSource)
        }
        return DpkgStatusEntry(package: package, version: version, architecture: nonEmpty(fields["architecture"]),
                               source: source, sourceVersion: sourceVersion, status: nonEmpty(fields["status"]),
                               license: nonEmpty(fields["license"]))
    }

    /// `glibc (2.36-9+deb12u4)` → (`glibc`, `2.36-9+deb12u4`); `zlib` → (`zlib`, nil).
    static func splitSource(_ raw: String) -> (String, String?) {
        guard let open = raw.firstIndex(of: "(") else { return (raw, nil) }
        let name = raw[..<open].trimmingSpaces()
        let afterOpen = raw[raw.index(after: open)...]
        let version = (afterOpen.firstIndex(of: ")").map { afterOpen[..<$0] } ?? afterOpen).trimmingSpaces()
        return (name.isEmpty ? raw : name, version.isEmpty ? nil : version)
    }

    static func nonEmpty(_ value: String?) -> String? {
        guard let value else { return nil }
        let trimmed = value.trimmingSpaces()
        return trimmed.isEmpty ? nil : trimmed
    }
}

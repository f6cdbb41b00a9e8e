/// Reads apk's installed database: records separated by blank lines, each line a one-letter field, `:` and a value.
///
/// Only the fields Shrike uses are kept (`P V A o L F R`). File ownership is positional: each `R:` names a file in
/// the directory of the `F:` line before it. Lenient like apk: CRLF line ends, a missing final newline and unknown
/// or malformed lines are accepted; a record without `P:` or `V:` is dropped.
public enum ApkInstalledParser {
    /// The records of `bytes`, in database order.
    public static func parse(_ bytes: [UInt8]) -> [ApkInstalledEntry] {
        parse(String(decoding: bytes, as: UTF8.self))
    }

    /// The records of `text`, in database order.
    public static func parse(_ text: String) -> [ApkInstalledEntry] {
        var entries: [ApkInstalledEntry] = []
        var record = Record()
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = rawLine.last == "\r" ? rawLine.dropLast() : rawLine[...]
            if line.isEmpty {
                if let entry = record.entry() { entries.append(entry) }
                record = Record()
                continue
            }
            guard let field = line.first, line.dropFirst().first == ":" else { continue }
            let value = String(line.dropFirst(2))
            switch field {
            case "P": record.name = value
            case "V": record.version = value
            case "A": record.architecture = value
            case "o": record.origin = value
            case "L": record.license = value
            case "F": record.directory = value
            case "R":
                guard !value.isEmpty else { continue }
                let directory = record.directory.split(separator: "/").joined(separator: "/")
                record.files.append(directory.isEmpty ? "/" + value : "/" + directory + "/" + value)
            default: continue
            }
        }
        if let entry = record.entry() { entries.append(entry) }
        return entries
    }

    private struct Record {
        var name = ""
        var version = ""
        var architecture: String?
        var origin: String?
        var license: String?
        var directory = ""
        var files: [String] = []

        func entry() -> ApkInstalledEntry? {
            guard !name.isEmpty, !version.isEmpty else { return nil }
            return ApkInstalledEntry(name: name, version: version, architecture: nonEmpty(architecture),
                                     origin: nonEmpty(origin), license: nonEmpty(license), files: files)
        }

        func nonEmpty(_ value: String?) -> String? {
            guard let value, !value.isEmpty else { return nil }
            return value
        }
    }
}

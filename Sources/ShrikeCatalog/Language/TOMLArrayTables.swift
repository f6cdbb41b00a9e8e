/// Reads the `[[name]]` array-of-tables entries of a TOML file (`Cargo.lock`, `poetry.lock`) as flat string maps.
///
/// Only what lockfiles need: each entry's `key = "string"` pairs, with keys of its sub-tables (`[package.source]`)
/// prefixed (`source.type`). Arrays, inline tables and multi-line strings are skipped over, never interpreted, so a
/// lockfile's dependency lists and file hashes cannot confuse the reader.
enum TOMLArrayTables {
    /// The entries of every `[[table]]` in `text`, in file order.
    static func entries(named table: String, in text: String) -> [[String: String]] {
        var result: [[String: String]] = []
        var current: [String: String]?
        var prefix: String?
        var skipping: SkipState = .none
        for rawLine in LanguageFiles.lines(Array(text.utf8)) {
            let line = rawLine.trimmingSpaces()
            switch skipping {
            case .array(let depth):
                let newDepth = depth + bracketBalance(line)
                skipping = newDepth > 0 ? .array(newDepth) : .none
                continue
            case .multilineString(let delimiter):
                if line.contains(delimiter) { skipping = .none }
                continue
            case .none:
                break
            }
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("[[") {
                if let current { result.append(current) }
                let name = line.dropFirst(2).prefix { $0 != "]" }.trimmingSpaces()
                current = name == table ? [:] : nil
                prefix = ""
                continue
            }
            if line.hasPrefix("[") {
                let name = line.dropFirst().prefix { $0 != "]" }.trimmingSpaces()
                if current != nil, name.hasPrefix(table + ".") {
                    prefix = String(name.dropFirst(table.count + 1)) + "."
                } else {
                    if let entry = current { result.append(entry) }
                    current = nil
                    prefix = nil
                }
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingSpaces().unquoted()
            let value = line[line.index(after: equals)...].trimmingSpaces()
            if value.hasPrefix("\"\"\"") || value.hasPrefix("'''") {
                let delimiter = String(value.prefix(3))
                if !value.dropFirst(3).contains(delimiter) { skipping = .multilineString(delimiter) }
                continue
            }
            if value.hasPrefix("[") {
                let depth = bracketBalance(value)
                if depth > 0 { skipping = .array(depth) }
                continue
            }
            guard current != nil, let prefix, let string = basicString(value) else { continue }
            current?[prefix + key] = string
        }
        if let current { result.append(current) }
        return result
    }

    private enum SkipState { case none, array(Int), multilineString(String) }

    /// The value of a one-line `"…"` or `'…'` string (trailing comments allowed), else nil.
    static func basicString(_ value: String) -> String? {
        guard let quote = value.first, quote == "\"" || quote == "'" else { return nil }
        var out = ""
        var escaped = false
        for character in value.dropFirst() {
            if escaped {
                out.append(character)
                escaped = false
            } else if character == "\\" && quote == "\"" {
                escaped = true
            } else if character == quote {
                return out
            } else {
                out.append(character)
            }
        }
        return nil
    }

    /// Opening minus closing brackets on a line, ignoring those inside strings.
    static func bracketBalance(_ line: String) -> Int {
        var depth = 0
        var quote: Character?
        var escaped = false
        for character in line {
            if let open = quote {
                if escaped { escaped = false } else if character == "\\" && open == "\"" { escaped = true } else if character == open { quote = nil }
                continue
            }
            switch character {
            case "\"", "'": quote = character
            case "[": depth += 1
            case "]": depth -= 1
            case "#": return depth
            default: break
            }
        }
        return depth
    }
}

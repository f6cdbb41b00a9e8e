/// Reads the fields Shrike needs from an installed gem's specification (`specifications/<name>-<version>.gemspec`),
/// the Ruby source RubyGems writes: `s.name = "rake".freeze`, `s.version = "13.0.6"`, `s.licenses = ["MIT".freeze]`.
///
/// The file is Ruby, not data; only those assignment lines are read, whatever the block variable is called, with
/// `"…"`, `'…'` or `%q{…}` strings. Anything else (computed values) is not evaluated.
enum GemspecParser {
    struct Fields: Equatable {
        var name: String?
        var version: String?
        var licenses: [String] = []
    }

    static func parse(_ bytes: [UInt8]) -> Fields {
        var fields = Fields()
        for rawLine in LanguageFiles.lines(bytes) {
            let line = rawLine.trimmingSpaces()
            guard let (attribute, value) = assignment(line) else { continue }
            switch attribute {
            case "name": fields.name = fields.name ?? strings(in: value).first
            case "version": fields.version = fields.version ?? strings(in: value).first
            case "license", "licenses":
                if fields.licenses.isEmpty { fields.licenses = strings(in: value) }
            default: break
            }
        }
        return fields
    }

    /// `s.name = "x"` → (`name`, `"x"`). Only `<identifier>.<attribute> = <value>` lines.
    static func assignment(_ line: String) -> (String, Substring)? {
        guard let dot = line.firstIndex(of: "."), let equals = line.firstIndex(of: "="), dot < equals else { return nil }
        let receiver = line[..<dot]
        guard !receiver.isEmpty, receiver.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        let attribute = line[line.index(after: dot)..<equals].trimmingSpaces()
        guard !attribute.isEmpty, attribute.allSatisfy({ $0.isLetter || $0 == "_" }) else { return nil }
        let after = line.index(after: equals)
        guard after < line.endIndex, line[after] != "=" else { return nil }  // `==` is a comparison
        return (attribute, line[after...])
    }

    /// The string literals in a value, in order: `["MIT".freeze, 'Ruby']`, `%q{rake}`.
    static func strings(in value: Substring) -> [String] {
        var found: [String] = []
        var index = value.startIndex
        while index < value.endIndex {
            let character = value[index]
            if character == "\"" || character == "'" {
                let start = value.index(after: index)
                guard let end = value[start...].firstIndex(of: character) else { break }
                found.append(String(value[start..<end]))
                index = value.index(after: end)
                continue
            }
            if character == "%", value[index...].hasPrefix("%q{") || value[index...].hasPrefix("%Q{") {
                let start = value.index(index, offsetBy: 3)
                guard let end = value[start...].firstIndex(of: "}") else { break }
                found.append(String(value[start..<end]))
                index = value.index(after: end)
                continue
            }
            index = value.index(after: index)
        }
        return found
    }
}

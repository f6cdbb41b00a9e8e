/// Splits instruction arguments into words as the builder does for `COPY`, `ENV`, `LABEL`, `USER`: on unquoted
/// white space, with single and double quotes removed and a backslash escaping the next character.
enum ArgumentWords {
    static func split(_ text: String, escape: Character = "\\") -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in text {
            if escaped {
                current.append(character)
                escaped = false
                continue
            }
            if character == escape, quote != "'" {
                escaped = true
                inWord = true
                continue
            }
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
                continue
            }
            if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character == " " || character == "\t" || character == "\n" {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    /// `KEY=VALUE` pairs of `ENV`, `LABEL` and `ARG` (values unquoted); the legacy `ENV KEY value` form gives one
    /// pair with the rest of the line as the value.
    static func pairs(_ text: String, legacy: Bool) -> [(key: String, value: String)] {
        let words = split(text)
        guard let first = words.first else { return [] }
        if legacy, !first.contains("=") {
            let rest = text.drop { $0 == " " || $0 == "\t" }.dropFirst(first.count)
            return [(first, ArgumentWords.split(String(rest)).joined(separator: " "))]
        }
        return words.map { word in
            guard let equals = word.firstIndex(of: "=") else { return (word, "") }
            return (String(word[..<equals]), String(word[word.index(after: equals)...]))
        }
    }
}

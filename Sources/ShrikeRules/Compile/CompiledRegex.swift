#if canImport(Glibc)
import Glibc
#endif

/// A regular expression compiled once (POSIX extended syntax, with `\d \w \s` and their negations translated),
/// matched against the whole string as Falco's `regex` operator does.
final class CompiledRegex: @unchecked Sendable {
    // @unchecked: the regex_t is written only in init; regexec on a compiled pattern is thread-safe (POSIX).
    private var regex = regex_t()

    /// Throws a message naming the pattern when it does not compile.
    init(_ pattern: String) throws(RegexError) {
        let translated = "^(" + Self.translate(pattern) + ")$"
        let status = regcomp(&regex, translated, REG_EXTENDED | REG_NOSUB)
        if status != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            regerror(status, &regex, &buffer, buffer.count)
            let message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw RegexError(message: message)
        }
    }

    deinit { regfree(&regex) }

    func matches(_ string: String) -> Bool {
        string.withCString { regexec(&regex, $0, 0, nil, 0) == 0 }
    }

    /// RE2/PCRE shorthands into POSIX bracket expressions; `(?:` groups into plain groups.
    static func translate(_ pattern: String) -> String {
        var out = ""
        var chars = Array(pattern)
        var index = 0
        var inBracket = false
        while index < chars.count {
            let char = chars[index]
            if char == "\\", index + 1 < chars.count {
                let next = chars[index + 1]
                let classes: [Character: (String, Bool)] = [
                    "d": ("[:digit:]", false), "D": ("[:digit:]", true), "w": ("[:alnum:]_", false),
                    "W": ("[:alnum:]_", true), "s": ("[:space:]", false), "S": ("[:space:]", true),
                ]
                if let (cls, negated) = classes[next] {
                    out += inBracket ? cls : (negated ? "[^\(cls)]" : "[\(cls)]")
                    index += 2
                    continue
                }
                out.append(char)
                out.append(next)
                index += 2
                continue
            }
            if char == "[" { inBracket = true }
            if char == "]" { inBracket = false }
            if char == "(", index + 2 < chars.count, chars[index + 1] == "?", chars[index + 2] == ":" {
                out.append("(")
                index += 3
                continue
            }
            out.append(char)
            index += 1
        }
        chars = []
        return out
    }
}

struct RegexError: Error {
    var message: String
}

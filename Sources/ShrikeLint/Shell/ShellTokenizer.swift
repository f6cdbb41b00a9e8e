/// The state machine behind `ShellScript`: reads characters into words and separators, and words into commands.
struct ShellTokenizer {
    private let characters: [Character]
    private var position = 0
    private var nested: [ShellCommand] = []
    private var depth: Int

    private static let maxDepth = 16
    private static let keywordsBeforeCommand: Set<String> = ["if", "then", "else", "elif", "do", "while", "until", "!", "{", "(", "time"]
    private static let keywordsEnding: Set<String> = ["fi", "done", "esac", "}", ")"]

    init(_ characters: [Character], depth: Int = 0) {
        self.characters = characters
        self.depth = depth
    }

    private enum Token: Equatable {
        case word(String)
        case separator(String)
    }

    /// The commands in order (substitutions' commands after the command that holds them) and whether a pipe occurs.
    mutating func commands() -> ([ShellCommand], Bool) {
        var commands: [ShellCommand] = []
        var words: [String] = []
        var pipes = false
        var skipUntilSeparator = false
        func finish() {
            var rest = words[...]
            while let first = rest.first, Self.isAssignment(first) || Self.keywordsBeforeCommand.contains(first) { rest = rest.dropFirst() }
            if let name = rest.first, !Self.keywordsEnding.contains(name) {
                commands.append(ShellCommand(name: name, arguments: Array(rest.dropFirst())))
            }
            commands.append(contentsOf: nested)
            nested = []
            words = []
        }
        while let token = next() {
            switch token {
            case .separator(let separator):
                if separator == "|" || separator == "|&" { pipes = true }
                skipUntilSeparator = false
                finish()
            case .word(let word):
                if skipUntilSeparator { continue }
                if words.isEmpty, word == "for" || word == "case" || word == "select" {
                    skipUntilSeparator = true
                    continue
                }
                if words.isEmpty, word.hasSuffix(")"), !word.hasPrefix("$") { continue }
                words.append(word)
            }
        }
        finish()
        return (commands, pipes)
    }

    private static func isAssignment(_ word: String) -> Bool {
        guard let equals = word.firstIndex(of: "="), equals != word.startIndex else { return false }
        return word[..<equals].allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }

    private func peek(_ offset: Int = 0) -> Character? {
        position + offset < characters.count ? characters[position + offset] : nil
    }

    private mutating func next() -> Token? {
        // Blanks and line continuations between words.
        while let c = peek() {
            if c == " " || c == "\t" || c == "\r" { position += 1 } else if c == "\\", peek(1) == "\n" { position += 2 } else { break }
        }
        guard let c = peek() else { return nil }
        if c == "#" {
            while let d = peek(), d != "\n" { position += 1 }
            return next()
        }
        if c == "\n" || c == ";" || c == "(" || c == ")" {
            position += 1
            if c == ";", peek() == ";" { position += 1 }
            return .separator(String(c))
        }
        if c == "&" {
            if peek(1) == "&" { position += 2; return .separator("&&") }
            if peek(1) == ">" { position += 2; skipRedirectTarget(); return next() }
            position += 1
            return .separator("&")
        }
        if c == "|" {
            if peek(1) == "|" { position += 2; return .separator("||") }
            if peek(1) == "&" { position += 2; return .separator("|&") }
            position += 1
            return .separator("|")
        }
        if c == ">" || c == "<" {
            readRedirect()
            return next()
        }
        return readWord()
    }

    /// `>`, `>>`, `>&`, `>|`, `<`, `<<`, `<<-`, `<<<`, `<&`, `<>` and the word after it.
    private mutating func readRedirect() {
        position += 1
        while let d = peek(), d == ">" || d == "<" || d == "&" || d == "|" || d == "-" { position += 1 }
        skipRedirectTarget()
    }

    private mutating func skipRedirectTarget() {
        while let d = peek(), d == " " || d == "\t" { position += 1 }
        guard let d = peek(), d != "\n", d != ";", d != "|", d != "&" else { return }
        _ = readWord()
    }

    private mutating func readWord() -> Token? {
        var word = ""
        while let c = peek() {
            switch c {
            case " ", "\t", "\n", "\r", ";", "&", "|", "(", ")":
                if c == "(", word.hasSuffix("$") || word.hasSuffix("=") || word.hasSuffix("<") {
                    // $( … ) substitution, a=( … ) array: read through the matching parenthesis.
                    word += readSubstitution(open: "(", close: ")")
                    continue
                }
                return finishWord(word)
            case ">", "<":
                // `2>&1`: a word of digits before a redirection is a file descriptor, not an argument.
                if word.allSatisfy(\.isNumber) {
                    readRedirect()
                    return word.isEmpty ? next() : next()
                }
                return finishWord(word)
            case "\\":
                position += 1
                if let d = peek() {
                    if d != "\n" { word.append(d) }
                    position += 1
                }
            case "'":
                position += 1
                while let d = peek(), d != "'" { word.append(d); position += 1 }
                position += 1
            case "\"":
                position += 1
                while let d = peek(), d != "\"" {
                    if d == "\\", let e = peek(1), "\"\\$`\n".contains(e) {
                        if e != "\n" { word.append(e) }
                        position += 2
                    } else if d == "$" {
                        position += 1
                        word += readDollar()
                    } else if d == "`" {
                        position += 1
                        word += readBackquoted()
                    } else {
                        word.append(d)
                        position += 1
                    }
                }
                position += 1
            case "$":
                position += 1
                word += readDollar()
            case "`":
                position += 1
                word += readBackquoted()
            default:
                word.append(c)
                position += 1
            }
        }
        return finishWord(word)
    }

    private func finishWord(_ word: String) -> Token? { .word(word) }

    /// After `$`: `${…}` kept as is, `$NAME` spelled `${NAME}`, `$(…)` read as a nested script.
    private mutating func readDollar() -> String {
        guard let c = peek() else { return "$" }
        if c == "{" {
            return "$" + readSubstitution(open: "{", close: "}", parse: false)
        }
        if c == "(" {
            let inner = readSubstitution(open: "(", close: ")")
            return "${" + inner.dropFirst().dropLast() + "}"
        }
        if c == "'" {
            // $'…' ANSI-C quoting.
            position += 1
            var text = ""
            while let d = peek(), d != "'" {
                if d == "\\", let e = peek(1) { text.append(e); position += 2 } else { text.append(d); position += 1 }
            }
            position += 1
            return text
        }
        var name = ""
        while let d = peek(), d.isLetter || d.isNumber || d == "_" {
            name.append(d)
            position += 1
            if name.first?.isNumber == true { break }
        }
        if name.isEmpty, let d = peek(), "@*#?$!-".contains(d) {
            position += 1
            return "${\(d)}"
        }
        return name.isEmpty ? "$" : "${\(name)}"
    }

    /// Reads a balanced `( … )` or `{ … }` (quotes respected) and returns it with its delimiters; the commands of a
    /// `$( … )` are collected for the enclosing script.
    private mutating func readSubstitution(open: Character, close: Character, parse: Bool = true) -> String {
        let start = position
        var level = 0
        var quote: Character?
        while let c = peek() {
            position += 1
            if let q = quote {
                if c == "\\", q == "\"" { position += 1 } else if c == q { quote = nil }
                continue
            }
            if c == "'" || c == "\"" { quote = c } else if c == "\\" { position += 1 } else if c == open { level += 1 } else if c == close {
                level -= 1
                if level == 0 { break }
            }
        }
        let end = min(position, characters.count)
        let text = String(characters[start..<end])
        if parse, open == "(", depth < Self.maxDepth, text.count >= 2 {
            var inner = ShellTokenizer(Array(text.dropFirst().dropLast()), depth: depth + 1)
            nested.append(contentsOf: inner.commands().0)
        }
        return text
    }

    private mutating func readBackquoted() -> String {
        var text = ""
        while let c = peek(), c != "`" {
            if c == "\\", let d = peek(1) { text.append(d); position += 2 } else { text.append(c); position += 1 }
        }
        position += 1
        if depth < Self.maxDepth {
            var inner = ShellTokenizer(Array(text), depth: depth + 1)
            nested.append(contentsOf: inner.commands().0)
        }
        return "${VAR}"
    }
}

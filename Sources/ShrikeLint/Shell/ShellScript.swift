/// A `RUN` script split into its simple commands: good enough for the rules, not a shell.
///
/// Splits on `&&`, `||`, `|`, `;`, `&` and newlines; reads single and double quotes, backslash escapes, comments,
/// redirections (`> f`, `2>&1`, `<<EOF` markers), assignments before a command (`A=1 cmd`), `$(…)` and backquoted
/// substitutions (whose commands count too, as in ShellCheck), subshells and braces, and the keywords of `if`,
/// `while`, `for` and `case`.
public struct ShellScript: Sendable, Equatable {
    public var original: String
    public var commands: [ShellCommand]
    /// A `|` joins two commands somewhere (`||` is not a pipe).
    public var hasPipes: Bool

    public init(_ text: String) {
        original = text
        var tokenizer = ShellTokenizer(Array(text))
        let (commands, pipes) = tokenizer.commands()
        self.commands = commands
        hasPipes = pipes
    }

    /// The commands' names in order; `uses` and `firstIndex(where:)` are hadolint's `usingProgram` and
    /// `findCommandIndex`.
    public var commandNames: [String] { commands.map(\.name) }

    public func uses(_ program: String) -> Bool { commands.contains { $0.name == program } }

    public func firstIndex(where predicate: (ShellCommand) -> Bool) -> Int? { commands.firstIndex(where: predicate) }
}

/// One Dockerfile instruction after continuations are joined and heredocs read.
public struct Instruction: Sendable, Equatable {
    /// The instruction word, upper-cased: `FROM`, `RUN`, `ONBUILD`, …
    public var keyword: String
    /// The 1-based line the instruction starts on.
    public var line: Int
    /// Leading `--name=value` flags (only for `FROM`, `RUN`, `COPY`, `ADD` and `HEALTHCHECK`).
    public var flags: [InstructionFlag]
    /// The arguments after the flags, continuations joined as the builder joins them.
    public var arguments: String
    /// The arguments as a JSON array (exec form), when they are one; nil for shell form.
    public var execForm: [String]?
    public var heredocs: [Heredoc]
    /// Boxed so that `Instruction` can hold one of its own kind.
    private var triggerStorage: [Instruction]

    public init(keyword: String, line: Int, flags: [InstructionFlag] = [], arguments: String, execForm: [String]? = nil,
                heredocs: [Heredoc] = [], trigger: Instruction? = nil) {
        self.keyword = keyword
        self.line = line
        self.flags = flags
        self.arguments = arguments
        self.execForm = execForm
        self.heredocs = heredocs
        self.triggerStorage = trigger.map { [$0] } ?? []
    }

    /// The instruction an `ONBUILD` registers (with this instruction's line).
    public var trigger: Instruction? { triggerStorage.first }

    /// The value of the first flag with this name (`--from`, `--platform`).
    public func flag(_ name: String) -> String? {
        flags.first { $0.name == name }.flatMap { $0.value ?? "" }
    }

    /// The words of the arguments (quotes removed), or the exec-form list.
    public var words: [String] { execForm ?? ArgumentWords.split(arguments) }

    /// The shell text a `RUN` hands to the shell: the command, or the heredoc bodies for `RUN <<EOF` (also
    /// `RUN <<EOF bash`); exec-form lists joined with spaces, as hadolint reads them.
    public var script: String {
        if let execForm { return execForm.joined(separator: " ") }
        if !heredocs.isEmpty, arguments.drop(while: { $0 == " " || $0 == "\t" }).hasPrefix("<<") {
            return heredocs.map(\.body).joined(separator: "\n")
        }
        return arguments
    }
}

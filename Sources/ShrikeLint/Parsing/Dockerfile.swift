/// A parsed Dockerfile: its instructions in order, the comments between them and the parser directives.
public struct Dockerfile: Sendable, Equatable {
    public var instructions: [Instruction]
    public var comments: [DockerfileComment]
    /// Parser directives from the top of the file (`syntax`, `escape`, `check`), keys lower-cased.
    public var directives: [String: String]
    /// The escape character: `\` or, with `# escape=``, a backtick.
    public var escape: Character

    public init(instructions: [Instruction], comments: [DockerfileComment] = [], directives: [String: String] = [:],
                escape: Character = "\\") {
        self.instructions = instructions
        self.comments = comments
        self.directives = directives
        self.escape = escape
    }

    /// Parses Dockerfile text (see `DockerfileParser`).
    public init(parsing text: String, limits: DockerfileLimits = DockerfileLimits()) throws {
        self = try DockerfileParser(limits: limits).parse(text)
    }
}

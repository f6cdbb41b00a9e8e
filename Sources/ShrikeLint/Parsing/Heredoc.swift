/// A here-document of `RUN`, `COPY` or `ADD` (`<<EOF`, `<<-EOF`, `<<"EOF"`): its delimiter and body.
public struct Heredoc: Sendable, Equatable, Hashable {
    public var delimiter: String
    /// `<<-`: leading tabs were stripped from the body and the closing line.
    public var stripsTabs: Bool
    /// The delimiter was quoted, so the builder does not expand variables in the body.
    public var quoted: Bool
    /// The lines between the instruction and the closing delimiter, joined with newlines.
    public var body: String
    /// The 1-based line of the first body line.
    public var line: Int

    public init(delimiter: String, stripsTabs: Bool, quoted: Bool, body: String, line: Int) {
        self.delimiter = delimiter
        self.stripsTabs = stripsTabs
        self.quoted = quoted
        self.body = body
        self.line = line
    }
}

import ShrikeCore

extension ShrikeError.Code {
    /// A file given as a Dockerfile holds NUL bytes or is not UTF-8 text.
    public static let binaryFile = ShrikeError.Code("binary-file")
    /// A heredoc (`<<EOF`) has no line that ends it before the end of the file.
    public static let unterminatedHeredoc = ShrikeError.Code("unterminated-heredoc")
}

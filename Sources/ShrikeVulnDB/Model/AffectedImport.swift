/// A Go package an advisory says is vulnerable, and the functions and methods in it (OSV
/// `affected[].ecosystem_specific.imports[]`). Lets a user see which calls make a Go module's advisory matter.
public struct AffectedImport: Sendable, Equatable, Hashable, Codable {
    /// The import path (`golang.org/x/net/html`, `go/parser` for the standard library).
    public var path: String
    /// Exported and unexported symbols (`Parse`, `Tokenizer.Next`); empty means the whole package.
    public var symbols: [String]

    public init(path: String, symbols: [String] = []) {
        self.path = path
        self.symbols = symbols
    }
}

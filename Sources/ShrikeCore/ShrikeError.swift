/// The one error type Shrike's libraries throw.
///
/// A code says what kind of failure it is (the CLI maps codes to exit statuses), the message says what went wrong
/// and how to fix it, and `input` names the file, blob or target at fault. Adding a code never breaks callers.
public struct ShrikeError: Error, CustomStringConvertible, Sendable, Equatable {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        public let name: String
        public init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The target string cannot be understood (unknown scheme, missing path, ambiguous content).
        public static let badTarget = Code("bad-target")
        /// A file or blob is not what its format says it must be.
        public static let malformed = Code("malformed")
        /// A blob's content does not hash to the digest that names it.
        public static let digestMismatch = Code("digest-mismatch")
        /// A format, media type or compression Shrike does not read.
        public static let unsupportedFormat = Code("unsupported-format")
        /// Reading or writing failed at the operating-system level.
        public static let io = Code("io")
        /// A path in an image would resolve outside the image root, or loops.
        public static let unsafePath = Code("unsafe-path")
        /// A configured limit (expanded size, manifest size, link depth) was exceeded.
        public static let limitExceeded = Code("limit-exceeded")
        /// A referenced thing (blob, tag, platform, file) does not exist.
        public static let notFound = Code("not-found")
        /// Arguments to a command do not fit together.
        public static let usage = Code("usage")
    }

    public var code: Code
    /// What went wrong and, where it helps, how to fix it. One line.
    public var message: String
    /// The path, digest, target or rule that caused the error.
    public var input: String?

    public init(_ code: Code, _ message: String, input: String? = nil) {
        self.code = code
        self.message = message
        self.input = input
    }

    public var description: String {
        guard let input, !input.isEmpty else { return message }
        return "\(input): \(message)"
    }

    /// The same error with `input` set when it has none yet, so outer layers can name the file that was being read.
    public func naming(_ input: String) -> ShrikeError {
        var copy = self
        if copy.input == nil || copy.input?.isEmpty == true { copy.input = input }
        return copy
    }
}

/// A content digest as OCI writes it: `algorithm:hex`, e.g. `sha256:4bcb…`.
///
/// Only `sha256` and `sha512` are accepted; the hex part is validated (lower case, right length) so a digest that
/// parses can be used safely as a file name inside a blob store.
public struct Digest: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public enum Algorithm: String, Sendable, Codable {
        case sha256, sha512
        var hexLength: Int { self == .sha256 ? 64 : 128 }
    }

    public let algorithm: Algorithm
    public let hex: String

    public init(algorithm: Algorithm, hex: String) throws {
        guard hex.utf8.count == algorithm.hexLength,
              hex.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
        else {
            throw ShrikeError(.malformed, "not a valid \(algorithm.rawValue) digest (want \(algorithm.hexLength) lower-case hex digits)", input: hex)
        }
        self.algorithm = algorithm
        self.hex = hex
    }

    /// Parses `sha256:<64 hex>` (or `sha512:<128 hex>`).
    public init(parsing string: String) throws {
        guard let colon = string.firstIndex(of: ":") else {
            throw ShrikeError(.malformed, "a digest must look like sha256:<hex>", input: string)
        }
        let algorithmName = String(string[..<colon])
        guard let algorithm = Algorithm(rawValue: algorithmName) else {
            throw ShrikeError(.unsupportedFormat, "unsupported digest algorithm '\(algorithmName)' (sha256 and sha512 are read)", input: string)
        }
        try self.init(algorithm: algorithm, hex: String(string[string.index(after: colon)...]))
    }

    public var description: String { "\(algorithm.rawValue):\(hex)" }

    /// The first 12 hex digits, as tables show digests.
    public var short: String { String(hex.prefix(12)) }

    public static func < (lhs: Digest, rhs: Digest) -> Bool { lhs.description < rhs.description }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        try self.init(parsing: try container.decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension Digest {
    /// A sha256 digest from the 32 raw bytes a hash function produced (always well-formed, so it cannot fail).
    public init(sha256Bytes bytes: some Sequence<UInt8>) {
        let digits: [Character] = Array("0123456789abcdef")
        var hex = ""
        hex.reserveCapacity(64)
        for byte in bytes {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0f)])
        }
        self.algorithm = .sha256
        self.hex = hex
    }
}

import Crypto
import ShrikeCore

/// Passes bytes through while hashing them, and checks the digest (and size, when known) once the stream ends.
///
/// The check happens when the underlying stream reports its end, so a reader that stops early must call
/// `finish()` (which drains the rest) to get the verdict. A mismatch throws `digestMismatch` naming the blob and
/// both digests.
public final class DigestingStream: ByteStream {
    private let base: any ByteStream
    private var hasher = SHA256()
    private let expected: ShrikeCore.Digest?
    private let expectedSize: Int64?
    private let what: String
    private let hashing: Bool
    public private(set) var count: Int64 = 0
    public private(set) var computed: ShrikeCore.Digest?

    /// - Parameters:
    ///   - expected: the digest the bytes must hash to, or nil to only compute it.
    ///   - what: how to name the blob in errors (`layer 2 (sha256:ab12…)`).
    ///   - computeAlways: hash even when nothing is expected (to learn the digest); otherwise such a stream only
    ///     counts bytes, which saves a full SHA-256 pass over layers whose blob digest is unknown.
    public init(_ base: any ByteStream, expected: ShrikeCore.Digest?, expectedSize: Int64? = nil, what: String,
                computeAlways: Bool = true) {
        self.base = base
        self.hashing = expected != nil || computeAlways
        self.expected = expected
        self.expectedSize = expectedSize
        self.what = what
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if computed != nil { return 0 }
        let n = try base.read(into: buffer)
        if n == 0 {
            try complete()
            return 0
        }
        if hashing { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n])) }
        count += Int64(n)
        return n
    }

    /// Drains what is left and verifies; returns the computed digest.
    @discardableResult
    public func finish() throws -> ShrikeCore.Digest {
        if let computed { return computed }
        try drain()
        guard let computed else { throw ShrikeError(.io, "stream did not end", input: what) }
        return computed
    }

    private func complete() throws {
        let digest = ShrikeCore.Digest(sha256Bytes: hasher.finalize())
        computed = digest
        if let expectedSize, expectedSize != count {
            throw ShrikeError(.digestMismatch, "size mismatch: expected \(expectedSize) bytes, read \(count)", input: what)
        }
        if let expected, expected.algorithm == .sha256, expected != digest {
            throw ShrikeError(.digestMismatch, "digest mismatch: expected \(expected), content hashes to \(digest)", input: what)
        }
    }
}

extension ShrikeCore.Digest {
    /// The sha256 digest of `bytes`.
    public static func sha256(of bytes: some Sequence<UInt8>) -> ShrikeCore.Digest {
        ShrikeCore.Digest(sha256Bytes: SHA256.hash(data: Array(bytes)))
    }
}

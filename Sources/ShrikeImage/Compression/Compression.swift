import ShrikeCore

/// How a layer blob is compressed.
public enum Compression: String, Sendable, Equatable {
    case none, gzip, zstd

    /// The compression the first bytes of a blob announce: gzip `1f 8b`, zstd `28 b5 2f fd`, else none.
    public static func sniff(_ prefix: [UInt8]) -> Compression {
        if prefix.count >= 2, prefix[0] == 0x1f, prefix[1] == 0x8b { return .gzip }
        if prefix.count >= 4, prefix[0] == 0x28, prefix[1] == 0xb5, prefix[2] == 0x2f, prefix[3] == 0xfd { return .zstd }
        return .none
    }

    /// The compression a layer media type declares (OCI and Docker v2 types), nil when it does not say.
    public static func declared(by mediaType: String) -> Compression? {
        if mediaType.hasSuffix("+gzip") || mediaType.hasSuffix(".tar.gzip") || mediaType == "application/vnd.docker.image.rootfs.diff.tar.gzip" {
            return .gzip
        }
        if mediaType.hasSuffix("+zstd") || mediaType.hasSuffix(".tar.zstd") { return .zstd }
        if mediaType.hasSuffix(".tar") || mediaType == "application/vnd.docker.image.rootfs.diff.tar" { return Compression.none }
        return nil
    }

    /// Wraps `stream` in the matching decompressor.
    public func decompressing(_ stream: any ByteStream, what: String) throws -> any ByteStream {
        switch self {
        case .none: return stream
        case .gzip: return try GzipInflateStream(stream, what: what)
        case .zstd: return try ZstdDecompressStream(stream, what: what)
        }
    }
}

/// Lets a reader look at the first bytes of a stream without consuming them.
public final class PeekableStream: ByteStream {
    private let base: any ByteStream
    private var buffered: [UInt8] = []
    private var offset = 0

    public init(_ base: any ByteStream) { self.base = base }

    /// Returns up to `count` bytes from the start of the stream (fewer if it is shorter). Call before any `read`.
    public func peek(_ count: Int) throws -> [UInt8] {
        if buffered.count < count {
            buffered += try base.readFully(count - buffered.count)
        }
        return Array(buffered.prefix(count))
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if offset < buffered.count {
            let n = min(buffer.count, buffered.count - offset)
            buffered.withUnsafeBytes { src in
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[offset..<(offset + n)]))
            }
            offset += n
            return n
        }
        return try base.read(into: buffer)
    }
}

/// Fails once more than `limit` bytes have passed: the guard against decompression bombs.
public final class LimitedStream: ByteStream {
    private let base: any ByteStream
    private let limit: Int64
    private let what: String
    public private(set) var count: Int64 = 0

    public init(_ base: any ByteStream, limit: Int64, what: String) {
        self.base = base
        self.limit = limit
        self.what = what
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try base.read(into: buffer)
        count += Int64(n)
        if count > limit {
            throw ShrikeError(.limitExceeded,
                              "expands to more than \(limit) bytes (a decompression bomb?); raise --max-layer-size if the image is genuine",
                              input: what)
        }
        return n
    }
}

import CShrikeZlib
import CShrikeZstd
import ShrikeCore

/// How a layer blob is compressed.
public enum LayerCompression: String, Sendable, Equatable, CaseIterable {
    case none, gzip, zstd
}

/// In-memory gzip and zstd compression for fixtures, and a gzip bomb that never holds its expanded size.
public enum FixtureCompression {
    /// Compresses with `compression` (returns `bytes` unchanged for `.none`).
    public static func compress(_ bytes: [UInt8], _ compression: LayerCompression) throws -> [UInt8] {
        switch compression {
        case .none: return bytes
        case .gzip: return try gzip(bytes)
        case .zstd: return try zstd(bytes)
        }
    }

    /// A complete gzip member (RFC 1952) via zlib's `deflateInit2` with window bits 31.
    /// Throws `io` if zlib fails, which only happens when memory runs out.
    public static func gzip(_ bytes: [UInt8], level: Int32 = 6) throws -> [UInt8] {
        try deflate(bytes, windowBits: 31, level: level, flush: Z_FINISH)
    }

    /// A complete zstd frame via `ZSTD_compress`. Throws `io` when libzstd reports an error.
    public static func zstd(_ bytes: [UInt8], level: Int32 = 3) throws -> [UInt8] {
        let bound = ZSTD_compressBound(bytes.count)
        var output = [UInt8](repeating: 0, count: bound)
        let written = output.withUnsafeMutableBytes { out in
            bytes.withUnsafeBytes { input in
                ZSTD_compress(out.baseAddress, bound, input.baseAddress, input.count, level)
            }
        }
        if ZSTD_isError(written) != 0 {
            throw ShrikeError(.io, "zstd compression failed: \(String(cString: ZSTD_getErrorName(written)))")
        }
        return Array(output.prefix(written))
    }

    /// A gzip member that expands to `prefix` followed by `zeroCount` zero bytes, built without ever holding the
    /// zeros: one `chunkSize` chunk of zeros is deflated once (ending on a full flush, so it stands alone) and its
    /// compressed form repeated; the CRC is combined arithmetically. About 1 KiB of output per MiB of zeros, so
    /// 8 GiB of zeros is roughly 8 MiB. `gzip -t` accepts the result.
    public static func gzipBomb(prefix: [UInt8] = [], zeroCount: Int64, chunkSize: Int = 1 << 20) throws -> [UInt8] {
        precondition(chunkSize > 0 && zeroCount >= 0)
        var output: [UInt8] = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3]
        var crc: UInt = 0
        if !prefix.isEmpty {
            output += try deflate(prefix, windowBits: -15, level: 9, flush: Z_FULL_FLUSH)
            crc = prefix.withUnsafeBufferPointer { UInt(crc32(0, $0.baseAddress, UInt32($0.count))) }
        }
        let zeros = [UInt8](repeating: 0, count: chunkSize)
        let chunk = try deflate(zeros, windowBits: -15, level: 9, flush: Z_FULL_FLUSH)
        let chunkCRC = zeros.withUnsafeBufferPointer { UInt(crc32(0, $0.baseAddress, UInt32($0.count))) }
        let fullChunks = zeroCount / Int64(chunkSize)
        output.reserveCapacity(output.count + Int(fullChunks) * chunk.count + 64)
        for _ in 0..<fullChunks {
            output += chunk
            crc = UInt(crc32_combine(UInt(crc), chunkCRC, Int(chunkSize)))
        }
        let tail = Int(zeroCount % Int64(chunkSize))
        if tail > 0 {
            let tailZeros = [UInt8](repeating: 0, count: tail)
            output += try deflate(tailZeros, windowBits: -15, level: 9, flush: Z_FULL_FLUSH)
            let tailCRC = tailZeros.withUnsafeBufferPointer { UInt(crc32(0, $0.baseAddress, UInt32($0.count))) }
            crc = UInt(crc32_combine(UInt(crc), tailCRC, Int(tail)))
        }
        // A final, empty fixed-Huffman block: BFINAL=1, BTYPE=01, end-of-block code.
        output += [0x03, 0x00]
        let totalSize = UInt64(prefix.count) + UInt64(zeroCount)
        output += littleEndian32(UInt32(truncatingIfNeeded: crc))
        output += littleEndian32(UInt32(truncatingIfNeeded: totalSize))
        return output
    }

    // MARK: - Private

    private static func littleEndian32(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xff), UInt8((value >> 8) & 0xff), UInt8((value >> 16) & 0xff), UInt8(value >> 24)]
    }

    /// Runs one deflate stream over `bytes`, ending with `flush` (Z_FINISH for a complete member, Z_FULL_FLUSH for a
    /// byte-aligned, dictionary-free piece that can be concatenated with others).
    private static func deflate(_ bytes: [UInt8], windowBits: Int32, level: Int32, flush: Int32) throws -> [UInt8] {
        var stream = z_stream()
        let initStatus = deflateInit2_(&stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY,
                                       zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard initStatus == Z_OK else {
            throw ShrikeError(.io, "zlib deflateInit2 failed with status \(initStatus)")
        }
        defer { deflateEnd(&stream) }
        var input = bytes
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        let status: Int32 = input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = UInt32(inputBuffer.count)
            while true {
                let result: Int32 = buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    return CShrikeZlib.deflate(&stream, flush)
                }
                let produced = buffer.count - Int(stream.avail_out)
                output += buffer.prefix(produced)
                if result == Z_STREAM_END { return Z_OK }
                if result != Z_OK && result != Z_BUF_ERROR { return result }
                // With Z_FULL_FLUSH, deflate is done once it leaves output space unused and has no input left.
                if flush != Z_FINISH, stream.avail_in == 0, stream.avail_out > 0 { return Z_OK }
            }
        }
        guard status == Z_OK else {
            throw ShrikeError(.io, "zlib deflate failed with status \(status)")
        }
        return output
    }
}

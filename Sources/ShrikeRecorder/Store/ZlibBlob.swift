import CShrikeZlib
import ShrikeCore

/// zlib-compressed blobs with their uncompressed size up front (8 bytes, little endian), so reading allocates once
/// and a damaged size cannot make it allocate without bound.
enum ZlibBlob {
    /// Larger blobs are refused when reading (an incident's events are far smaller).
    static let maxUncompressed = 1 << 31

    static func compress(_ bytes: [UInt8], level: Int32 = 6) throws -> [UInt8] {
        try compress(parts: [bytes], level: level)
    }

    /// Compresses the concatenation of `parts` as one blob without joining them first, and through a small output
    /// window instead of a buffer of `compressBound` bytes: writing a large incident then needs little memory beyond
    /// its compressed size (the agent's peak is measured at that moment).
    static func compress(parts: [[UInt8]], level: Int32 = 6) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 8)
        let size = UInt64(parts.reduce(0) { $0 + $1.count })
        for index in 0..<8 { out[index] = UInt8(truncatingIfNeeded: size >> (8 * UInt64(index))) }
        var stream = z_stream()
        var status = deflateInit_(&stream, level, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            throw ShrikeError(.io, "zlib could not start compressing the incident's events (status \(status))")
        }
        defer { deflateEnd(&stream) }
        var window = [UInt8](repeating: 0, count: 64 << 10)
        // No parts is one empty part: the stream still needs its end.
        let parts = parts.isEmpty ? [[]] : parts
        for (index, part) in parts.enumerated() {
            let flush = index == parts.count - 1 ? Z_FINISH : Z_NO_FLUSH
            status = part.withUnsafeBufferPointer { source in
                // zlib does not write through next_in; the pointer is only typed mutable in its C API.
                stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
                stream.avail_in = uInt(source.count)
                var result: Int32 = Z_OK
                repeat {
                    result = window.withUnsafeMutableBufferPointer { target in
                        stream.next_out = target.baseAddress
                        stream.avail_out = uInt(target.count)
                        let code = deflate(&stream, flush)
                        out.append(contentsOf: target[0..<(target.count - Int(stream.avail_out))])
                        return code
                    }
                } while result == Z_OK && (stream.avail_in > 0 || stream.avail_out == 0 || flush == Z_FINISH)
                return result
            }
            guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else { break }
        }
        guard status == Z_STREAM_END else {
            throw ShrikeError(.io, "zlib could not compress the incident's events (status \(status))")
        }
        return out
    }

    static func decompress(_ blob: [UInt8], what: String) throws -> [UInt8] {
        guard blob.count >= 8 else {
            throw ShrikeError(.malformed, "the stored events are truncated; delete the incident", input: what)
        }
        var size: UInt64 = 0
        for index in 0..<8 { size |= UInt64(blob[index]) << (8 * UInt64(index)) }
        guard size <= UInt64(maxUncompressed) else {
            throw ShrikeError(.limitExceeded, "the stored events claim \(size) bytes, more than the \(maxUncompressed) allowed; delete the incident", input: what)
        }
        var length = uLong(size)
        var out = [UInt8](repeating: 0, count: Int(size))
        let status = out.withUnsafeMutableBufferPointer { target in
            blob.withUnsafeBufferPointer { source in
                uncompress(target.baseAddress, &length, source.baseAddress.map { $0 + 8 }, uLong(blob.count - 8))
            }
        }
        guard status == Z_OK, length == uLong(size) else {
            throw ShrikeError(.malformed, "the stored events do not decompress (zlib status \(status)); delete the incident", input: what)
        }
        return out
    }
}

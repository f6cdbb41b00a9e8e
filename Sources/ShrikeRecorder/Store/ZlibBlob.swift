import CShrikeZlib
import ShrikeCore

/// zlib-compressed blobs with their uncompressed size up front (8 bytes, little endian), so reading allocates once
/// and a damaged size cannot make it allocate without bound.
enum ZlibBlob {
    /// Larger blobs are refused when reading (an incident's events are far smaller).
    static let maxUncompressed = 1 << 31

    static func compress(_ bytes: [UInt8], level: Int32 = 6) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 8)
        let size = UInt64(bytes.count)
        for index in 0..<8 { out[index] = UInt8(truncatingIfNeeded: size >> (8 * UInt64(index))) }
        var bound = compressBound(uLong(bytes.count))
        var compressed = [UInt8](repeating: 0, count: Int(bound))
        let status = compressed.withUnsafeMutableBufferPointer { target in
            bytes.withUnsafeBufferPointer { source in
                compress2(target.baseAddress, &bound, source.baseAddress, uLong(bytes.count), level)
            }
        }
        guard status == Z_OK else {
            throw ShrikeError(.io, "zlib could not compress the incident's events (status \(status))")
        }
        out.append(contentsOf: compressed[0..<Int(bound)])
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

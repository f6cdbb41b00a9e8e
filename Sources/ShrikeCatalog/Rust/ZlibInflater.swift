import CShrikeZlib
import ShrikeCore

/// Decompresses a zlib-wrapped (RFC 1950) buffer in memory, refusing output beyond a limit.
enum ZlibInflater {
    /// The decompressed bytes. Throws `malformed` for corrupt or truncated data and `limitExceeded` when the output
    /// would pass `limit` bytes (compressed data is hostile input: a few KiB can expand to GiB).
    static func inflate(_ compressed: [UInt8], limit: Int, what: String) throws -> [UInt8] {
        var zs = z_stream()
        guard inflateInit_(&zs, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw ShrikeError(.io, "zlib could not start", input: what)
        }
        defer { inflateEnd(&zs) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        return try compressed.withUnsafeBufferPointer { input -> [UInt8] in
            zs.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
            zs.avail_in = uInt(input.count)
            while true {
                let (status, produced) = chunk.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                    zs.next_out = out.baseAddress
                    zs.avail_out = uInt(out.count)
                    let status = CShrikeZlib.inflate(&zs, Z_NO_FLUSH)
                    return (status, out.count - Int(zs.avail_out))
                }
                guard output.count + produced <= limit else {
                    throw ShrikeError(.limitExceeded, "decompresses to more than \(limit) bytes", input: what)
                }
                output += chunk[0..<produced]
                switch status {
                case Z_STREAM_END:
                    return output
                case Z_OK:
                    continue
                case Z_BUF_ERROR where produced > 0:
                    continue
                case Z_BUF_ERROR:
                    throw ShrikeError(.malformed, "zlib data is truncated", input: what)
                default:
                    let reason = zs.msg.map { String(cString: $0) } ?? "error \(status)"
                    throw ShrikeError(.malformed, "zlib data is corrupt: \(reason)", input: what)
                }
            }
        }
    }
}

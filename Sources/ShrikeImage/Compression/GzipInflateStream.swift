import CShrikeZlib
import ShrikeCore

/// Streams the gzip-decompressed content of another stream (several concatenated gzip members included).
public final class GzipInflateStream: ByteStream {
    private let base: any ByteStream
    private let what: String
    private var zs = z_stream()
    private var input: UnsafeMutableRawBufferPointer
    private var inputEnded = false
    private var finished = false

    public init(_ base: any ByteStream, what: String) throws {
        self.base = base
        self.what = what
        self.input = UnsafeMutableRawBufferPointer.allocate(byteCount: 128 * 1024, alignment: 16)
        // 15 + 16: gzip wrapper only, maximum window.
        let status = inflateInit2_(&zs, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            input.deallocate()
            throw ShrikeError(.io, "zlib could not start (\(status))", input: what)
        }
    }

    deinit {
        inflateEnd(&zs)
        input.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !finished, let out = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            if zs.avail_in == 0 && !inputEnded {
                let n = try base.read(into: input)
                if n == 0 {
                    inputEnded = true
                } else {
                    zs.next_in = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
                    zs.avail_in = uInt(n)
                }
            }
            zs.next_out = out.assumingMemoryBound(to: Bytef.self)
            zs.avail_out = uInt(min(buffer.count, Int(UInt32.max)))
            let status = inflate(&zs, Z_NO_FLUSH)
            let produced = buffer.count - Int(zs.avail_out)
            switch status {
            case Z_STREAM_END:
                // Another gzip member may follow (as `cat a.gz b.gz` makes); otherwise the stream is done.
                if zs.avail_in == 0 && !inputEnded {
                    let n = try base.read(into: input)
                    if n == 0 { inputEnded = true } else {
                        zs.next_in = input.baseAddress?.assumingMemoryBound(to: Bytef.self)
                        zs.avail_in = uInt(n)
                    }
                }
                if zs.avail_in > 0 {
                    inflateReset(&zs)
                } else {
                    finished = true
                }
                if produced > 0 || finished { return produced }
            case Z_OK, Z_BUF_ERROR:
                if produced > 0 { return produced }
                if inputEnded && zs.avail_in == 0 {
                    throw ShrikeError(.malformed, "gzip stream is truncated", input: what)
                }
            default:
                let reason = zs.msg.map { String(cString: $0) } ?? "error \(status)"
                throw ShrikeError(.malformed, "gzip data is corrupt: \(reason)", input: what)
            }
        }
    }
}

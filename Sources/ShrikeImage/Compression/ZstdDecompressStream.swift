import CShrikeZstd
import ShrikeCore

/// Streams the zstd-decompressed content of another stream.
public final class ZstdDecompressStream: ByteStream {
    private let base: any ByteStream
    private let what: String
    private let dctx: OpaquePointer
    private let input: UnsafeMutableRawBufferPointer
    private var inBuffer = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
    private var inputEnded = false
    private var frameOpen = false

    public init(_ base: any ByteStream, what: String) throws {
        guard let dctx = ZSTD_createDCtx() else {
            throw ShrikeError(.io, "zstd could not start", input: what)
        }
        self.base = base
        self.what = what
        self.dctx = dctx
        self.input = UnsafeMutableRawBufferPointer.allocate(byteCount: Int(ZSTD_DStreamInSize()), alignment: 16)
        // Refuse frames that want more than a 128 MiB window: real layers use far less, bombs ask for more.
        ZSTD_DCtx_setParameter(dctx, ZSTD_d_windowLogMax, 27)
    }

    deinit {
        ZSTD_freeDCtx(dctx)
        input.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            if inBuffer.pos == inBuffer.size && !inputEnded {
                let n = try base.read(into: input)
                if n == 0 {
                    inputEnded = true
                } else {
                    inBuffer = ZSTD_inBuffer(src: UnsafeRawPointer(input.baseAddress), size: n, pos: 0)
                }
            }
            if inputEnded && inBuffer.pos == inBuffer.size {
                if frameOpen { throw ShrikeError(.malformed, "zstd stream is truncated", input: what) }
                return 0
            }
            var outBuffer = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
            let result = ZSTD_decompressStream(dctx, &outBuffer, &inBuffer)
            if ZSTD_isError(result) != 0 {
                let reason = String(cString: ZSTD_getErrorName(result))
                throw ShrikeError(.malformed, "zstd data is corrupt: \(reason)", input: what)
            }
            frameOpen = result != 0
            if outBuffer.pos > 0 { return outBuffer.pos }
        }
    }
}

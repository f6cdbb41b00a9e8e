import CShrikeBzip2
import ShrikeCore

/// Streams the bzip2-decompressed content of another stream, as `bzip2 -d` reads a file: several concatenated
/// streams (`cat a.bz2 b.bz2`) decompress to their contents one after the other, and bytes after a complete stream
/// that do not start another one are ignored, as bzip2 ignores them ("trailing garbage after EOF ignored").
///
/// Memory is bounded: a 128 KiB input buffer and libbz2's own state (about 3.7 MB for the largest block size); the
/// caller's buffer takes the output. A stream that ends before its end-of-stream marker (a truncated download, an
/// empty file) and data that fails its block CRC or does not decode throw `malformed` naming `what`.
public final class Bzip2InflateStream: ByteStream {
    private let base: any ByteStream
    private let what: String
    private var bz = bz_stream()
    private let input: UnsafeMutableRawBufferPointer
    private var inputEnded = false
    /// Whether `BZ2_bzDecompressInit` has run for the current stream without a matching `BZ2_bzDecompressEnd`.
    private var streamOpen = false
    /// Streams decoded to their end marker so far.
    private var completedStreams = 0
    private var finished = false

    /// Throws `io` when libbz2 cannot start (out of memory).
    public init(_ base: any ByteStream, what: String) throws {
        self.base = base
        self.what = what
        self.input = UnsafeMutableRawBufferPointer.allocate(byteCount: 128 * 1024, alignment: 16)
        do {
            try openStream()
        } catch {
            input.deallocate()
            throw error
        }
    }

    deinit {
        if streamOpen { BZ2_bzDecompressEnd(&bz) }
        input.deallocate()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !finished, let out = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            if bz.avail_in == 0 && !inputEnded { try refill() }
            bz.next_out = out.assumingMemoryBound(to: CChar.self)
            bz.avail_out = UInt32(min(buffer.count, Int(UInt32.max)))
            let status = BZ2_bzDecompress(&bz)
            let produced = buffer.count - Int(bz.avail_out)
            switch status {
            case BZ_STREAM_END:
                closeStream()
                completedStreams += 1
                // Another stream may follow; only an empty remainder ends the data.
                if bz.avail_in == 0 && !inputEnded { try refill() }
                if bz.avail_in > 0 {
                    try openStream()
                } else {
                    finished = true
                }
                if produced > 0 || finished { return produced }
            case BZ_OK:
                if produced > 0 { return produced }
                if inputEnded && bz.avail_in == 0 {
                    throw ShrikeError(.malformed, completedStreams == 0 && bz.total_in_lo32 == 0 && bz.total_in_hi32 == 0
                                      ? "bzip2 data is empty: the file is truncated or not bzip2"
                                      : "bzip2 stream is truncated: the data ends before the end-of-stream marker; download it again",
                                      input: what)
                }
            case BZ_DATA_ERROR_MAGIC where completedStreams > 0:
                // Not the start of another stream: bzip2 ignores what follows a complete stream.
                closeStream()
                finished = true
                return produced
            case BZ_DATA_ERROR_MAGIC:
                throw ShrikeError(.malformed, "not bzip2 data: it does not start with the 'BZh' signature", input: what)
            case BZ_DATA_ERROR:
                throw ShrikeError(.malformed, "bzip2 data is corrupt (a block fails its CRC or does not decode); download it again", input: what)
            case BZ_MEM_ERROR:
                throw ShrikeError(.io, "libbz2 ran out of memory", input: what)
            default:
                throw ShrikeError(.malformed, "bzip2 decompression failed (libbz2 error \(status))", input: what)
            }
        }
    }

    private func refill() throws {
        let n = try base.read(into: input)
        if n == 0 {
            inputEnded = true
        } else {
            bz.next_in = input.baseAddress?.assumingMemoryBound(to: CChar.self)
            bz.avail_in = UInt32(n)
        }
    }

    /// Starts decoding a stream at the current input position (libbz2 keeps `next_in`/`avail_in` across it).
    private func openStream() throws {
        let nextIn = bz.next_in
        let availIn = bz.avail_in
        // verbosity 0; small 0: the fast decoder (about 3.7 MB at -9) rather than the 2.3 MB slow one.
        let status = BZ2_bzDecompressInit(&bz, 0, 0)
        guard status == BZ_OK else {
            throw ShrikeError(.io, "libbz2 could not start (error \(status))", input: what)
        }
        bz.next_in = nextIn
        bz.avail_in = availIn
        streamOpen = true
    }

    private func closeStream() {
        if streamOpen { BZ2_bzDecompressEnd(&bz) }
        streamOpen = false
    }
}

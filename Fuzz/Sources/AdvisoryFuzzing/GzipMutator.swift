import CLibFuzzer
import ShrikeImage

/// A libFuzzer custom mutator for gzip inputs (`.xml.gz`, `.tar.gz`): it mutates the decompressed bytes and compresses
/// them again, so the fuzzer explores the XML or tar inside instead of producing CRC errors. One mutation in four, and
/// every one whose input does not inflate, changes the compressed bytes themselves, which is what reaches the gzip
/// reader's own checks (header flags, truncation, checksum, concatenated members).
///
/// Recompression writes stored (uncompressed) deflate blocks: valid gzip that any inflater reads, and cheap to make.
public enum GzipMutator {
    /// The largest decompressed input worth mutating; bigger ones are mutated as they are.
    static let inflateLimit = 1 << 20

    /// The body of `LLVMFuzzerCustomMutator`: mutates `data[0..<size]` in place, returns the new size (≤ `maxSize`).
    public static func mutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32) -> Int {
        guard seed % 4 != 0, let plain = inflate(UnsafeBufferPointer(start: data, count: size)), !plain.isEmpty else {
            return LLVMFuzzerMutate(data, size, maxSize)
        }
        // Room for the mutation to grow the content; the stored blocks then cost 5 bytes per 64 KiB plus 18.
        var buffer = plain + [UInt8](repeating: 0, count: max(4096, plain.count / 2))
        let mutated = buffer.withUnsafeMutableBufferPointer { bytes -> Int in
            guard let base = bytes.baseAddress else { return 0 }
            return LLVMFuzzerMutate(base, plain.count, bytes.count)
        }
        let gzip = storedGzip(buffer[0..<mutated])
        guard gzip.count <= maxSize else { return LLVMFuzzerMutate(data, size, maxSize) }
        gzip.withUnsafeBufferPointer { source in
            if let from = source.baseAddress { data.update(from: from, count: gzip.count) }
        }
        return gzip.count
    }

    /// The decompressed bytes, or nil when they are not gzip or inflate past `inflateLimit`.
    static func inflate(_ compressed: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard compressed.count >= 18, compressed[0] == 0x1F, compressed[1] == 0x8B else { return nil }
        do {
            let stream = try GzipInflateStream(MemoryByteStream(Array(compressed)), what: "the fuzzer's input")
            var out: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = try chunk.withUnsafeMutableBytes { try stream.read(into: $0) }
                if count == 0 { return out }
                out += chunk[0..<count]
                if out.count > inflateLimit { return nil }
            }
        } catch {
            return nil
        }
    }

    /// `content` as a gzip member of stored deflate blocks (RFC 1951 §3.2.4, RFC 1952).
    static func storedGzip(_ content: ArraySlice<UInt8>) -> [UInt8] {
        // ID1 ID2, CM deflate, no flags, no time, XFL 0, OS unknown.
        var out: [UInt8] = [0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF]
        var start = content.startIndex
        repeat {
            let end = min(start + 0xFFFF, content.endIndex)
            let length = UInt16(end - start)
            // BFINAL on the last block, BTYPE 00 (stored), then LEN and its one's complement, little-endian.
            out.append(end == content.endIndex ? 1 : 0)
            out += [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)]
            out += content[start..<end]
            start = end
        } while start < content.endIndex
        let crc = crc32(content)
        let size = UInt32(truncatingIfNeeded: content.count)
        for value in [crc, size] {
            out += [UInt8(value & 0xFF), UInt8((value >> 8) & 0xFF), UInt8((value >> 16) & 0xFF), UInt8(value >> 24)]
        }
        return out
    }

    /// CRC-32 as gzip uses it (reflected polynomial 0xEDB88320).
    static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc = crcTable[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
        }
        return ~crc
    }

    static let crcTable: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? 0xEDB8_8320 ^ (value >> 1) : value >> 1 }
        return value
    }
}

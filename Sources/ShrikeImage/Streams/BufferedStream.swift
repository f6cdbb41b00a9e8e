/// Reads its base stream in large chunks and serves small reads from memory.
///
/// The tar reader asks for 512-byte headers and small bodies; without this every one of those would go through
/// the hashing, decompression and file layers separately (one `pread` per header on uncompressed archives).
public final class BufferedStream: ByteStream {
    private let base: any ByteStream
    private let buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0

    public init(_ base: any ByteStream, capacity: Int = 256 * 1024) {
        self.base = base
        self.buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit { buffer.deallocate() }

    public func read(into target: UnsafeMutableRawBufferPointer) throws -> Int {
        guard target.count > 0 else { return 0 }
        if start == end {
            // Large reads bypass the buffer instead of copying twice.
            if target.count >= buffer.count { return try base.read(into: target) }
            start = 0
            end = try base.read(into: buffer)
            if end == 0 { return 0 }
        }
        let n = min(target.count, end - start)
        target.copyMemory(from: UnsafeRawBufferPointer(rebasing: buffer[start..<(start + n)]))
        start += n
        return n
    }

    public func skip(_ count: Int64) throws -> Int64 {
        let buffered = Int64(end - start)
        if count <= buffered {
            start += Int(count)
            return count
        }
        start = end
        return buffered + (try base.skip(count - buffered))
    }
}

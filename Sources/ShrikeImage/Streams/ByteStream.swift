import ShrikeCore

/// A pull-based stream of bytes: the building block of Shrike's layer pipeline (file range → hash → decompress →
/// limit → tar). Streams are single-threaded objects owned by one reader; they are not `Sendable`.
public protocol ByteStream: AnyObject {
    /// Reads up to `buffer.count` bytes into `buffer`. Returns 0 only at the end of the stream.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int

    /// Skips `count` bytes; returns how many were skipped (fewer only at the end of the stream).
    /// Streams over files override this to seek instead of reading.
    func skip(_ count: Int64) throws -> Int64
}

extension ByteStream {
    public func skip(_ count: Int64) throws -> Int64 {
        var left = count
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { scratch.deallocate() }
        while left > 0 {
            let n = try read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[0..<Int(min(Int64(scratch.count), left))]))
            if n == 0 { break }
            left -= Int64(n)
        }
        return count - left
    }
}

/// Counts the bytes that pass, so a reader knows its position in the underlying stream.
public final class CountingStream: ByteStream {
    private let base: any ByteStream
    public private(set) var position: Int64 = 0

    public init(_ base: any ByteStream) { self.base = base }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = try base.read(into: buffer)
        position += Int64(n)
        return n
    }

    public func skip(_ count: Int64) throws -> Int64 {
        let n = try base.skip(count)
        position += n
        return n
    }
}

extension ByteStream {
    /// Reads exactly `count` bytes, or fewer only when the stream ends first.
    public func readFully(_ count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = try out.withUnsafeMutableBytes { raw in
                try read(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]))
            }
            if n == 0 { break }
            filled += n
        }
        if filled < count { out.removeLast(count - filled) }
        return out
    }

    /// Reads and discards everything up to the end, returning how many bytes were skipped.
    @discardableResult
    public func drain() throws -> Int64 {
        var total: Int64 = 0
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { scratch.deallocate() }
        while true {
            let n = try read(into: scratch)
            if n == 0 { return total }
            total += Int64(n)
        }
    }

    /// Reads everything that is left, failing once more than `limit` bytes come.
    public func readAll(limit: Int, what: String) throws -> [UInt8] {
        var out: [UInt8] = []
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { scratch.deallocate() }
        while true {
            let n = try read(into: scratch)
            if n == 0 { return out }
            if out.count + n > limit {
                throw ShrikeError(.limitExceeded, "larger than the \(limit)-byte limit for \(what)", input: what)
            }
            out.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
        }
    }
}

/// A stream over bytes already in memory.
public final class MemoryByteStream: ByteStream {
    private let bytes: [UInt8]
    private var position = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let n = min(buffer.count, bytes.count - position)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBytes { src in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[position..<(position + n)]))
        }
        position += n
        return n
    }
}

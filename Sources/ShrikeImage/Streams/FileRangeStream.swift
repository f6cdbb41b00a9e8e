#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ShrikeCore

/// An open, read-only file, shared by the streams that read ranges of it (blobs inside an archive).
public final class ReadOnlyFile: @unchecked Sendable {
    // @unchecked: the descriptor is only used with pread, which carries its own offset and is thread-safe.
    public let path: String
    let fd: Int32
    public let size: Int64

    public init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ShrikeError(.io, "cannot open: \(String(cString: strerror(errno)))", input: path)
        }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            let message = String(cString: strerror(errno))
            close(fd)
            throw ShrikeError(.io, "cannot stat: \(message)", input: path)
        }
        if (st.st_mode & S_IFMT) == S_IFDIR {
            close(fd)
            throw ShrikeError(.badTarget, "is a directory, not a file", input: path)
        }
        self.path = path
        self.fd = fd
        self.size = Int64(st.st_size)
    }

    deinit { close(fd) }

    /// Reads up to `buffer.count` bytes at `offset`; returns 0 at end of file.
    public func read(at offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = pread(fd, buffer.baseAddress, buffer.count, off_t(offset))
            if n >= 0 { return n }
            if errno == EINTR { continue }
            throw ShrikeError(.io, "read failed: \(String(cString: strerror(errno)))", input: path)
        }
    }

    /// Reads exactly `count` bytes at `offset`, failing when the file is shorter.
    public func read(at offset: Int64, count: Int) throws -> [UInt8] {
        let stream = FileRangeStream(file: self, offset: offset, length: Int64(count))
        let bytes = try stream.readFully(count)
        guard bytes.count == count else {
            throw ShrikeError(.malformed, "file ends early: wanted \(count) bytes at offset \(offset)", input: path)
        }
        return bytes
    }
}

/// Streams `length` bytes of a file from `offset` (a blob inside an archive, or a whole file).
public final class FileRangeStream: ByteStream {
    private let file: ReadOnlyFile
    private var offset: Int64
    private var remaining: Int64

    public init(file: ReadOnlyFile, offset: Int64 = 0, length: Int64? = nil) {
        self.file = file
        self.offset = offset
        self.remaining = length ?? max(0, file.size - offset)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard remaining > 0, buffer.count > 0 else { return 0 }
        let want = Int(min(Int64(buffer.count), remaining))
        let n = try file.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<want]))
        if n == 0 {
            throw ShrikeError(.malformed, "file is truncated: \(remaining) bytes missing at offset \(offset)", input: file.path)
        }
        offset += Int64(n)
        remaining -= Int64(n)
        return n
    }

    public func skip(_ count: Int64) throws -> Int64 {
        let n = min(count, remaining)
        // Seeking past the real end of the file is a truncated archive, found here rather than at the next read.
        if offset + n > file.size {
            throw ShrikeError(.malformed, "file is truncated: \(offset + n - file.size) bytes missing", input: file.path)
        }
        offset += n
        remaining -= n
        return n
    }
}

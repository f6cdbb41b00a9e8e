#if canImport(Glibc)
import Glibc
#endif
import Foundation
import ShrikeCore

/// Where a kept file's bytes are: in memory, or spilled to the scratch directory when large.
public enum ContentRef: Sendable, Equatable {
    case memory([UInt8])
    case file(path: String, size: Int64)
}

/// Keeps the contents of selected files while layers stream by.
///
/// Files up to `memoryLimit` bytes stay in memory while the memory kept so far stays under `memoryBudget`; larger
/// files, and everything past the budget, are written to the scratch directory (rpm databases can be hundreds of MiB,
/// and the binary catalogers want every executable: an image with thousands of them must not be held in memory).
/// Used by one reader at a time.
final class ContentStore {
    let scratch: ScratchDirectory
    let memoryLimit: Int
    let memoryBudget: Int
    private var spilled = 0
    private(set) var bytesInMemory = 0

    init(scratch: ScratchDirectory, memoryLimit: Int = 8 << 20, memoryBudget: Int = 64 << 20) {
        self.scratch = scratch
        self.memoryLimit = memoryLimit
        self.memoryBudget = memoryBudget
    }

    /// Reads the current tar entry's body (of `size` bytes) into a ContentRef.
    func keep(from reader: TarReader, size: Int64, what: String) throws -> ContentRef {
        if size <= Int64(memoryLimit) && Int64(bytesInMemory) + size <= Int64(memoryBudget) {
            let bytes = try reader.readBody(limit: memoryLimit)
            bytesInMemory += bytes.count
            return .memory(bytes)
        }
        spilled += 1
        let path = scratch.file(named: "blob-\(spilled)")
        guard let handle = fopen(path, "wx") else {
            throw ShrikeError(.io, "cannot write to the scratch directory: \(String(cString: strerror(errno)))", input: path)
        }
        defer { fclose(handle) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 256 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        var total: Int64 = 0
        while true {
            let n = try reader.readBody(into: buffer)
            if n == 0 { break }
            guard fwrite(buffer.baseAddress, 1, n, handle) == n else {
                throw ShrikeError(.io, "cannot write to the scratch directory (disk full?)", input: path)
            }
            total += Int64(n)
        }
        return .file(path: path, size: total)
    }
}

extension ContentRef {
    /// The bytes, reading a spilled file back (up to `limit` bytes).
    func bytes(limit: Int64 = 1 << 30) throws -> [UInt8] {
        switch self {
        case .memory(let bytes):
            return bytes
        case .file(let path, let size):
            guard size <= limit else {
                throw ShrikeError(.limitExceeded, "file of \(size) bytes is too large to load", input: path)
            }
            let file = try ReadOnlyFile(path: path)
            return try file.read(at: 0, count: Int(file.size))
        }
    }
}

extension ContentRef {
    /// The SHA-256 of the kept bytes (a spilled file is read back in chunks, never whole).
    func sha256() throws -> Digest {
        switch self {
        case .memory(let bytes):
            return Digest.sha256(of: bytes)
        case .file(let path, _):
            let file = try ReadOnlyFile(path: path)
            let stream = DigestingStream(FileRangeStream(file: file), expected: nil, what: path)
            return try stream.finish()
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
import Foundation
import ShrikeCore

/// The few POSIX file operations the spool needs, with its errors.
package enum SpoolFiles {
    package static func errnoText() -> String { String(cString: strerror(errno)) }

    /// Writes all of `bytes` at the descriptor's offset, retrying after EINTR.
    package static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
        try bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let n = write(fd, base + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    throw ShrikeError(.io, "cannot write to the spool: \(errnoText())", input: path)
                }
                offset += n
            }
        }
    }

    /// Reads `count` bytes at `offset`.
    package static func read(_ fd: Int32, offset: Int, count: Int, path: String) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = bytes.withUnsafeMutableBytes { raw in
                pread(fd, raw.baseAddress.map { $0 + done }, count - done, off_t(offset + done))
            }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw ShrikeError(.io, "cannot read the spool segment: \(n == 0 ? "file is short" : errnoText())",
                                  input: path)
            }
            done += n
        }
        return bytes
    }

    package static func sync(_ fd: Int32, path: String) throws {
        guard fsync(fd) == 0 else { throw ShrikeError(.io, "cannot fsync the spool: \(errnoText())", input: path) }
    }

    /// Creates (or truncates) `path` with `bytes` and fsyncs it.
    package static func writeDurably(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw ShrikeError(.io, "cannot create: \(errnoText())", input: path) }
        defer { close(fd) }
        try writeAll(fd, bytes, path: path)
        try sync(fd, path: path)
    }

    /// Makes a new or removed directory entry durable; best effort (some file systems refuse it).
    package static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    package static func readWhole(_ fd: Int32, path: String) throws -> [UInt8] {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw ShrikeError(.io, "cannot stat: \(errnoText())", input: path) }
        let size = Int(info.st_size)
        return size == 0 ? [] : try read(fd, offset: 0, count: size, path: path)
    }
}

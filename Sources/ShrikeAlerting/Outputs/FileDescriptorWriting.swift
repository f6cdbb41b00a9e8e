#if canImport(Glibc)
import Glibc
#endif

/// `write(2)` until every byte is out (Swift 6 rejects the C `stdout` global, and a short write must be finished).
enum FileDescriptorWriting {
    /// False when the descriptor stopped taking bytes (a closed pipe, a full disk); `errno` says why.
    static func writeAll(_ bytes: [UInt8], to fd: Int32) -> Bool {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return true }
            var offset = 0
            while offset < raw.count {
                let n = write(fd, base + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }
}

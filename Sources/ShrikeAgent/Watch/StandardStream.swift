#if canImport(Glibc)
import Glibc
#endif

/// Writes to standard output or error with `write(2)` (Swift 6 rejects the C `stdout`/`stderr` globals).
public enum StandardStream {
    public static func write(_ string: String, to fd: Int32 = 1) {
        write(bytes: Array(string.utf8), to: fd)
    }

    /// Writes all of `bytes`, retrying after EINTR; false when the descriptor stopped taking them (a closed pipe).
    @discardableResult
    public static func write(bytes: [UInt8], to fd: Int32 = 1) -> Bool {
        bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return true }
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, base + offset, raw.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
    }

    /// One line on stderr, prefixed `shrike: `.
    public static func note(_ line: String) {
        write("shrike: \(line)\n", to: 2)
    }
}

#if canImport(Glibc)
import Glibc
#endif
import ShrikeCore

/// Small helpers for Shrike's own scratch files.
enum LocalFiles {
    /// Writes `bytes` to `path` through a temporary name and a rename, so readers never see half a file.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws {
        let temporary = path + ".tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        guard let handle = fopen(temporary, "wx") else {
            throw ShrikeError(.io, "cannot write: \(String(cString: strerror(errno)))", input: temporary)
        }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, handle) }
        fclose(handle)
        guard written == bytes.count, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw ShrikeError(.io, "cannot write (disk full?)", input: path)
        }
    }
}

import CShrikeBPF
import Foundation

/// Reads small files inside a container's root file system (through `/proc/PID/root`) without following anything out
/// of that root.
///
/// Every path is resolved by the kernel with the root as `/` (openat2 `RESOLVE_IN_ROOT`), so symlinks a container
/// planted (`/etc/passwd -> /proc/1/root/etc/shadow`, `../../../etc/passwd`) stay inside it; only regular files up to a
/// size limit are read.
public enum ContainerRootFile {
    /// O_PATH (Glibc's Swift overlay does not export it): a handle to the directory that reads nothing.
    static let openPath: Int32 = 0o10000000

    /// What identifies one version of a file: read again only when this changes.
    public struct Identity: Sendable, Equatable {
        public var device: UInt64
        public var inode: UInt64
        public var size: Int64
        public var modified: Int64
        public var modifiedNanoseconds: Int
    }

    /// The contents and identity of `path` (absolute inside `root`); nil when it is missing, not a regular file,
    /// larger than `limit` bytes, or the root cannot be opened.
    public static func contents(of path: String, root: String, limit: Int) -> (bytes: [UInt8], identity: Identity)? {
        let rootFD = open(root, Self.openPath | O_DIRECTORY | O_CLOEXEC)
        guard rootFD >= 0 else { return nil }
        defer { close(rootFD) }
        let fd = shrike_open_in_root(rootFD, path)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size <= limit else { return nil }
        let identity = Identity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                                modified: Int64(info.st_mtim.tv_sec), modifiedNanoseconds: Int(info.st_mtim.tv_nsec))
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while bytes.count <= limit {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes += chunk[0..<n]
        }
        guard bytes.count <= limit else { return nil }
        return (bytes, identity)
    }
}

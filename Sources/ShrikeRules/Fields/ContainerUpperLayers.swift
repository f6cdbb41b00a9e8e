import Foundation
import Synchronization

/// Finds whether a container's executable lives in its writable (overlay upper) layer: the file was written after
/// the container started, not shipped in the image (`proc.is_exe_upper_layer`).
///
/// The container's root mount in `/proc/PID/mountinfo` names the overlay's `upperdir`; the executable is in the upper
/// layer when `upperdir + exe` exists there. Upper directories are cached per container, so a process that already
/// exited is still answered from its container's earlier processes (or its parent's mounts).
public final class ContainerUpperLayers: Sendable {
    public static let shared = ContainerUpperLayers()

    private let upperDirectories = Mutex<[String: String]>([:])
    private let procRoot: String

    public init(procRoot: String = "/proc") {
        self.procRoot = procRoot
    }

    public func isInUpperLayer(exe: String, pid: Int32, ppid: Int32, container: String) -> Bool {
        guard exe.hasPrefix("/"), let upper = upperDirectory(pid: pid, ppid: ppid, container: container) else {
            return false
        }
        var info = stat()
        return lstat(upper + exe, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    func upperDirectory(pid: Int32, ppid: Int32, container: String) -> String? {
        if let known = upperDirectories.withLock({ $0[container] }) { return known }
        for candidate in [pid, ppid] where candidate > 0 {
            if let found = Self.rootUpperDirectory(mountinfo: "\(procRoot)/\(candidate)/mountinfo") {
                upperDirectories.withLock { cache in
                    if cache.count > 4096 { cache.removeAll() }
                    cache[container] = found
                }
                return found
            }
        }
        return nil
    }

    /// The `upperdir=` of the overlay mounted at `/` in a mountinfo file, or nil.
    static func rootUpperDirectory(mountinfo path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") {
            // id parent major:minor root mountpoint options [optional fields] - fstype source superoptions
            let fields = line.split(separator: " ")
            guard fields.count > 6, fields[4] == "/", let dash = fields.firstIndex(of: "-"),
                  dash + 3 < fields.count, fields[dash + 1] == "overlay" else { continue }
            for option in fields[dash + 3].split(separator: ",") where option.hasPrefix("upperdir=") {
                return unescape(String(option.dropFirst("upperdir=".count)))
            }
        }
        return nil
    }

    /// mountinfo escapes space, tab, newline and backslash as octal (`\040`).
    static func unescape(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var out: [UInt8] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\"), index + 3 < bytes.count,
               let value = UInt8(String(decoding: bytes[(index + 1)...(index + 3)], as: UTF8.self), radix: 8) {
                out.append(value)
                index += 4
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

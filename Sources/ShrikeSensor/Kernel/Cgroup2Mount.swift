import Foundation

/// Finds where the cgroup2 file system is mounted, for attaching cgroup programs to its root.
///
/// Read from `/proc/self/mountinfo` rather than assumed: pure cgroup2 machines mount it at `/sys/fs/cgroup`, hybrid
/// ones (v1 controllers plus cgroup2) at `/sys/fs/cgroup/unified`, and some systems elsewhere.
enum Cgroup2Mount {
    /// The mount point of the cgroup2 file system in this process's mount namespace; nil when none is mounted.
    static func current() -> String? {
        guard let text = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return nil }
        return path(mountinfo: text)
    }

    /// The mount point of the first cgroup2 mount of its hierarchy's root (`/`) in `mountinfo`; failing that, of any
    /// cgroup2 mount (a bind mount of a subtree still reaches the programs attached below it).
    static func path(mountinfo: String) -> String? {
        var fallback: String?
        for line in mountinfo.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            // id parent major:minor root mount-point options [optional fields…] - fstype source super-options
            guard fields.count >= 7, let separator = fields.dropFirst(6).firstIndex(of: "-"),
                  separator + 1 < fields.count, fields[separator + 1] == "cgroup2" else { continue }
            let root = unescape(fields[3])
            let mountPoint = unescape(fields[4])
            if root == "/" { return mountPoint }
            if fallback == nil { fallback = mountPoint }
        }
        return fallback
    }

    /// mountinfo writes space, tab, newline and backslash in paths as three-digit octal escapes (`\040`).
    static func unescape(_ field: Substring) -> String {
        let bytes = Array(field.utf8)
        guard bytes.contains(UInt8(ascii: "\\")) else { return String(field) }
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "\\"), index + 3 < bytes.count, let value = octal(bytes[(index + 1)...(index + 3)]) {
                out.append(value)
                index += 4
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func octal(_ digits: ArraySlice<UInt8>) -> UInt8? {
        guard digits.count == 3 else { return nil }
        var value = 0
        for digit in digits {
            guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "7") else { return nil }
            value = value * 8 + Int(digit - UInt8(ascii: "0"))
        }
        return value <= 255 ? UInt8(value) : nil
    }
}

import Foundation
import ShrikeCore

/// Turns names found in archives into safe absolute paths inside the image root.
///
/// Archive names may start with `./` or `/`, repeat slashes, or contain `.` and `..` components. Lexically, `..`
/// at the root stays at the root (as the kernel does for `/..`), so no name can climb out; names holding NUL bytes
/// are rejected because no file system can store them and they are a known trick to confuse C-based tools.
public enum PathNormalizer {
    /// Normalises `name` to `/a/b/c`. Throws `unsafePath` for NUL bytes and empty names.
    public static func normalize(_ name: String) throws -> String {
        if name.utf8.contains(0) {
            throw ShrikeError(.unsafePath, "entry name contains a NUL byte", input: name.replacingOccurrences(of: "\0", with: "\\0"))
        }
        var parts: [Substring] = []
        for part in name.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// True when the raw archive name would climb above the root if taken literally (`../x`, `a/../../x`).
    /// Such entries are refused rather than silently clamped: no well-formed image has them.
    public static func escapesRoot(_ name: String) -> Bool {
        var depth = 0
        for part in name.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                depth -= 1
                if depth < 0 { return true }
            } else {
                depth += 1
            }
        }
        return false
    }

    /// The parent directory of a normalised path (`/` for `/x` and for `/`).
    public static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    /// The last component of a normalised path.
    public static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    /// Joins a normalised directory and a child name.
    public static func join(_ directory: String, _ name: String) -> String {
        directory == "/" ? "/" + name : directory + "/" + name
    }
}

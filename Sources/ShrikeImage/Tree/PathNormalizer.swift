import Foundation
import ShrikeCore

/// Turns names found in archives into safe absolute paths inside the image root.
///
/// Archive names may start with `./` or `/`, repeat slashes, or contain `.` and `..` components. Lexically, `..`
/// at the root stays at the root (as the kernel does for `/..`), so no name can climb out; names holding NUL bytes
/// are rejected because no file system can store them and they are a known trick to confuse C-based tools.
public enum PathNormalizer {
    /// Normalises `name` to `/a/b/c`. Throws `unsafePath` for NUL bytes.
    public static func normalize(_ name: String) throws -> String {
        let (path, _) = try normalizeReportingEscape(name)
        return path
    }

    /// True when the raw archive name would climb above the root if taken literally (`../x`, `a/../../x`).
    /// Such entries are refused rather than silently clamped: no well-formed image has them.
    public static func escapesRoot(_ name: String) -> Bool {
        (try? normalizeReportingEscape(name))?.escapes ?? false
    }

    /// One pass over the name's bytes: the normalised path, and whether a `..` tried to climb above the root.
    public static func normalizeReportingEscape(_ name: String) throws -> (path: String, escapes: Bool) {
        var name = name
        return try name.withUTF8 { bytes -> (String, Bool) in
            var out: [UInt8] = []
            out.reserveCapacity(bytes.count + 1)
            var escapes = false
            var i = 0
            let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
            while i < bytes.count {
                if bytes[i] == slash { i += 1; continue }
                var j = i
                while j < bytes.count && bytes[j] != slash {
                    if bytes[j] == 0 {
                        throw ShrikeError(.unsafePath, "entry name contains a NUL byte",
                                          input: String(decoding: bytes.map { $0 == 0 ? UInt8(ascii: "?") : $0 }, as: UTF8.self))
                    }
                    j += 1
                }
                let length = j - i
                if length == 1 && bytes[i] == dot {
                    // "." changes nothing.
                } else if length == 2 && bytes[i] == dot && bytes[i + 1] == dot {
                    if let last = out.lastIndex(of: slash) {
                        out.removeSubrange(last...)
                    } else {
                        escapes = true
                    }
                } else {
                    out.append(slash)
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<j]))
                }
                i = j
            }
            return (out.isEmpty ? "/" : String(decoding: out, as: UTF8.self), escapes)
        }
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

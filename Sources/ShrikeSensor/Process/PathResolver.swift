/// Makes paths absolute and normal the way the kernel would see them (without following symlinks).
public enum PathResolver {
    /// AT_FDCWD: `*at()` calls with this directory fd resolve against the cwd.
    public static let currentDirectoryFD: Int32 = -100

    /// `path` resolved against `base` (an absolute directory), with `.`/`..`/`//` removed.
    public static func resolve(_ path: String, against base: String) -> String {
        if path.hasPrefix("/") { return normalize(path) }
        return normalize(base + "/" + path)
    }

    /// Removes `.`, `..` and repeated slashes from an absolute path; `..` at the root stays at the root.
    public static func normalize(_ path: String) -> String {
        guard needsNormalizing(path) else { return path }
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// True when the path has `//`, `/.` or a trailing slash; a byte scan, as this runs for every file event.
    static func needsNormalizing(_ path: String) -> Bool {
        var copy = path
        return copy.withUTF8 { bytes in
            guard bytes.count > 1 else { return false }
            if bytes[bytes.count - 1] == UInt8(ascii: "/") { return true }
            for index in 0..<(bytes.count - 1) where bytes[index] == UInt8(ascii: "/") {
                let next = bytes[index + 1]
                if next == UInt8(ascii: "/") || next == UInt8(ascii: ".") { return true }
            }
            return false
        }
    }
}

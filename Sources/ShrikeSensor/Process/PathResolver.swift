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
        guard path.contains("/.") || path.contains("//") || (path.hasSuffix("/") && path.count > 1) else { return path }
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
}

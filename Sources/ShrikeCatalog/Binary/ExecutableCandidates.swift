/// Which files may be compiled executables worth opening (Go and Rust binaries), decided from path and size alone.
///
/// Image sources keep the content of every wanted file while layers stream by (in memory up to 8 MiB, spilled to
/// the scratch directory above that), so the rule must be generous enough to find binaries wherever images put them
/// (`/app/server`, `/ko-app/x`, `/manager`, `/usr/local/bin/x`) and strict enough not to keep whole images: files in
/// data-only trees (unless under a `bin` directory), files with data or source extensions and shared libraries
/// (`*.so*`) are left out. Syft looks at
/// every executable; the executable bit is not visible here, so the catalogers check the ELF magic instead.
public enum ExecutableCandidates {
    /// Smallest binary considered: real Go and Rust executables are far larger; tiny files are scripts and stubs.
    public static let minimumSize: Int64 = 16 * 1024
    /// Largest binary considered (the biggest real Go binaries, such as kubelet, are a few hundred MiB).
    public static let maximumSize: Int64 = 512 << 20

    static let excludedPrefixes = [
        "/usr/share/", "/usr/include/", "/usr/src/", "/var/lib/dpkg/", "/var/lib/rpm/", "/var/lib/apk/",
        "/lib/apk/", "/var/cache/", "/var/log/", "/etc/", "/usr/lib/locale/", "/usr/lib/python", "/usr/local/lib/python",
        "/usr/lib/jvm/", "/usr/share/doc/", "/proc/", "/sys/", "/dev/", "/boot/", "/lib/modules/", "/usr/lib/modules/",
        "/lib/firmware/", "/usr/lib/firmware/",
    ]
    static let excludedComponents: Set<Substring> = ["node_modules", "site-packages", "dist-packages", "__pycache__",
                                                     ".git", "man", "locale", "include"]
    static let excludedExtensions: Set<Substring> = [
        "a", "o", "ko", "la", "lo", "h", "hpp", "c", "cc", "cpp", "go", "rs", "java", "class", "jar", "war", "ear",
        "py", "pyc", "pyo", "pyi", "pyd", "js", "mjs", "cjs", "ts", "map", "json", "yaml", "yml", "toml", "xml", "html",
        "htm", "css", "scss", "md", "rst", "txt", "csv", "tsv", "ini", "cfg", "conf", "properties", "mo", "po", "pot",
        "gz", "tgz", "xz", "zst", "bz2", "lz4", "zip", "7z", "tar", "deb", "rpm", "apk", "whl", "egg", "gem", "png",
        "jpg", "jpeg", "gif", "svg", "ico", "webp", "ttf", "otf", "woff", "woff2", "pdf", "pem", "crt", "key", "der",
        "db", "sqlite", "sqlite3", "rb", "pl", "pm", "php", "sh", "bash", "lua", "tcl", "el", "elc", "vim", "mod", "sum",
        "lock", "log", "pak", "dat", "img", "iso", "qcow2", "wasm", "pb", "proto", "hwdb", "cache", "typelib",
        "gir", "dll", "pdb", "mat", "npy", "pt", "onnx", "safetensors", "nupkg", "cs", "fs", "vb", "ps1", "bat", "cmd",
    ]

    /// True for a regular file that may be a Go or Rust executable.
    public static func wants(path: String, size: Int64) -> Bool {
        guard size >= minimumSize, size <= maximumSize else { return false }
        let components = path.split(separator: "/")
        guard let name = components.last else { return false }
        // A `bin`/`sbin`/`libexec` directory holds programs even inside data trees (`/usr/share/grafana/bin/…`,
        // `node_modules/esbuild/bin/esbuild`, itself a Go binary).
        let inProgramDirectory = components.dropLast().contains { $0 == "bin" || $0 == "sbin" || $0 == "libexec" }
        if !inProgramDirectory {
            for prefix in excludedPrefixes where path.hasPrefix(prefix) { return false }
            for component in components.dropLast() where excludedComponents.contains(component) { return false }
        }
        // Shared libraries: `libfoo.so`, `libfoo.so.1.2`.
        if name.hasSuffix(".so") || name.contains(".so.") { return false }
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            let ext = name[name.index(after: dot)...].lowercased()
            if excludedExtensions.contains(Substring(ext)) { return false }
        }
        return true
    }
}

/// A rule that matches final-tree files by path, and the fix for what it matches.
struct PathRule: Sendable {
    var kind: Finding.Kind
    var id: String
    /// What the matched files are, for the finding's title (`apt package lists`).
    var what: String
    var fix: String
    /// True when the path matches (an absolute, normalised file path).
    var matches: @Sendable (String) -> Bool

    /// Files under any of `prefixes` (each ending in `/`).
    static func under(_ prefixes: [String]) -> @Sendable (String) -> Bool {
        { path in prefixes.contains { path.hasPrefix($0) } }
    }

    /// Files below a directory named `component` anywhere, or below `/root/<component>`, `/home/*/<component>`.
    static func inHomes(_ component: String) -> @Sendable (String) -> Bool {
        { path in
            if path.hasPrefix("/root/" + component + "/") { return true }
            guard path.hasPrefix("/home/") else { return false }
            let rest = path.dropFirst("/home/".count)
            guard let slash = rest.firstIndex(of: "/") else { return false }
            return rest[rest.index(after: slash)...].hasPrefix(component + "/")
        }
    }

    /// Files with `component` as one of their directories (`__pycache__`).
    static func component(_ name: String) -> @Sendable (String) -> Bool {
        { path in path.contains("/" + name + "/") }
    }
}

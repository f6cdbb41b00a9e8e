import ShrikeCore

/// Small helpers for `host/repo[:tag][@digest]` strings.
public enum ImageReference {
    /// `registry:5000/a/b:1.0` → `registry:5000/a/b` (a `:` after the last `/` starts the tag; a digest is dropped).
    public static func stripTag(_ reference: String) -> String {
        var name = reference
        if let at = name.firstIndex(of: "@") { name = String(name[..<at]) }
        let lastSlash = name.lastIndex(of: "/") ?? name.startIndex
        if let colon = name[lastSlash...].lastIndex(of: ":") { name = String(name[..<colon]) }
        return name
    }

    /// The tag of a reference, when it has one.
    public static func tag(of reference: String) -> String? {
        var name = reference
        if let at = name.firstIndex(of: "@") { name = String(name[..<at]) }
        let lastSlash = name.lastIndex(of: "/") ?? name.startIndex
        guard let colon = name[lastSlash...].lastIndex(of: ":") else { return nil }
        return String(name[name.index(after: colon)...])
    }
}

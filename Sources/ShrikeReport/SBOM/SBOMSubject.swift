import ShrikeImage

/// How SBOM documents name what was scanned: an image by its first tag's repository, a directory by its path.
struct SBOMSubject {
    let source: SourceDescription

    /// True for image sources (anything but `dir`).
    var isImage: Bool { source.type != "dir" }

    /// `docker.io/library/alpine` for a tag `docker.io/library/alpine:3.20`, else the path as the user gave it.
    var name: String {
        guard let tag = source.tags.first, !tag.isEmpty else { return source.path.isEmpty ? source.type : source.path }
        return Self.repository(of: tag)
    }

    /// The first tag in full, else the path: a human title for the document.
    var title: String {
        if let tag = source.tags.first, !tag.isEmpty { return tag }
        return source.path.isEmpty ? source.type : source.path
    }

    /// Drops `:tag` (a colon after the last slash, so `host:5000/repo` keeps its port) and any `@digest`.
    static func repository(of reference: String) -> String {
        var name = reference
        if let at = name.firstIndex(of: "@") { name = String(name[..<at]) }
        let lastSlash = name.lastIndex(of: "/") ?? name.startIndex
        if let colon = name[lastSlash...].lastIndex(of: ":") { name = String(name[..<colon]) }
        return name.isEmpty ? reference : name
    }
}

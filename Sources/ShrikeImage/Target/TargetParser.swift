#if canImport(Glibc)
import Glibc
#endif
import ShrikeCore

/// Parses target strings and detects what a bare path holds.
public enum TargetParser {
    /// Schemes Shrike knows but this build cannot read yet, with what to do instead.
    static let laterSchemes = ["vm", "docker", "podman"]

    /// Parses `SCHEME:PATH[:TAG]` or a bare path (detected by content).
    ///
    /// A `:TAG` suffix is only split off when the whole string is not itself an existing path, so paths with colons
    /// still work. Throws `badTarget` with a one-line explanation for unknown schemes, missing paths and content that
    /// is neither an image nor a directory.
    public static func parse(_ string: String) throws -> Target {
        guard !string.isEmpty else { throw ShrikeError(.badTarget, "empty target; try docker-archive:FILE, oci-dir:DIR, registry:HOST/REPO:TAG or dir:PATH") }
        if let colon = string.firstIndex(of: ":") {
            let scheme = String(string[..<colon])
            let rest = String(string[string.index(after: colon)...])
            switch scheme {
            case "docker-archive":
                let (path, tag) = try splitTag(rest, scheme: scheme)
                return .dockerArchive(path: path, tag: tag)
            case "oci-dir", "oci":
                let (path, tag) = try splitTag(rest, scheme: scheme)
                return .ociDirectory(path: path, tag: tag)
            case "oci-archive":
                let (path, tag) = try splitTag(rest, scheme: scheme)
                return .ociArchive(path: path, tag: tag)
            case "registry":
                return .registry(try ImageReference(parsing: rest))
            case "dir":
                guard !rest.isEmpty else { throw ShrikeError(.badTarget, "dir: needs a path, e.g. dir:/ or dir:./rootfs", input: string) }
                guard isDirectory(rest) else {
                    throw ShrikeError(.badTarget, exists(rest) ? "is not a directory" : "does not exist", input: rest)
                }
                return .directory(path: rest)
            default:
                if laterSchemes.contains(scheme) {
                    throw ShrikeError(.badTarget, "'\(scheme):' targets are not supported by this build yet; save the image first (skopeo copy … oci-archive:FILE) and pass oci-archive:FILE", input: string)
                }
                // Not a scheme we know: maybe a bare path that contains a colon.
                if exists(string) { return try detect(string) }
                throw ShrikeError(.badTarget, "unknown target type '\(scheme):' (use docker-archive:, oci-dir:, oci-archive:, registry: or dir:)", input: string)
            }
        }
        guard exists(string) else { throw ShrikeError(.badTarget, "does not exist", input: string) }
        return try detect(string)
    }

    /// Decides what an existing path holds by looking inside it.
    public static func detect(_ path: String) throws -> Target {
        if isDirectory(path) {
            if exists(path + "/oci-layout") && exists(path + "/index.json") { return .ociDirectory(path: path, tag: nil) }
            return .directory(path: path)
        }
        let container: TarContainer
        do {
            container = try TarContainer(path: path)
        } catch let error as ShrikeError {
            throw ShrikeError(.badTarget, "is neither a directory nor an image archive (\(error.message))", input: path)
        }
        if container.has("manifest.json") { return .dockerArchive(path: path, tag: nil) }
        if container.has("oci-layout") && container.has("index.json") { return .ociArchive(path: path, tag: nil) }
        throw ShrikeError(.badTarget, "is a tar archive but holds neither manifest.json (docker-archive) nor oci-layout (OCI archive); for a root file system tarball, unpack it and use dir:", input: path)
    }

    private static func splitTag(_ rest: String, scheme: String) throws -> (String, String?) {
        guard !rest.isEmpty else {
            throw ShrikeError(.badTarget, "\(scheme): needs a path, e.g. \(scheme):./image\(scheme == "oci-dir" ? "" : ".tar")")
        }
        if exists(rest) { return (rest, nil) }
        if let colon = rest.lastIndex(of: ":") {
            let path = String(rest[..<colon])
            let tag = String(rest[rest.index(after: colon)...])
            if exists(path), !tag.isEmpty, !tag.contains("/") { return (path, tag) }
        }
        throw ShrikeError(.badTarget, "does not exist", input: rest)
    }

    static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }
}

import ShrikeCore

/// A parsed `HOST/REPO[:TAG|@DIGEST]` image reference, normalised the way Docker does.
///
/// A reference without a registry host goes to Docker Hub (`alpine` → `registry-1.docker.io/library/alpine:latest`);
/// `docker.io` and `index.docker.io` mean Docker Hub's API host. The first path component is a host when it holds a
/// `.` or `:` or is `localhost`. Without a tag or digest the tag is `latest`.
public struct ImageReference: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The API host with an optional port (`registry-1.docker.io`, `127.0.0.1:5000`).
    public var host: String
    /// The repository name (`library/alpine`, `team/app`).
    public var repository: String
    /// The tag, when the reference names one (nil for digest-only references).
    public var tag: String?
    /// The manifest digest, when the reference pins one.
    public var digest: Digest?

    public init(host: String, repository: String, tag: String? = nil, digest: Digest? = nil) {
        self.host = host
        self.repository = repository
        self.tag = tag
        self.digest = digest
    }

    /// Parses `HOST/REPO[:TAG][@DIGEST]`; throws `badTarget` naming the reference and what is wrong.
    public init(parsing string: String) throws {
        var rest = Substring(string)
        guard !rest.isEmpty else {
            throw ShrikeError(.badTarget, "registry: needs a reference such as registry:ghcr.io/org/app:1.0", input: string)
        }
        var digest: Digest?
        if let at = rest.firstIndex(of: "@") {
            digest = try Digest(parsing: String(rest[rest.index(after: at)...]))
            rest = rest[..<at]
        }
        var tag: String?
        // A ':' after the last '/' separates the tag; one before it belongs to host:port.
        let lastSlash = rest.lastIndex(of: "/")
        if let colon = rest.lastIndex(of: ":"), lastSlash.map({ colon > $0 }) ?? true {
            tag = String(rest[rest.index(after: colon)...])
            rest = rest[..<colon]
        }
        var components = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        var host = "registry-1.docker.io"
        if components.count > 1, let first = components.first,
           first.contains(".") || first.contains(":") || first == "localhost" {
            host = first
            components.removeFirst()
        }
        if host == "docker.io" || host == "index.docker.io" { host = "registry-1.docker.io" }
        if host == "registry-1.docker.io" && components.count == 1 { components.insert("library", at: 0) }
        let repository = components.joined(separator: "/")
        try Self.validate(repository: repository, tag: tag, input: string)
        self.init(host: host, repository: repository, tag: tag ?? (digest == nil ? "latest" : nil), digest: digest)
    }

    private static func validate(repository: String, tag: String?, input: String) throws {
        // distribution's grammar: path components of [a-z0-9] separated by '.', '_', '__' or '-'.
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-/")
        guard !repository.isEmpty, repository.allSatisfy({ allowed.contains($0) }),
              !repository.split(separator: "/", omittingEmptySubsequences: false).contains(where: \.isEmpty),
              !repository.hasPrefix("."), !repository.hasPrefix("-") else {
            throw ShrikeError(.badTarget, "'\(repository)' is not a valid repository name (lower-case letters, digits, '.', '_', '-', '/')", input: input)
        }
        if let tag {
            let tagAllowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
            guard !tag.isEmpty, tag.count <= 128, tag.allSatisfy({ tagAllowed.contains($0) }),
                  !tag.hasPrefix("."), !tag.hasPrefix("-") else {
                throw ShrikeError(.badTarget, "'\(tag)' is not a valid tag (letters, digits, '.', '_', '-'; at most 128)", input: input)
            }
        }
    }

    /// The tag or digest to ask the registry for: the digest when pinned, else the tag.
    public var reference: String { digest?.description ?? tag ?? "latest" }

    /// True when the host is a loopback address (`localhost`, `127.x.x.x`, `[::1]`), where plain HTTP is allowed.
    public var isLoopback: Bool { Self.isLoopback(host: host) }

    static func isLoopback(host: String) -> Bool {
        var name = host
        if name.hasPrefix("[") {
            if let end = name.firstIndex(of: "]") { name = String(name[name.index(after: name.startIndex)..<end]) }
        } else if let colon = name.lastIndex(of: ":") {
            name = String(name[..<colon])
        }
        return name == "localhost" || name == "::1" || name.hasPrefix("127.")
    }

    public var description: String {
        var text = "\(host)/\(repository)"
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest)" }
        return text
    }

    /// The same repository, another tag or digest.
    public func with(reference: String) throws -> ImageReference {
        var copy = self
        if reference.contains(":") {
            copy.digest = try Digest(parsing: reference)
            copy.tag = nil
        } else {
            copy.tag = reference
            copy.digest = nil
        }
        return copy
    }
}

import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ShrikeCore

/// A client for one repository of an OCI distribution-spec 1.1 registry (pull, push, tags, referrers).
///
/// Every call is synchronous and blocks the calling thread until the registry answers (bodies stream while they are
/// read); call it from a command or a background thread, never from a SwiftNIO event loop. Authentication
/// (anonymous, basic, bearer tokens cached per scope) happens on demand. Errors are `ShrikeError`s naming the
/// registry, repository or blob: `notFound` for a missing repository/tag/blob, `io` for connection and access
/// problems, `digestMismatch` when content does not match its digest.
public final class RegistryClient: Sendable {
    /// The host and repository this client talks to (tag and digest are ignored).
    public let host: String
    public let repository: String
    let transport: RegistryTransport
    private let options: RegistryOptions

    /// Creates a client for `reference.host`/`reference.repository`.
    ///
    /// Throws `usage` for `insecure` with a non-loopback host, `badTarget` for an unreadable `caFile`.
    public convenience init(reference: ImageReference, options: RegistryOptions = RegistryOptions()) throws {
        try self.init(host: reference.host, repository: reference.repository, options: options)
    }

    public init(host: String, repository: String, options: RegistryOptions = RegistryOptions()) throws {
        self.host = host
        self.repository = repository
        self.options = options
        transport = try RegistryTransport(host: host, options: options)
    }

    /// The same registry and credentials, another repository.
    public func client(forRepository other: String) -> RegistryClient {
        RegistryClient(host: host, repository: other, options: options, transport: transport)
    }

    private init(host: String, repository: String, options: RegistryOptions, transport: RegistryTransport) {
        self.host = host
        self.repository = repository
        self.options = options
        self.transport = transport
    }

    /// HTTP requests sent so far (including auth and redirect hops), for benchmarks.
    public var roundTrips: Int { transport.roundTripCount }

    private var pullScope: String { "repository:\(repository):pull" }
    private var pushScope: String { "repository:\(repository):pull,push" }
    private var name: String { "\(host)/\(repository)" }

    // MARK: - Pull

    /// Fetches the manifest (or index) that `reference` (a tag or `sha256:…` digest) names, with its exact bytes.
    ///
    /// When `reference` is a digest the bytes are checked against it; otherwise the digest is computed from the bytes
    /// (and must agree with the registry's `Docker-Content-Digest` header when one is sent).
    public func manifest(_ reference: String, limit: Int = 4 << 20) throws -> RegistryManifest {
        let response = try transport.send(.GET, "/v2/\(repository)/manifests/\(reference)",
                                          headers: [("Accept", MediaType.manifestAccept.joined(separator: ", "))],
                                          scope: pullScope)
        let bytes = try response.body.readBody(limit: limit)
        try check(response, bytes: bytes, what: "manifest \(reference)")
        let digest = Digest.sha256(of: bytes)
        let what = "\(name)@\(reference)"
        if let pinned = try? Digest(parsing: reference), pinned != digest {
            throw ShrikeError(.digestMismatch, "manifest digest mismatch: expected \(pinned), content hashes to \(digest)", input: what)
        }
        if let header = response.header("Docker-Content-Digest"), let served = try? Digest(parsing: header),
           served.algorithm == .sha256, served != digest {
            throw ShrikeError(.digestMismatch, "manifest digest mismatch: the registry says \(served), content hashes to \(digest)", input: what)
        }
        let declared = response.header("Content-Type")?.split(separator: ";").first
            .map { $0.trimmingCharacters(in: .whitespaces) }
        let mediaType = declared.flatMap { $0.isEmpty || $0 == "application/json" ? nil : $0 } ?? Self.sniffMediaType(bytes)
        return RegistryManifest(bytes: bytes, mediaType: mediaType, digest: digest)
    }

    /// HEAD for a manifest: its descriptor when it exists, nil on 404.
    public func manifestDescriptor(_ reference: String) throws -> Descriptor? {
        let response = try transport.send(.HEAD, "/v2/\(repository)/manifests/\(reference)",
                                          headers: [("Accept", MediaType.manifestAccept.joined(separator: ", "))],
                                          scope: pullScope)
        _ = try? response.body.readBody(limit: 1 << 16)
        if response.status == 404 { return nil }
        try check(response, bytes: nil, what: "manifest \(reference)")
        guard let digestText = response.header("Docker-Content-Digest"), let digest = try? Digest(parsing: digestText) else {
            // Some registries omit the header on HEAD: fetch the bytes to learn the digest.
            return try manifest(reference).descriptor
        }
        let size = response.header("Content-Length").flatMap { Int64($0) } ?? 0
        return Descriptor(mediaType: response.header("Content-Type"), digest: digest, size: size)
    }

    /// Streams the blob `digest`; the stream verifies digest (and `expectedSize` when given) as it ends and throws
    /// `digestMismatch` then. Returns the stream and the size the registry announced (or `expectedSize`).
    public func blob(_ digest: Digest, expectedSize: Int64? = nil) throws -> (stream: any ByteStream, size: Int64?) {
        let (raw, size) = try openBlob(digest)
        if let expectedSize, let size, size != expectedSize {
            throw ShrikeError(.digestMismatch, "size mismatch: expected \(expectedSize) bytes, the registry serves \(size)",
                              input: "\(name)@\(digest)")
        }
        let verifying = DigestingStream(raw, expected: digest, expectedSize: expectedSize ?? size, what: "\(name)@\(digest)")
        return (verifying, expectedSize ?? size)
    }

    /// Reads a small blob whole (at most `limit` bytes) and verifies it.
    public func blobData(_ digest: Digest, limit: Int = 4 << 20) throws -> [UInt8] {
        let (stream, size) = try blob(digest)
        if let size, size > Int64(limit) {
            throw ShrikeError(.limitExceeded, "is \(size) bytes, over the \(limit)-byte limit", input: "\(name)@\(digest)")
        }
        let bytes = try stream.readAll(limit: limit, what: "\(name)@\(digest)")
        return bytes
    }

    /// Opens a blob without verifying it (the image pipeline verifies itself); the size is the Content-Length.
    func openBlob(_ digest: Digest) throws -> (stream: HTTPResponseStream, size: Int64?) {
        let response = try transport.send(.GET, "/v2/\(repository)/blobs/\(digest)", scope: pullScope)
        if response.status != 200 {
            try check(response, bytes: try? response.body.readBody(limit: 64 << 10), what: "blob \(digest)")
        }
        return (response.body, response.header("Content-Length").flatMap { Int64($0) })
    }

    /// Opens a manifest by digest as a raw stream (for `verify`), nil when the registry does not have it.
    func openManifestRaw(_ digest: Digest) throws -> HTTPResponseStream? {
        let response = try transport.send(.GET, "/v2/\(repository)/manifests/\(digest)",
                                          headers: [("Accept", MediaType.manifestAccept.joined(separator: ", "))],
                                          scope: pullScope)
        if response.status == 404 { return nil }
        if response.status != 200 { try check(response, bytes: try? response.body.readBody(limit: 64 << 10), what: "manifest \(digest)") }
        return response.body
    }

    /// Opens a blob as a raw stream (for `verify`), nil when the registry does not have it.
    func openBlobRaw(_ digest: Digest) throws -> HTTPResponseStream? {
        let response = try transport.send(.GET, "/v2/\(repository)/blobs/\(digest)", scope: pullScope)
        if response.status == 404 { return nil }
        if response.status != 200 { try check(response, bytes: try? response.body.readBody(limit: 64 << 10), what: "blob \(digest)") }
        return response.body
    }

    /// HEAD for a blob: true when the repository has it.
    public func exists(blob digest: Digest) throws -> Bool {
        let response = try transport.send(.HEAD, "/v2/\(repository)/blobs/\(digest)", scope: pullScope)
        _ = try? response.body.readBody(limit: 1 << 16)
        if response.status == 404 { return false }
        try check(response, bytes: nil, what: "blob \(digest)")
        return true
    }

    /// GET /v2/: returns when the registry answers 2xx (after authentication), throws otherwise.
    public func ping() throws {
        let response = try transport.send(.GET, "/v2/", scope: pullScope)
        let bytes = try? response.body.readBody(limit: 1 << 16)
        try check(response, bytes: bytes, what: "/v2/")
    }

    /// Every tag of the repository, following the `Link: <…>; rel="next"` pages.
    public func tags(pageSize: Int? = nil) throws -> [String] {
        var path: String? = "/v2/\(repository)/tags/list" + (pageSize.map { "?n=\($0)" } ?? "")
        var tags: [String] = []
        var pages = 0
        while let next = path {
            pages += 1
            guard pages <= 10_000 else { throw ShrikeError(.limitExceeded, "more than 10000 pages of tags", input: name) }
            let response = try transport.send(.GET, next, scope: pullScope)
            let bytes = try response.body.readBody(limit: 16 << 20)
            try check(response, bytes: bytes, what: "tag list")
            struct TagList: Decodable { var tags: [String]? }
            let list = try JSONDecoding.decode(TagList.self, from: bytes, what: "\(name): tag list")
            tags += list.tags ?? []
            path = response.header("Link").flatMap(Self.nextLink)
        }
        return tags
    }

    /// The manifests that refer to `digest` (OCI 1.1 `subject`), optionally of one `artifactType`.
    ///
    /// Uses the referrers API (`/v2/NAME/referrers/DIGEST`); when the registry does not have it (404), falls back to
    /// the index tagged `sha256-<hex>` (the tag schema of the spec), returning [] when that tag does not exist.
    public func referrers(_ digest: Digest, artifactType: String? = nil) throws -> [Descriptor] {
        var path = "/v2/\(repository)/referrers/\(digest)"
        if let artifactType, let encoded = artifactType.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) {
            path += "?artifactType=\(encoded)"
        }
        let response = try transport.send(.GET, path, headers: [("Accept", MediaType.ociIndex)], scope: pullScope)
        let bytes = try response.body.readBody(limit: 4 << 20)
        var descriptors: [Descriptor]
        let contentType = response.header("Content-Type") ?? ""
        if response.status == 200, contentType.hasPrefix(MediaType.ociIndex) {
            descriptors = try JSONDecoding.decode(ImageIndex.self, from: bytes, what: "\(name): referrers of \(digest)").manifests
        } else if response.status == 404 || response.status == 200 {
            // distribution 2.8 answers 404 (or 200 with another body from proxies): the tag schema fallback.
            descriptors = try fallbackReferrers(of: digest)?.manifests ?? []
        } else {
            try check(response, bytes: bytes, what: "referrers of \(digest)")
            descriptors = []
        }
        if let artifactType { descriptors = descriptors.filter { $0.artifactType == artifactType } }
        return descriptors
    }

    /// The tag schema's name for the referrers of `digest`: `sha256-<hex>`.
    public static func referrersTag(for digest: Digest) -> String { "\(digest.algorithm.rawValue)-\(digest.hex)" }

    private func fallbackReferrers(of digest: Digest) throws -> ImageIndex? {
        let tag = Self.referrersTag(for: digest)
        guard try manifestDescriptor(tag) != nil else { return nil }
        let index = try manifest(tag)
        return try JSONDecoding.decode(ImageIndex.self, from: index.bytes, what: "\(name):\(tag)")
    }

    /// Adds `descriptor` to the tag-schema referrers index of `subject` (`sha256-<hex>`), for registries without
    /// the referrers API. Existing entries are kept; an entry with the same digest is not added twice.
    public func addFallbackReferrer(_ descriptor: Descriptor, subject: Digest) throws {
        var index = try fallbackReferrers(of: subject) ?? ImageIndex(schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [])
        guard !index.manifests.contains(where: { $0.digest == descriptor.digest }) else { return }
        index.manifests.append(descriptor)
        index.mediaType = MediaType.ociIndex
        index.schemaVersion = 2
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let bytes = Array(try encoder.encode(index))
        _ = try putManifest(bytes, mediaType: MediaType.ociIndex, reference: Self.referrersTag(for: subject))
    }

    // MARK: - Push

    /// Uploads `data` as a blob (skipped when the repository already has it) and returns its descriptor.
    ///
    /// Blobs up to `RegistryOptions.chunkSize` go in one PUT; larger ones in PATCH chunks.
    @discardableResult
    public func putBlob(_ data: [UInt8], mediaType: String = "application/octet-stream") throws -> Descriptor {
        let digest = Digest.sha256(of: data)
        let descriptor = Descriptor(mediaType: mediaType, digest: digest, size: Int64(data.count))
        if try exists(blob: digest) { return descriptor }
        if data.count <= options.chunkSize {
            let location = try startUpload()
            try finishUpload(location, digest: digest, body: data)
        } else {
            try putBlob(from: MemoryByteStream(data), digest: digest, size: Int64(data.count))
        }
        return descriptor
    }

    /// Uploads a blob read from `stream` in PATCH chunks of `RegistryOptions.chunkSize`, then commits it with PUT.
    /// The registry checks the digest; the stream is read once, so the blob need not fit in memory.
    public func putBlob(from stream: any ByteStream, digest: Digest, size: Int64) throws {
        var location = try startUpload()
        var offset: Int64 = 0
        let chunk = max(options.chunkSize, 1 << 16)
        options.progress.begin("pushing \(digest.short)", total: size)
        defer { options.progress.end() }
        while true {
            let bytes = try stream.readFully(chunk)
            if bytes.isEmpty { break }
            let end = offset + Int64(bytes.count) - 1
            let response = try transport.send(.PATCH, location,
                                              headers: [("Content-Type", "application/octet-stream"),
                                                        ("Content-Range", "\(offset)-\(end)")],
                                              scope: pushScope, body: { .bytes(bytes) })
            _ = try? response.body.readBody(limit: 1 << 16)
            guard response.status == 202 || response.status == 204 else {
                throw ShrikeError(.io, "chunk upload failed (HTTP \(response.status)) at byte \(offset)", input: "\(name)@\(digest)")
            }
            location = try uploadLocation(response, fallback: location)
            offset += Int64(bytes.count)
            options.progress.advance(to: offset)
        }
        guard offset == size else {
            throw ShrikeError(.io, "the blob stream gave \(offset) bytes, not \(size)", input: "\(name)@\(digest)")
        }
        try finishUpload(location, digest: digest, body: nil)
    }

    /// Asks the registry to mount `digest` from `sourceRepository` (same registry) instead of uploading it.
    /// Returns false when the registry declined (then upload the blob).
    public func mountBlob(_ digest: Digest, from sourceRepository: String) throws -> Bool {
        let scope = "\(pushScope) repository:\(sourceRepository):pull"
        let response = try transport.send(.POST, "/v2/\(repository)/blobs/uploads/?mount=\(digest)&from=\(sourceRepository)",
                                          headers: [("Content-Length", "0")], scope: scope, body: { .bytes([]) })
        let bytes = try? response.body.readBody(limit: 1 << 16)
        switch response.status {
        case 201:
            return true
        case 202:
            // The registry opened an ordinary upload session instead; abandon it.
            if let location = response.header("Location") {
                let cancel = try? transport.send(.DELETE, absolute(location), scope: pushScope)
                _ = try? cancel?.body.readBody(limit: 1 << 16)
            }
            return false
        default:
            try check(response, bytes: bytes, what: "mount of \(digest) from \(sourceRepository)")
            return false
        }
    }

    /// Uploads a manifest under `reference` (a tag, or its own digest) and returns its digest.
    @discardableResult
    public func putManifest(_ bytes: [UInt8], mediaType: String, reference: String) throws -> Digest {
        let digest = Digest.sha256(of: bytes)
        if let pinned = try? Digest(parsing: reference), pinned != digest {
            throw ShrikeError(.digestMismatch, "cannot push manifest \(digest) under another digest \(pinned)", input: name)
        }
        let response = try transport.send(.PUT, "/v2/\(repository)/manifests/\(reference)",
                                          headers: [("Content-Type", mediaType)], scope: pushScope,
                                          body: { .bytes(bytes) })
        let reply = try? response.body.readBody(limit: 1 << 16)
        guard response.status == 201 || response.status == 200 else {
            try check(response, bytes: reply, what: "manifest push to \(reference)")
            throw ShrikeError(.io, "manifest push failed (HTTP \(response.status))\(RegistryTransport.errorDetail(reply))", input: "\(name):\(reference)")
        }
        return digest
    }

    private func startUpload() throws -> String {
        let response = try transport.send(.POST, "/v2/\(repository)/blobs/uploads/", headers: [("Content-Length", "0")],
                                          scope: pushScope, body: { .bytes([]) })
        let bytes = try? response.body.readBody(limit: 1 << 16)
        guard response.status == 202 else {
            try check(response, bytes: bytes, what: "blob upload")
            throw ShrikeError(.io, "the registry did not open an upload (HTTP \(response.status))\(RegistryTransport.errorDetail(bytes))", input: name)
        }
        return try uploadLocation(response, fallback: nil)
    }

    private func finishUpload(_ location: String, digest: Digest, body: [UInt8]?) throws {
        let separator = location.contains("?") ? "&" : "?"
        let url = location + separator + "digest=\(digest)"
        let payload = body ?? []
        let response = try transport.send(.PUT, url, headers: [("Content-Type", "application/octet-stream")],
                                          scope: pushScope, body: { .bytes(payload) })
        let bytes = try? response.body.readBody(limit: 1 << 16)
        guard response.status == 201 || response.status == 204 else {
            throw ShrikeError(response.status == 400 ? .digestMismatch : .io,
                              "blob upload was refused (HTTP \(response.status))\(RegistryTransport.errorDetail(bytes))",
                              input: "\(name)@\(digest)")
        }
    }

    private func uploadLocation(_ response: RegistryTransport.Response, fallback: String?) throws -> String {
        guard let location = response.header("Location") ?? fallback else {
            throw ShrikeError(.io, "the registry sent no upload Location", input: name)
        }
        return absolute(location)
    }

    private func absolute(_ location: String) -> String {
        if location.hasPrefix("http://") || location.hasPrefix("https://") { return location }
        return transport.baseURL + (location.hasPrefix("/") ? "" : "/") + location
    }

    // MARK: - Helpers

    /// Throws for any status but 2xx: `notFound` for 404 (naming what), `io` otherwise.
    private func check(_ response: RegistryTransport.Response, bytes: [UInt8]?, what: String) throws {
        let status = response.status
        guard !(200..<300).contains(status) else { return }
        let detail = RegistryTransport.errorDetail(bytes)
        if status == 404 {
            throw ShrikeError(.notFound, "\(what) not found (HTTP 404\(detail.isEmpty ? "" : "," + detail.dropFirst())); check the repository name and tag", input: name)
        }
        throw ShrikeError(.io, "\(what): HTTP \(status) \(response.head.status.reasonPhrase)\(detail)", input: name)
    }

    /// The `<…>` of a `Link: <url>; rel="next"` header.
    static func nextLink(_ header: String) -> String? {
        for part in header.split(separator: ",") where part.contains("rel=\"next\"") || part.contains("rel=next") {
            guard let open = part.firstIndex(of: "<"), let close = part.firstIndex(of: ">"), open < close else { continue }
            return String(part[part.index(after: open)..<close])
        }
        return nil
    }

    /// The media type a manifest declares in its own `mediaType` field, for registries that do not send one.
    static func sniffMediaType(_ bytes: [UInt8]) -> String {
        struct Probe: Decodable {
            var mediaType: String?
            var manifests: [Descriptor]?
        }
        let probe = try? JSONDecoder().decode(Probe.self, from: Data(bytes))
        if let type = probe?.mediaType { return type }
        return probe?.manifests != nil ? MediaType.ociIndex : MediaType.ociManifest
    }
}

import Foundation
import ShrikeCore

/// Holds an image's metadata files and blobs by name: an OCI layout directory or a tar archive of one.
protocol ImageContainer: AnyObject {
    /// How to name the container in errors.
    var location: String { get }
    /// Opens the member `name` (relative, like `index.json` or `blobs/sha256/<hex>`), nil when absent.
    func open(_ name: String) throws -> (stream: any ByteStream, size: Int64)?
}

extension ImageContainer {
    /// Reads a small metadata member whole, refusing more than `limit` bytes.
    func readSmall(_ name: String, limit: Int) throws -> [UInt8]? {
        guard let (stream, size) = try open(name) else { return nil }
        guard size <= Int64(limit) else {
            throw ShrikeError(.limitExceeded, "\(name) is \(size) bytes, over the \(limit)-byte limit for image metadata", input: location)
        }
        return try stream.readAll(limit: limit, what: "\(location): \(name)")
    }

    /// Reads a blob named by digest and checks its content against the digest (and size, when known).
    func readBlob(_ digest: Digest, size: Int64?, limit: Int, what: String) throws -> [UInt8] {
        try readVerified(Self.blobPath(digest), digest: digest, size: size, limit: limit, what: "\(what) \(digest)")
    }

    /// Reads the member `name` whole (at most `limit` bytes) and checks it hashes to `digest`.
    func readVerified(_ name: String, digest: Digest, size: Int64?, limit: Int, what: String) throws -> [UInt8] {
        guard let (stream, actual) = try open(name) else {
            throw ShrikeError(.notFound, "\(what) is missing from the image", input: location)
        }
        guard actual <= Int64(limit) else {
            throw ShrikeError(.limitExceeded, "\(what) is \(actual) bytes, over the \(limit)-byte limit", input: location)
        }
        let digesting = DigestingStream(stream, expected: digest, expectedSize: size, what: "\(location): \(what)")
        let bytes = try digesting.readAll(limit: limit, what: "\(location): \(what)")
        try digesting.finish()
        return bytes
    }

    static func blobPath(_ digest: Digest) -> String { "blobs/\(digest.algorithm.rawValue)/\(digest.hex)" }
}

/// An image laid out in a directory (OCI image layout).
final class DirectoryContainer: ImageContainer {
    let root: String
    var location: String { root }

    init(root: String) { self.root = root }

    func open(_ name: String) throws -> (stream: any ByteStream, size: Int64)? {
        guard !PathNormalizer.escapesRoot(name), !name.hasPrefix("/"), !name.utf8.contains(0) else {
            throw ShrikeError(.unsafePath, "refers to '\(name)', outside the image layout", input: root)
        }
        let path = root + "/" + name
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw ShrikeError(.malformed, "\(name) is not a regular file", input: root)
        }
        let file = try ReadOnlyFile(path: path)
        return (FileRangeStream(file: file), file.size)
    }
}

/// An image inside an uncompressed tar archive (`docker save` output, OCI archives), read in place.
///
/// Members are indexed once by scanning headers (bodies are skipped by seeking), then opened by offset. Symlinks
/// between members (newer `docker save` links `<id>/layer.tar` to `blobs/sha256/…`) are followed inside the archive.
final class TarContainer: ImageContainer {
    let file: ReadOnlyFile
    private var members: [String: (offset: Int64, size: Int64)] = [:]
    private var links: [String: String] = [:]
    var location: String { file.path }

    init(path: String) throws {
        file = try ReadOnlyFile(path: path)
        let head = try file.read(at: 0, count: Int(min(file.size, 6)))
        let compression = Compression.sniff(head)
        guard compression == .none else {
            throw ShrikeError(.unsupportedFormat,
                              "is a \(compression.rawValue)-compressed archive; decompress it first (e.g. \(compression == .gzip ? "gunzip" : "unzstd") -k FILE) and pass the .tar",
                              input: path)
        }
        let counting = CountingStream(FileRangeStream(file: file))
        let reader = TarReader(counting, what: path, buffered: false)
        while let entry = try reader.next() {
            let name = try PathNormalizer.normalize(entry.name)
            switch entry.kind {
            case .regular:
                members[name] = (counting.position, entry.size)
            case .symlink:
                let target = entry.linkName.hasPrefix("/")
                    ? entry.linkName
                    : PathNormalizer.join(PathNormalizer.parent(of: name), entry.linkName)
                links[name] = try PathNormalizer.normalize(target)
            case .hardlink:
                links[name] = try PathNormalizer.normalize(entry.linkName)
            default:
                continue
            }
        }
    }

    func open(_ name: String) throws -> (stream: any ByteStream, size: Int64)? {
        var path = try PathNormalizer.normalize(name)
        var hops = 0
        while members[path] == nil, let next = links[path] {
            hops += 1
            if hops > 16 { throw ShrikeError(.unsafePath, "symlink loop at \(name) inside the archive", input: file.path) }
            path = next
        }
        guard let member = members[path] else { return nil }
        return (FileRangeStream(file: file, offset: member.offset, length: member.size), member.size)
    }

    func has(_ name: String) -> Bool {
        guard let path = try? PathNormalizer.normalize(name) else { return false }
        return members[path] != nil || links[path] != nil
    }
}

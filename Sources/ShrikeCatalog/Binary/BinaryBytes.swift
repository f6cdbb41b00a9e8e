import ShrikeCore
import ShrikeImage

/// Random access to the bytes of one file, so binary readers fetch only the headers and sections they need.
///
/// Directory sources read ranges straight from disk (`pread`); image sources hand over the kept bytes.
public protocol BinaryBytes {
    /// The file's size in bytes.
    var size: Int64 { get }
    /// Exactly `count` bytes at `offset`; throws `malformed` when the range runs past the end.
    func read(at offset: Int64, count: Int) throws -> [UInt8]
}

/// Bytes already in memory.
public struct InMemoryBytes: BinaryBytes {
    public let bytes: [UInt8]
    public let name: String

    public init(_ bytes: [UInt8], name: String = "binary") {
        self.bytes = bytes
        self.name = name
    }

    public var size: Int64 { Int64(bytes.count) }

    public func read(at offset: Int64, count: Int) throws -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size, Int64(count) <= size - offset else {
            throw ShrikeError(.malformed, "ends early: wanted \(count) bytes at offset \(offset) of \(size)", input: name)
        }
        return Array(bytes[Int(offset)..<Int(offset) + count])
    }
}

/// Bytes read on demand from a file on the local disk.
public struct FileBytes: BinaryBytes {
    let file: ReadOnlyFile

    public init(path: String) throws { file = try ReadOnlyFile(path: path) }

    public var size: Int64 { file.size }

    public func read(at offset: Int64, count: Int) throws -> [UInt8] {
        guard offset >= 0, count >= 0, offset <= size, Int64(count) <= size - offset else {
            throw ShrikeError(.malformed, "ends early: wanted \(count) bytes at offset \(offset) of \(size)", input: file.path)
        }
        return try file.read(at: offset, count: count)
    }
}

enum BinaryFileAccess {
    /// Opens `path` for ranged reads: straight from disk for directory sources (no full read of large binaries),
    /// from the kept bytes otherwise. Nil when the file is gone or its content was not kept.
    static func open(_ fs: any RootFileSystem, path: String) throws -> (any BinaryBytes)? {
        if fs is DirectoryFileSystem {
            guard let local = try fs.localFile(for: path) else { return nil }
            return try? FileBytes(path: local)
        }
        guard let bytes = try fs.contents(of: path) else { return nil }
        return InMemoryBytes(bytes, name: path)
    }

    /// Regular files of the tree whose path passes `filter`, sorted for a stable output.
    static func regularFiles(_ fs: any RootFileSystem, where filter: (FileEntry) -> Bool) -> [FileEntry] {
        fs.tree.entries.values.filter { $0.kind == .regular && filter($0) }.sorted { $0.path < $1.path }
    }
}

import Foundation
import ShrikeCore
import ShrikeImage

/// A `.tar.gz`/`.tgz`/`.tar.zst`/`.tar` of advisory data (the Ubuntu CVE Tracker, a Wolfi advisories checkout, an OSV
/// tree, Red Hat's `csaf_vex_<date>.tar.zst`),
/// unpacked into a private scratch directory so it can be imported like the directory it was made from.
///
/// Only regular files and directories are written; links, devices and names that are absolute or climb with `..`
/// are skipped, so a hostile archive cannot write outside the scratch directory. Bounds: 2 GiB of content and
/// 500,000 entries; past them the import fails naming the archive. The scratch directory is removed by `remove()`.
struct AdvisoryArchive {
    static let maximumBytes: Int64 = 2 << 30
    static let maximumEntries = 500_000

    /// Where the archive was unpacked.
    let directory: String

    static func isArchive(_ path: String) -> Bool {
        let lower = path.lowercased()
        return lower.hasSuffix(".tar.gz") || lower.hasSuffix(".tgz") || lower.hasSuffix(".tar.zst") || lower.hasSuffix(".tar")
    }

    /// Unpacks `path`; throws `malformed` for a corrupt archive, `limitExceeded` past the bounds, `io` when the
    /// scratch directory cannot be written.
    static func unpack(_ path: String) throws -> AdvisoryArchive {
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("shrike-import-\(UUID().uuidString)").path
        do {
            try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw ShrikeError(.io, "cannot create a scratch directory to unpack into: \(error.localizedDescription)", input: scratch)
        }
        let archive = AdvisoryArchive(directory: scratch)
        do {
            try archive.extract(path)
        } catch {
            archive.remove()
            throw error
        }
        return archive
    }

    private func extract(_ path: String) throws {
        let file = try ReadOnlyFile(path: path)
        let raw: any ByteStream = FileRangeStream(file: file)
        let lower = path.lowercased()
        let stream: any ByteStream = if lower.hasSuffix(".tar") {
            raw
        } else if lower.hasSuffix(".tar.zst") {
            try ZstdDecompressStream(raw, what: path)
        } else {
            try GzipInflateStream(raw, what: path)
        }
        let reader = TarReader(stream, what: path)
        var total: Int64 = 0
        var entries = 0
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while let entry = try reader.next() {
            entries += 1
            guard entries <= Self.maximumEntries else {
                throw ShrikeError(.limitExceeded, "holds more than \(Self.maximumEntries) entries; unpack it and import the directory", input: path)
            }
            guard let relative = Self.safeRelativePath(entry.name) else { continue }
            let destination = directory + "/" + relative
            switch entry.kind {
            case .directory:
                try createDirectory(destination)
            case .regular:
                total += entry.size
                guard total <= Self.maximumBytes else {
                    throw ShrikeError(.limitExceeded, "holds more than \(Self.maximumBytes >> 30) GiB; unpack it and import the directory", input: path)
                }
                try createDirectory((destination as NSString).deletingLastPathComponent)
                guard FileManager.default.createFile(atPath: destination, contents: nil,
                                                     attributes: [.posixPermissions: 0o600]),
                      let handle = FileHandle(forWritingAtPath: destination) else {
                    throw ShrikeError(.io, "cannot write the unpacked file", input: destination)
                }
                defer { try? handle.close() }
                while true {
                    let count = try buffer.withUnsafeMutableBytes { try reader.readBody(into: $0) }
                    if count == 0 { break }
                    try handle.write(contentsOf: buffer[0..<count])
                }
            default:
                continue
            }
        }
    }

    private func createDirectory(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ShrikeError(.io, "cannot create a directory while unpacking: \(error.localizedDescription)", input: path)
        }
    }

    /// The entry's name below the scratch directory, or nil when it is empty, absolute after `./` is dropped, or
    /// climbs out with `..`.
    static func safeRelativePath(_ name: String) -> String? {
        var parts: [Substring] = []
        for part in name.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." { return nil }
            parts.append(part)
        }
        guard !parts.isEmpty, !name.hasPrefix("/") else { return nil }
        return parts.joined(separator: "/")
    }

    /// The directory to import: the archive's single top-level directory when it has one and nothing else
    /// (`ubuntu-cve-tracker/active/…`), else the scratch directory itself.
    var importRoot: String {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { !$0.hasPrefix(".") }
        if names.count == 1 {
            var isDirectory: ObjCBool = false
            let only = directory + "/" + names[0]
            if FileManager.default.fileExists(atPath: only, isDirectory: &isDirectory), isDirectory.boolValue { return only }
        }
        return directory
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

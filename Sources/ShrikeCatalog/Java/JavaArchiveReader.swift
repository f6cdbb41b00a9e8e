import Foundation
import ShrikeCore
import ZIPFoundation

/// What one archive (or one archive nested in it) says about itself.
public struct JavaArchiveIdentity: Sendable, Equatable {
    /// Where it is: the file's path, then `:inner/path.jar` for each level of nesting.
    public var location: String
    public var pomProperties: [JavaPomProperties]
    public var manifest: JavaManifest?
}

/// Reads Java archives (zip files) without extracting them: metadata entries and nested archives are decompressed
/// into memory within `JavaArchiveLimits`.
struct JavaArchiveReader {
    static let archiveExtensions: Set<String> = ["jar", "war", "ear", "jpi", "hpi"]

    let limits: JavaArchiveLimits
    /// Bytes still allowed to be decompressed from the current top-level file.
    private var budget: Int64

    init(limits: JavaArchiveLimits) {
        self.limits = limits
        self.budget = limits.maxTotalUncompressed
    }

    static func isArchivePath(_ path: String) -> Bool {
        guard let dot = path.lastIndex(of: ".") else { return false }
        return archiveExtensions.contains(path[path.index(after: dot)...].lowercased())
    }

    /// Every archive in `archive`, itself first, then nested ones depth first. Nested archives that are corrupt or
    /// exceed a limit are skipped; the identities found until then are kept.
    mutating func identities(of archive: Archive, location: String) -> [JavaArchiveIdentity] {
        budget = limits.maxTotalUncompressed
        var result: [JavaArchiveIdentity] = []
        walk(archive, location: location, depth: 0, into: &result)
        return result
    }

    private mutating func walk(_ archive: Archive, location: String, depth: Int, into result: inout [JavaArchiveIdentity]) {
        var poms: [JavaPomProperties] = []
        var manifest: JavaManifest?
        var nested: [Entry] = []
        var count = 0
        for entry in archive {
            count += 1
            if count > limits.maxEntries { break }
            guard entry.type == .file else { continue }
            let path = entry.path
            if path == "META-INF/MANIFEST.MF" {
                if manifest == nil, let bytes = read(entry, from: archive, limit: limits.maxMetadataSize) {
                    manifest = JavaManifest(parsing: String(decoding: bytes, as: UTF8.self))
                }
            } else if JavaPomProperties.isPomPropertiesPath(path) {
                if let bytes = read(entry, from: archive, limit: limits.maxMetadataSize),
                   let pom = JavaPomProperties(parsing: String(decoding: bytes, as: UTF8.self)), !poms.contains(pom) {
                    poms.append(pom)
                }
            } else if depth < limits.maxDepth, Self.isArchivePath(path) {
                nested.append(entry)
            }
        }
        result.append(JavaArchiveIdentity(location: location, pomProperties: poms, manifest: manifest))
        for entry in nested {
            guard budget > 0 else { return }
            guard entry.uncompressedSize <= UInt64(limits.maxNestedSize),
                  let bytes = read(entry, from: archive, limit: limits.maxNestedSize),
                  let inner = try? Archive(data: Data(bytes), accessMode: .read) else { continue }
            walk(inner, location: location + ":" + entry.path, depth: depth + 1, into: &result)
        }
    }

    /// The decompressed entry, or nil when it is corrupt or passes `limit` or the remaining budget (counted on the
    /// bytes actually produced: the sizes in zip headers may lie).
    private mutating func read(_ entry: Entry, from archive: Archive, limit: Int64) -> [UInt8]? {
        let cap = min(limit, budget)
        guard cap > 0, entry.uncompressedSize <= UInt64(cap) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(min(entry.uncompressedSize, 1 << 20)))
        var produced: Int64 = 0
        do {
            _ = try archive.extract(entry, bufferSize: 64 * 1024, skipCRC32: true) { chunk in
                produced += Int64(chunk.count)
                guard produced <= cap else { throw ShrikeError(.limitExceeded, "entry expands past \(cap) bytes") }
                bytes += chunk
            }
        } catch {
            budget -= produced
            return nil
        }
        budget -= produced
        return bytes
    }
}

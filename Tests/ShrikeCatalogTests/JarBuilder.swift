import Foundation
import ZIPFoundation

/// Builds zip archives (jars, wars) in memory for the Java cataloger's tests, with ZIPFoundation.
struct JarBuilder {
    private(set) var entries: [(path: String, bytes: [UInt8], deflate: Bool)] = []

    mutating func add(_ path: String, _ text: String, deflate: Bool = true) { add(path, Array(text.utf8), deflate: deflate) }

    mutating func add(_ path: String, _ bytes: [UInt8], deflate: Bool = true) { entries.append((path, bytes, deflate)) }

    mutating func addPom(group: String, artifact: String, version: String) {
        add("META-INF/maven/\(group)/\(artifact)/pom.properties",
            "#Created by Apache Maven 3.8.6\ngroupId=\(group)\nartifactId=\(artifact)\nversion=\(version)\n")
    }

    func build() throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        for entry in entries {
            let data = Data(entry.bytes)
            try archive.addEntry(with: entry.path, type: .file, uncompressedSize: Int64(data.count),
                                 compressionMethod: entry.deflate ? .deflate : .none) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return Array(archive.data ?? Data())
    }

    /// Rewrites the uncompressed size recorded for `path` (local and central headers) to `size`: a lying header.
    static func lie(about path: String, size: UInt32, in zip: [UInt8]) -> [UInt8] {
        var bytes = zip
        let name = Array(path.utf8)
        func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        var index = 0
        while index + 46 + name.count <= bytes.count {
            if bytes[index] == 0x50, bytes[index + 1] == 0x4b {
                if bytes[index + 2] == 3, bytes[index + 3] == 4, Array(bytes[index + 30..<index + 30 + name.count]) == name {
                    bytes.replaceSubrange(index + 22..<index + 26, with: le32(size))
                } else if bytes[index + 2] == 1, bytes[index + 3] == 2, Array(bytes[index + 46..<index + 46 + name.count]) == name {
                    bytes.replaceSubrange(index + 24..<index + 28, with: le32(size))
                }
            }
            index += 1
        }
        return bytes
    }
}

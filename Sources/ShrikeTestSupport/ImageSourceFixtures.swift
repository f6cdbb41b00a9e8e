import Foundation
import ShrikeImage

/// Shared helpers for tests that write an image in each format and read it back.
public enum ImageSourceFixtures {
    /// The on-disk formats an image can be written in.
    public enum Format: String, CaseIterable, CustomStringConvertible, Sendable {
        case dockerArchiveClassic, dockerArchiveBlobs, ociDirectory, ociArchive
        public var description: String { rawValue }
    }

    /// The real Alpine 3.20.3 minirootfs, uncompressed: a base layer's tar (empty if the fixture is missing).
    public static let alpineTar: [UInt8] = uncompressedAlpine("3.20.3")

    /// A bundled Alpine minirootfs (`3.9.6` or `3.20.3`), uncompressed (empty if the fixture is missing).
    public static func uncompressedAlpine(_ version: String) -> [UInt8] {
        let path = RepositoryFiles.alpineRootfs(version)
        guard let file = try? ReadOnlyFile(path: path),
              let stream = try? GzipInflateStream(FileRangeStream(file: file), what: path),
              let bytes = try? stream.readAll(limit: 64 << 20, what: path)
        else { return [] }
        return bytes
    }

    /// Writes `builder` in `format` under `dir` and returns the target that reads it.
    public static func write(_ builder: ImageFixtureBuilder, as format: Format, in dir: String) throws -> Target {
        switch format {
        case .dockerArchiveClassic:
            try builder.writeDockerArchive(to: dir + "/image.tar", layout: .classic)
            return .dockerArchive(path: dir + "/image.tar", tag: nil)
        case .dockerArchiveBlobs:
            try builder.writeDockerArchive(to: dir + "/image.tar", layout: .ociBlobs)
            return .dockerArchive(path: dir + "/image.tar", tag: nil)
        case .ociDirectory:
            try builder.writeOCILayout(to: dir + "/layout")
            return .ociDirectory(path: dir + "/layout", tag: nil)
        case .ociArchive:
            try builder.writeOCIArchive(to: dir + "/image-oci.tar")
            return .ociArchive(path: dir + "/image-oci.tar", tag: nil)
        }
    }

    /// A new, empty directory under the system's temporary directory; the caller removes it.
    public static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("shrike-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }
}

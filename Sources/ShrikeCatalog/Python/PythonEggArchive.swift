import Foundation
import ShrikeCore
import ShrikeImage
import ZIPFoundation

/// Reads the metadata of a zipped egg (`name-1.0-py3.11.egg`, a zip holding `EGG-INFO/PKG-INFO`), never extracting it.
///
/// Only `EGG-INFO/PKG-INFO` is decompressed, with a cap on the bytes actually produced (zip headers may lie about
/// sizes); a file that is not a zip or has no metadata yields nothing.
enum PythonEggArchive {
    /// Eggs above this size are not opened (real ones are kilobytes to a few megabytes).
    static let maxArchiveSize: Int64 = 256 << 20
    /// Largest PKG-INFO decompressed.
    static let maxMetadataSize = 1 << 20

    static func metadata(of path: String, in fs: any RootFileSystem) -> [UInt8]? {
        guard let archive = BinaryFileAccess.openZip(fs, path: path), let entry = archive["EGG-INFO/PKG-INFO"], entry.type == .file else {
            return nil
        }
        var bytes: [UInt8] = []
        do {
            _ = try archive.extract(entry, bufferSize: 16 * 1024, skipCRC32: false) { chunk in
                guard bytes.count + chunk.count <= maxMetadataSize else {
                    throw ShrikeError(.limitExceeded, "EGG-INFO/PKG-INFO expands past \(maxMetadataSize) bytes",
                                      input: path)
                }
                bytes += chunk
            }
        } catch {
            return nil
        }
        return bytes
    }
}

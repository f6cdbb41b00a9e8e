import Foundation
import ShrikeImage
import ZIPFoundation

extension BinaryFileAccess {
    /// Opens `path` as a zip archive (jars, eggs): in place for directory sources, from the kept bytes otherwise.
    /// Nil when the file is gone, its content was not kept, or it is not a zip.
    static func openZip(_ fs: any RootFileSystem, path: String) -> Archive? {
        if fs is DirectoryFileSystem {
            guard let local = try? fs.localFile(for: path) else { return nil }
            return try? Archive(url: URL(fileURLWithPath: local), accessMode: .read)
        }
        guard let bytes = try? fs.contents(of: path) else { return nil }
        return try? Archive(data: Data(bytes), accessMode: .read)
    }
}

import Foundation
import ShrikeCore

/// A private temporary directory that Shrike may write into while reading one target, removed when released.
///
/// Everything Shrike writes while reading an image (spilled large files) goes here and nowhere else.
public final class ScratchDirectory: Sendable {
    public let path: String

    /// Creates `shrike-XXXXXX` under `parent` (default: `$TMPDIR` or `/tmp`).
    public init(parent: String? = nil) throws {
        let base = parent ?? ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        var template = Array((base + "/shrike-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> String? in
            guard let pointer = buffer.baseAddress, mkdtemp(pointer) != nil else { return nil }
            return String(cString: pointer)
        }
        guard let made else {
            throw ShrikeError(.io, "cannot create a scratch directory: \(String(cString: strerror(errno)))", input: base)
        }
        path = made
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// A path for a new file inside the directory.
    public func file(named name: String) -> String { path + "/" + name }
}

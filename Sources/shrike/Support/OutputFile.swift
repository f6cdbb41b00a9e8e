import Foundation
import ShrikeCore

enum OutputFile {
    /// Writes `bytes` to `path` (atomically), or to standard output when `path` is nil or `-`.
    static func write(_ bytes: [UInt8], to path: String?) throws {
        guard let path, path != "-" else {
            Terminal.write(bytes: bytes)
            return
        }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ShrikeError(.io, "cannot write the output file: \(error.localizedDescription)", input: path)
        }
    }
}

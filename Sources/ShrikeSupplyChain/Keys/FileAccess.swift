import Foundation
import ShrikeCore

/// Small file reads and writes with Shrike's error messages.
enum FileAccess {
    static func read(_ path: String, what: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw ShrikeError(exists ? .io : .notFound, exists ? "cannot read the \(what)" : "\(what) file does not exist", input: path)
        }
        return Array(data)
    }

    static func readText(_ path: String, what: String) throws -> String {
        String(decoding: try read(path, what: what), as: UTF8.self)
    }

    /// Writes atomically (a temporary file renamed into place) with `permissions`.
    static func write(_ bytes: [UInt8], to path: String, permissions: Int? = nil) throws {
        let url = URL(fileURLWithPath: path)
        do {
            try Data(bytes).write(to: url, options: .atomic)
            if let permissions {
                try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: path)
            }
        } catch {
            throw ShrikeError(.io, "cannot write: \(error.localizedDescription)", input: path)
        }
    }
}

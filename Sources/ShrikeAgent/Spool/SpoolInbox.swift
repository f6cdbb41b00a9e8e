#if canImport(Glibc)
import Glibc
#endif
import Foundation
import ShrikeCore

/// A drop folder (`inbox/` in the spool folder) for records from short-lived commands (`shrike sbom|scan --server`)
/// while a watch holds the spool: one file per record, written atomically, moved into the spool by its owner.
///
/// It keeps one sequence space per spool (the server deduplicates on token and seq, so two spools sharing a token
/// would collide).
public struct SpoolInbox: Sendable {
    public let path: String

    public init(directory: String) {
        path = directory + "/inbox"
    }

    /// Leaves `body` for the spool's owner: written to a temporary name, fsynced, renamed.
    /// - Throws: `ShrikeError(.io)` naming the folder.
    public func put(_ kind: SpoolKind, body: [UInt8]) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw ShrikeError(.io, "cannot create the spool's inbox: \(error.localizedDescription)", input: path)
        }
        let stamp = String(UInt64(Date().timeIntervalSince1970 * 1e9))
        let name = "\(stamp)-\(kind.wireName)-\(UUID().uuidString).json"
        let temporary = "\(path)/.\(name).tmp"
        try SpoolFiles.writeDurably(body, to: temporary)
        guard rename(temporary, "\(path)/\(name)") == 0 else {
            throw ShrikeError(.io, "cannot add to the spool's inbox: \(SpoolFiles.errnoText())", input: path)
        }
        SpoolFiles.syncDirectory(path)
    }

    /// Appends every inbox file to `spool`, oldest first, and removes it. Returns a line per file that was dropped.
    public func drain(into spool: Spool) throws -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [] }
        var problems: [String] = []
        for name in names.filter({ !$0.hasPrefix(".") && $0.hasSuffix(".json") }).sorted() {
            let file = "\(path)/\(name)"
            let parts = name.split(separator: "-")
            guard parts.count >= 3, let kind = SpoolKind.allCases.first(where: { $0.wireName == parts[1] }),
                  let data = FileManager.default.contents(atPath: file) else {
                problems.append("\(file): not an inbox record, removed")
                unlink(file)
                continue
            }
            do {
                try spool.append([(kind, Array(data))])
            } catch let error as ShrikeError where error.code == .limitExceeded {
                problems.append("\(file): \(error.message), removed")
            }
            unlink(file)
        }
        return problems
    }
}

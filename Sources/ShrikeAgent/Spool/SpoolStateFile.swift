import Foundation
import ShrikeCore

/// The spool's small persistent state: the acknowledgement watermark, the highest sequence number ever handed out
/// (so a number is never reused once its segment is gone) and the eviction counter.
///
/// Stored as `key value` lines in `state`, replaced atomically (temporary file, fsync, rename, fsync of the folder).
package struct SpoolStateFile: Equatable, Sendable {
    /// Every record with a seq up to this one is acknowledged (or evicted).
    package var acked: UInt64 = 0
    package var highest: UInt64 = 0
    package var evicted: UInt64 = 0

    package init(acked: UInt64 = 0, highest: UInt64 = 0, evicted: UInt64 = 0) {
        self.acked = acked
        self.highest = highest
        self.evicted = evicted
    }

    package static func path(in directory: String) -> String { directory + "/state" }

    /// Reads the state; a missing file is a new spool.
    /// - Throws: `ShrikeError(.malformed)` naming the file when a line cannot be read.
    package static func load(directory: String) throws -> SpoolStateFile {
        let path = path(in: directory)
        guard let data = FileManager.default.contents(atPath: path) else { return SpoolStateFile() }
        var state = SpoolStateFile()
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let value = UInt64(parts[1]) else {
                throw ShrikeError(.malformed, "the spool's state file has an unreadable line '\(line)'; remove the "
                                  + "file to start counting anew (records already sent may be sent again)", input: path)
            }
            switch parts[0] {
            case "acked": state.acked = value
            case "highest": state.highest = value
            case "evicted": state.evicted = value
            default: continue
            }
        }
        return state
    }

    /// Replaces the state file atomically.
    /// - Throws: `ShrikeError(.io)` naming the file.
    package func save(directory: String) throws {
        let path = Self.path(in: directory)
        let temporary = path + ".tmp"
        let text = "acked \(acked)\nhighest \(highest)\nevicted \(evicted)\n"
        try SpoolFiles.writeDurably(Array(text.utf8), to: temporary)
        guard rename(temporary, path) == 0 else {
            throw ShrikeError(.io, "cannot replace the spool's state file: \(SpoolFiles.errnoText())", input: path)
        }
        SpoolFiles.syncDirectory(directory)
    }
}

import Foundation
import ShrikeCore
import ShrikeVulnDB

/// Opens the advisory database at `path` for reading. Throws `notFound` when there is none, so a scan never runs
/// silently against an empty database.
func openAdvisoryStore(path: String) throws -> any AdvisoryStore {
    guard FileManager.default.fileExists(atPath: path) else {
        throw ShrikeError(.notFound, "no advisory database: run `shrike db update` or `shrike db import PATH...` first",
                          input: path)
    }
    return try SQLiteAdvisoryStore(path: path, create: false)
}

/// `$XDG_CACHE_HOME/shrike/db.sqlite`, else `~/.cache/shrike/db.sqlite` (DESIGN.md's conventions).
func defaultAdvisoryDatabasePath() -> String {
    SQLiteAdvisoryStore.defaultPath(environment: ProcessInfo.processInfo.environment)
}

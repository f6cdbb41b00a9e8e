import Foundation
import ShrikeCore
import ShrikeVulnDB

// The one seam between `shrike scan` and the SQLite advisory store: the lead wires `openAdvisoryStore` to
// `SQLiteAdvisoryStore` at merge. Until then every scan stops with "no advisory database".

/// Opens the advisory database at `path` for reading. Throws `notFound` when there is none.
func openAdvisoryStore(path: String) throws -> any AdvisoryStore {
    throw ShrikeError(.notFound, "no advisory database: run `shrike db update` or `shrike db import PATH...` first",
                      input: path)
}

/// `$XDG_CACHE_HOME/shrike/db.sqlite`, else `~/.cache/shrike/db.sqlite` (DESIGN.md's conventions).
func defaultAdvisoryDatabasePath() -> String {
    let environment = ProcessInfo.processInfo.environment
    if let cache = environment["XDG_CACHE_HOME"], !cache.isEmpty { return cache + "/shrike/db.sqlite" }
    let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
    return home + "/.cache/shrike/db.sqlite"
}

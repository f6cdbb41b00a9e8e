import ArgumentParser
import ShrikeVulnDB

/// The `--db` option every `db` and `scan` command shares.
struct DBOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: "The advisory database file (default: $XDG_CACHE_HOME/shrike/db.sqlite).")
    var path: String?

    var resolvedPath: String { path ?? SQLiteAdvisoryStore.defaultPath() }
}

import Foundation
import ShrikeServer
import ShrikeTestSupport
import Testing

/// The two store engines; store tests run once on each.
enum StoreEngine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// A fresh, migrated store of this engine for `body`: a new SQLite file, or a new database in the test process's
    /// throwaway PostgreSQL cluster. Cancels the test, naming why, when PostgreSQL cannot run here.
    func withStore<T>(connections: Int = 4, _ body: (any ServerStore) async throws -> T) async throws -> T {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.path + "/shrike-store-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let store = try SQLiteServerStore(path: directory + "/server.sqlite")
            try await store.migrate()
            return try await body(store)
        case .postgres:
            let store = try PostgresServerStore(url: try Self.postgresDatabase(), connections: connections)
            do {
                try await store.migrate()
                let result = try await body(store)
                await store.close()
                return result
            } catch {
                await store.close()
                throw error
            }
        }
    }

    /// A new database's URL (over the Unix socket) in the shared cluster.
    static func postgresDatabase() throws -> String {
        let cluster = try postgresCluster()
        return cluster.socketURL(database: try cluster.createDatabase())
    }

    /// The test process's PostgreSQL; cancels the test, naming why, when it cannot run here.
    static func postgresCluster() throws -> PostgresCluster {
        switch PostgresCluster.shared {
        case .success(let cluster): return cluster
        case .failure(let unavailable): try Test.cancel("\(unavailable)")
        }
    }
}

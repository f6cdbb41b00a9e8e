import Foundation
import ShrikeCore

/// Where the server keeps its store: `sqlite:PATH` or `postgres://USER@HOST[:PORT]/DB`.
package enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(url: String)

    package init(parsing text: String) throws {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else {
                throw ShrikeError(.usage, "sqlite: needs a path (sqlite:/var/lib/shrike/server.sqlite)", input: text)
            }
            self = .sqlite(path: path)
        } else if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else {
            throw ShrikeError(.usage, "not a database location: use sqlite:PATH or postgres://USER@HOST/DB", input: text)
        }
    }

    /// `/var/lib/shrike/server.sqlite` as root, else under the user's cache directory.
    package static func defaultLocation(environment: [String: String] = ProcessInfo.processInfo.environment) -> DatabaseLocation {
        if getuid() == 0 { return .sqlite(path: "/var/lib/shrike/server.sqlite") }
        let cache = environment["XDG_CACHE_HOME"] ?? ((environment["HOME"] ?? "/tmp") + "/.cache")
        return .sqlite(path: cache + "/shrike/server.sqlite")
    }

    package var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        // Never print a password that the URL may carry.
        case .postgres(let url): url.replacingOccurrences(of: #":[^:@/]*@"#, with: ":***@", options: .regularExpression)
        }
    }

    /// Opens the store and brings its schema up to date.
    package func open() async throws -> any ServerStore {
        let store: any ServerStore
        switch self {
        case .sqlite(let path): store = try SQLiteServerStore(path: path)
        case .postgres(let url): store = try PostgresServerStore(url: url)
        }
        try await store.migrate()
        return store
    }
}

/// Everything `shrike server` is started with.
package struct ServerConfiguration: Sendable {
    package var host = "127.0.0.1"
    package var port = 7443
    package var database = DatabaseLocation.defaultLocation()
    /// The advisory database matched against (what `shrike db import|update --db PATH` writes).
    package var advisoryDatabase: String
    package var tlsCertificate: String?
    package var tlsKey: String?
    /// When set, clients must present a certificate signed by this CA (PEM).
    package var tlsClientCA: String?
    /// Allows plain HTTP on an address other than loopback.
    package var insecureListen = false
    package var retention = Retention.default
    package var limits = ServerLimits()
    /// How often the advisory database is checked for changes (and stored SBOMs re-matched).
    package var rematchInterval: Duration = .seconds(30)
    package var retentionInterval: Duration = .seconds(300)

    package init(advisoryDatabase: String) {
        self.advisoryDatabase = advisoryDatabase
    }

    package var isLoopback: Bool { ["127.0.0.1", "::1", "localhost"].contains(host) || host.hasPrefix("127.") }

    /// Refuses settings that do not fit together, with how to fix them.
    package func validate() throws {
        if (tlsCertificate == nil) != (tlsKey == nil) {
            throw ShrikeError(.usage, "--tls-cert and --tls-key go together", input: tlsCertificate ?? tlsKey)
        }
        if tlsClientCA != nil, tlsCertificate == nil {
            throw ShrikeError(.usage, "--tls-client-ca needs --tls-cert and --tls-key", input: tlsClientCA)
        }
        if tlsCertificate == nil, !isLoopback, !insecureListen {
            throw ShrikeError(.usage, "plain HTTP is served only on loopback: give --tls-cert and --tls-key, or "
                              + "--insecure-listen to accept that tokens cross the network in clear", input: host)
        }
        guard (0...65535).contains(port) else { throw ShrikeError(.usage, "not a port", input: String(port)) }
    }
}

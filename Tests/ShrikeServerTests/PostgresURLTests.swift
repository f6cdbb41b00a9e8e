import Foundation
import ShrikeCore
import ShrikeServer
import ShrikeTestSupport
import Testing

/// `--database postgres://…`: what each form connects to, and errors that name the URL without its password.
@Suite("PostgreSQL URL")
struct PostgresURLTests {
    @Test("the forms a fleet uses", arguments: [
        ("postgres://shrike@db.internal/shrike", "shrike", nil, "shrike", PostgresURL.Endpoint.tcp(host: "db.internal", port: 5432), PostgresURL.TLSMode.prefer),
        ("postgresql://shrike:s3cr%40t@10.0.0.5:6432/fleet?sslmode=require", "shrike", "s3cr@t", "fleet", .tcp(host: "10.0.0.5", port: 6432), .require),
        ("postgres://shrike@[::1]:5433/shrike?sslmode=disable", "shrike", nil, "shrike", .tcp(host: "::1", port: 5433), .disable),
        ("postgres://u@db/x?sslmode=verify-full", "u", nil, "x", .tcp(host: "db", port: 5432), .verifyFull),
        ("postgres://postgres@%2Fvar%2Frun%2Fpostgresql/shrike", "postgres", nil, "shrike", .socket(path: "/var/run/postgresql/.s.PGSQL.5432"), .prefer),
        ("postgres://postgres@%2Ftmp%2Fpg:5999/shrike", "postgres", nil, "shrike", .socket(path: "/tmp/pg/.s.PGSQL.5999"), .prefer),
        ("postgres://postgres@/shrike?host=/var/run/postgresql", "postgres", nil, "shrike", .socket(path: "/var/run/postgresql/.s.PGSQL.5432"), .prefer),
        ("postgres://postgres@localhost/shrike?host=%2Frun%2Fpg&port=5434", "postgres", nil, "shrike", .socket(path: "/run/pg/.s.PGSQL.5434"), .prefer),
    ] as [(String, String, String?, String, PostgresURL.Endpoint, PostgresURL.TLSMode)])
    func parses(_ text: String, user: String, password: String?, database: String, endpoint: PostgresURL.Endpoint,
                tls: PostgresURL.TLSMode) throws {
        let url = try PostgresURL(parsing: text)
        #expect(url.user == user)
        #expect(url.password == password)
        #expect(url.database == database)
        #expect(url.endpoint == endpoint)
        #expect(url.tls == tls)
    }

    @Test("a bad URL is one line naming the URL, its password masked", arguments: [
        ("postgres://shrike:hunter2@db:99999/x", "port"),
        ("postgres://shrike:hunter2@db:5432", "database name"),
        ("postgres://db.internal/shrike", "user"),
        ("postgres://shrike:hunter2@db/x?sslmode=always", "sslmode"),
        ("postgres://shrike:hunter2@db/x?sslmod=require", "unknown parameter sslmod"),
        ("postgres://shrike:hunter2@/x", "host"),
        ("postgres://shrike@%2Fvar%2Frun%2Fpostgresql/x?sslmode=require", "Unix socket"),
        ("postgres://shrike:hunter2@[::1/x", "IPv6"),
    ])
    func refuses(_ text: String, reason: String) throws {
        let error = #expect(throws: ShrikeError.self) { try PostgresURL(parsing: text) }
        let description = error?.description ?? ""
        #expect(error?.code == .usage)
        #expect(description.contains(reason), "\(description)")
        #expect(!description.contains("hunter2"), "\(description)")
        #expect(!description.contains("\n"))
        #expect(description.hasPrefix(text.replacingOccurrences(of: "hunter2", with: "***")), "\(description)")
    }

    @Test("over TCP as well as the Unix socket")
    func tcp() async throws {
        let cluster = try StoreEngine.postgresCluster()
        let store = try PostgresServerStore(url: cluster.tcpURL(database: try cluster.createDatabase()), connections: 2)
        try await store.migrate()
        try await store.createToken(StoredToken(name: "tcp", role: .viewer, hash: "h", createdAt: Date()))
        #expect(try await store.tokens().map(\.name) == ["tcp"])
        await store.close()
    }

    @Test("a server that is down, or a database that is not there, is one error naming the URL, password masked")
    func unreachable() async throws {
        let cluster = try StoreEngine.postgresCluster()
        let cases = [
            // Nothing listens on port 1.
            ("postgres://shrike:hunter2@127.0.0.1:1/shrike?sslmode=disable", "cannot connect"),
            (cluster.socketURL(database: "no_such_database"), "no_such_database"),
        ]
        for (url, reason) in cases {
            let store = try PostgresServerStore(url: url, connections: 1)
            let error = await #expect(throws: ShrikeError.self) { try await store.migrate() }
            let description = error?.description ?? ""
            #expect(description.contains(reason) && !description.contains("hunter2"), "\(description)")
            #expect(description.hasPrefix(url.replacingOccurrences(of: "hunter2", with: "***")), "\(description)")
            await store.close()
        }
    }

    @Test("the store itself refuses a bad URL before connecting")
    func storeRefuses() throws {
        #expect(throws: ShrikeError.self) { try PostgresServerStore(url: "postgres://nobody:pw@db:0/x") }
    }
}

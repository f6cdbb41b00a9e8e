import ArgumentParser
import Foundation
import ShrikeCore
import ShrikeServer
import ShrikeVulnDB

struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Run the fleet server: alerts, incidents and vulnerabilities of every agent in one place.",
        discussion: "docs/server.md explains set-up for one machine (SQLite) and a fleet (PostgreSQL).",
        subcommands: [ServerRunCommand.self, ServerTokenCommand.self, ServerLoginLinkCommand.self, ServerBenchCommand.self],
        defaultSubcommand: ServerRunCommand.self
    )
}

/// The `--database` option of the server and its token commands.
struct ServerDatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database"),
            help: "sqlite:PATH (default sqlite:/var/lib/shrike/server.sqlite as root) or postgres://USER@HOST/DB.")
    var database: String?

    func location() throws -> DatabaseLocation {
        try database.map(DatabaseLocation.init(parsing:)) ?? DatabaseLocation.defaultLocation()
    }
}

struct ServerRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Serve the API (the default).")

    @Option(name: .customLong("listen"), help: "ADDR:PORT to listen on (default 127.0.0.1:7443; port 0 picks one).")
    var listen = "127.0.0.1:7443"

    @OptionGroup var database: ServerDatabaseOptions

    @Option(name: .customLong("db"), help: ArgumentHelp("The advisory database stored SBOMs are matched against "
            + "(default: the one `shrike db` uses); `shrike db import|update --db PATH` fills it."))
    var advisoryDatabase: String?

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain; with --tls-key, serve HTTPS.")
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(name: .customLong("tls-client-ca"), help: "Require client certificates signed by this CA (PEM).")
    var tlsClientCA: String?

    @Flag(name: .customLong("insecure-listen"), help: "Allow plain HTTP on an address other than loopback.")
    var insecureListen = false

    @Option(name: .customLong("max-body-bytes"), help: "The largest request body accepted (default 16 MiB).")
    var maxBodyBytes = 16 << 20

    @Option(name: .customLong("rematch-interval"), help: "Seconds between checks of the advisory database.")
    var rematchInterval = 30

    func run() async throws {
        try await CommandFailure.run {
            var configuration = ServerConfiguration(advisoryDatabase: advisoryDatabase ?? SQLiteAdvisoryStore.defaultPath())
            let (host, port) = try Self.parseListen(listen)
            configuration.host = host
            configuration.port = port
            configuration.database = try database.location()
            configuration.tlsCertificate = tlsCertificate
            configuration.tlsKey = tlsKey
            configuration.tlsClientCA = tlsClientCA
            configuration.insecureListen = insecureListen
            configuration.limits = ServerLimits(maxBodyBytes: max(1024, maxBodyBytes))
            configuration.rematchInterval = .seconds(max(1, rematchInterval))
            try configuration.validate()
            let store = try await configuration.database.open()
            let server = FleetServer(configuration: configuration, store: store)
            try await server.run(log: { line in Terminal.write("shrike: server: \(line)\n", to: 2) })
        }
    }

    /// `HOST:PORT`, `[V6]:PORT` or `:PORT` (loopback).
    static func parseListen(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (0...65535).contains(port) else {
            throw ShrikeError(.usage, "--listen takes ADDR:PORT (127.0.0.1:7443, [::1]:7443, 0.0.0.0:7443)", input: text)
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }
}

struct ServerTokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create, list and revoke the server's API tokens.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token; it is printed once, alone on the last line of standard output.")

        @Option(name: .customLong("name"), help: "A name (letters, digits, . _ -); an agent token's name is its agent id.")
        var name: String

        @Option(name: .customLong("role"), help: "agent (may only ingest), viewer (may only read) or admin.")
        var role: String

        @OptionGroup var database: ServerDatabaseOptions

        func run() async throws {
            try await CommandFailure.run {
                guard TokenSecret.isValidName(name) else {
                    throw ShrikeError(.usage, "a token name is 1 to 64 letters, digits, '.', '_' or '-'", input: name)
                }
                guard let role = TokenRole(rawValue: role) else {
                    throw ShrikeError(.usage, "--role is one of agent, viewer, admin", input: role)
                }
                let store = try await database.location().open()
                let secret = TokenSecret.generate()
                try await store.createToken(StoredToken(name: name, role: role, hash: TokenSecret.hash(secret),
                                                        createdAt: Date()))
                Terminal.write("shrike: token \(name) (\(role.rawValue)) created; it is shown once, keep it now\n", to: 2)
                Terminal.write(secret + "\n")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tokens (never their secrets).")

        @OptionGroup var database: ServerDatabaseOptions

        @Option(name: [.customShort("o"), .customLong("output")], help: "table or json.")
        var output = "table"

        func run() async throws {
            try await CommandFailure.run {
                guard ["table", "json"].contains(output) else {
                    throw ShrikeError(.usage, "-o is table or json", input: output)
                }
                let tokens = try await database.location().open().tokens()
                let format = Date.ISO8601FormatStyle()
                if output == "json" {
                    let list: [[String: Any]] = tokens.map { token in
                        ["name": token.name, "role": token.role.rawValue, "createdAt": token.createdAt.formatted(format),
                         "revokedAt": token.revokedAt.map { $0.formatted(format) } ?? NSNull()]
                    }
                    let data = try JSONSerialization.data(withJSONObject: list, options: [.prettyPrinted, .sortedKeys])
                    Terminal.write(String(decoding: data, as: UTF8.self) + "\n")
                    return
                }
                var out = "NAME  ROLE  CREATED  REVOKED\n"
                for token in tokens {
                    out += "\(token.name)  \(token.role.rawValue)  \(token.createdAt.formatted(format))  "
                        + (token.revokedAt.map { $0.formatted(format) } ?? "-") + "\n"
                }
                Terminal.write(out)
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token: it stops working at once.")

        @Argument(help: "The token's name.")
        var name: String

        @OptionGroup var database: ServerDatabaseOptions

        func run() async throws {
            try await CommandFailure.run {
                guard try await database.location().open().revokeToken(name: name, at: Date()) else {
                    throw ShrikeError(.notFound, "no unrevoked token has this name (see `shrike server token list`)",
                                      input: name)
                }
                Terminal.write("shrike: token \(name) revoked\n", to: 2)
            }
        }
    }
}

import Foundation
import NIOSSL
import PostgresNIO
import ShrikeCore

/// A `postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=…&host=…]` location, parsed.
///
/// The host is a name, an IPv4 address, `[IPv6]`, or a Unix-socket directory (percent-encoded,
/// `%2Fvar%2Frun%2Fpostgresql`, or given as `?host=/var/run/postgresql`); a socket connects to `DIR/.s.PGSQL.PORT` as
/// libpq does. `sslmode` is `disable`, `prefer` (the default: TLS when the server offers it), `require` (TLS, the
/// certificate not checked, as libpq) or `verify-full` (TLS, the certificate checked against the system's roots and
/// the host name). Every error is a `ShrikeError` naming the URL with its password masked.
package struct PostgresURL: Sendable, Equatable {
    package enum Endpoint: Sendable, Equatable {
        case tcp(host: String, port: Int)
        /// The socket file itself (`DIR/.s.PGSQL.PORT`).
        case socket(path: String)
    }

    package enum TLSMode: String, Sendable, Equatable, CaseIterable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    package var user: String
    package var password: String?
    package var database: String
    package var endpoint: Endpoint
    package var tls: TLSMode

    package init(parsing text: String) throws {
        let masked = DatabaseLocation.postgres(url: text).description
        func fail(_ message: String) -> ShrikeError {
            ShrikeError(.usage, "\(message) (postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?sslmode=disable|require])",
                        input: masked)
        }
        guard let scheme = ["postgres://", "postgresql://"].first(where: text.hasPrefix) else {
            throw fail("not a PostgreSQL URL")
        }
        var rest = Substring(text.dropFirst(scheme.count))
        var parameters: [String: String] = [:]
        if let question = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: question)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, let key = parts[0].removingPercentEncoding,
                      let value = parts[1].removingPercentEncoding else {
                    throw fail("the parameter \(pair) is not KEY=VALUE")
                }
                guard ["sslmode", "host", "port"].contains(key) else {
                    throw fail("unknown parameter \(key) (known: sslmode, host, port)")
                }
                parameters[key] = value
            }
            rest = rest[..<question]
        }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        guard slash < rest.endIndex, let database = rest[rest.index(after: slash)...].removingPercentEncoding,
              !database.isEmpty, !database.contains("/") else {
            throw fail("the URL needs a database name after the host")
        }
        guard let at = authority.lastIndex(of: "@") else { throw fail("the URL needs a user (USER@HOST)") }
        let userInfo = authority[..<at]
        let colon = userInfo.firstIndex(of: ":")
        guard let user = userInfo[..<(colon ?? userInfo.endIndex)].removingPercentEncoding, !user.isEmpty else {
            throw fail("the URL needs a user (USER@HOST)")
        }
        let password = colon.flatMap { userInfo[userInfo.index(after: $0)...].removingPercentEncoding }

        var host = "", portText: Substring?
        let hostPort = authority[authority.index(after: at)...]
        if hostPort.hasPrefix("[") {
            guard let close = hostPort.firstIndex(of: "]") else { throw fail("an IPv6 host needs its closing ]") }
            host = String(hostPort[hostPort.index(after: hostPort.startIndex)..<close])
            let after = hostPort[hostPort.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw fail("unexpected text after the IPv6 host") }
                portText = after.dropFirst()
            }
        } else if let portColon = hostPort.lastIndex(of: ":") {
            host = String(hostPort[..<portColon])
            portText = hostPort[hostPort.index(after: portColon)...]
        } else {
            host = String(hostPort)
        }
        guard let decodedHost = host.removingPercentEncoding else { throw fail("the host is not percent-encoded right") }
        host = parameters["host"] ?? decodedHost
        if let text = parameters["port"] { portText = Substring(text) }
        var port = 5432
        if let portText {
            guard let number = Int(portText), (1...65535).contains(number) else {
                throw fail("the port \(portText) is not a number from 1 to 65535")
            }
            port = number
        }
        let mode = parameters["sslmode"] ?? "prefer"
        guard let tls = TLSMode(rawValue: mode) else {
            throw fail("sslmode \(mode) is not one of " + TLSMode.allCases.map(\.rawValue).joined(separator: ", "))
        }
        if host.hasPrefix("/") {
            guard tls != .require, tls != .verifyFull else { throw fail("a Unix socket does not use TLS: drop sslmode") }
            let socket = host.contains("/.s.PGSQL.") ? host : (host.hasSuffix("/") ? host : host + "/") + ".s.PGSQL.\(port)"
            endpoint = .socket(path: socket)
        } else {
            guard !host.isEmpty else { throw fail("the URL needs a host (or ?host=/var/run/postgresql)") }
            endpoint = .tcp(host: host, port: port)
        }
        self.user = user
        self.password = password
        self.database = database
        self.tls = tls
    }

    /// The client's configuration: at most `connections` connections, each with `connectTimeout`.
    package func configuration(connections: Int = 8) -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        switch endpoint {
        case .socket(let path):
            configuration = .init(unixSocketPath: path, username: user, password: password, database: database)
        case .tcp(let host, let port):
            let client = tlsConfiguration
            let mode: PostgresClient.Configuration.TLS = switch tls {
            case .disable: .disable
            case .prefer: .prefer(client)
            case .require, .verifyFull: .require(client)
            }
            configuration = .init(host: host, port: port, username: user, password: password, database: database,
                                  tls: mode)
        }
        configuration.options.maximumConnections = connections
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    /// One connection's configuration, for the store's first connection (whose error says what is wrong, where the
    /// pool would only retry).
    package func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        switch endpoint {
        case .socket(let path):
            configuration = .init(unixSocketPath: path, username: user, password: password, database: database)
        case .tcp(let host, let port):
            let mode: PostgresConnection.Configuration.TLS = switch tls {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: tlsConfiguration))
            case .require, .verifyFull: .require(try NIOSSLContext(configuration: tlsConfiguration))
            }
            configuration = .init(host: host, port: port, username: user, password: password, database: database,
                                  tls: mode)
        }
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    /// libpq's meaning: only verify-full checks the certificate.
    private var tlsConfiguration: TLSConfiguration {
        var client = TLSConfiguration.makeClientConfiguration()
        if tls != .verifyFull { client.certificateVerification = .none }
        return client
    }
}

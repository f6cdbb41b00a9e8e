import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import ShrikeCore

/// The process-wide HTTP client of registry requests. It lives as long as the process (never shut down), so
/// clients can be created and dropped freely; redirects are followed by hand (credentials must not follow a blob
/// redirect to a storage host). TLS settings are per request.
let registryHTTPClient: HTTPClient = {
    var configuration = HTTPClient.Configuration()
    configuration.timeout = .init(connect: .seconds(15), read: .seconds(120))
    configuration.redirectConfiguration = .disallow
    configuration.httpVersion = .http1Only
    // A command line tool should say "cannot connect" at once, not retry with backoff until the connect timeout.
    configuration.connectionPool.retryConnectionEstablishment = false
    return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
}()

/// Sends authenticated requests to one registry host: picks http or https, answers `WWW-Authenticate` challenges
/// (basic, or a bearer token fetched from the realm and cached per scope) and follows redirects.
final class RegistryTransport: @unchecked Sendable {
    // @unchecked: `tokens` and `basicChallenged` are guarded by `lock`; everything else is immutable.
    let host: String
    let baseURL: String
    private let credentials: RegistryCredentials?
    private let tls: TLSConfiguration?
    private let lock = NSLock()
    private var tokens: [String: String] = [:]
    private var basicChallenged = false
    private(set) var roundTrips = 0

    init(host: String, options: RegistryOptions) throws {
        self.host = host
        if options.insecure {
            guard ImageReference.isLoopback(host: host) else {
                throw ShrikeError(.usage, "--insecure (plain HTTP) is only allowed for loopback registries (localhost, 127.0.0.1, ::1); use HTTPS with --ca-file for a private CA",
                                  input: host)
            }
            baseURL = "http://\(host)"
        } else {
            baseURL = "https://\(host)"
        }
        credentials = try RegistryCredentials.resolve(for: host, explicit: options.credentials)
        if let caFile = options.caFile {
            let certificates: [NIOSSLCertificate]
            do {
                certificates = try NIOSSLCertificate.fromPEMFile(caFile)
            } catch {
                throw ShrikeError(.badTarget, "cannot read CA certificates from it (want PEM): \(HTTPResponseStream.describe(error))", input: caFile)
            }
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.trustRoots = .certificates(certificates)
            tls = configuration
        } else {
            tls = nil
        }
    }

    var roundTripCount: Int { lock.withLock { roundTrips } }

    struct Response {
        var head: HTTPResponseHead
        var body: HTTPResponseStream
        var status: UInt { head.status.code }
        func header(_ name: String) -> String? { head.headers.first(name: name) }
    }

    /// Sends one request (answering an auth challenge once, following up to 5 redirects) and returns once the
    /// response head arrives; the body streams from `Response.body`.
    ///
    /// `body` is a closure so a request can be sent again after a challenge. `scope` is the token scope to ask for
    /// (`repository:NAME:pull`).
    func send(_ method: HTTPMethod, _ pathOrURL: String, headers: [(String, String)] = [], scope: String,
              body: (() -> HTTPClient.Body)? = nil) throws -> Response {
        var url = pathOrURL.hasPrefix("http") ? pathOrURL : baseURL + pathOrURL
        var authorize = true
        var challenged = false
        for _ in 0..<8 {
            var requestHeaders = HTTPHeaders(headers.map { ($0.0, $0.1) })
            requestHeaders.replaceOrAdd(name: "User-Agent", value: "shrike")
            if authorize, let authorization = authorization(scope: scope) {
                requestHeaders.replaceOrAdd(name: "Authorization", value: authorization)
            }
            let response = try execute(method, url: url, headers: requestHeaders, body: body?())
            switch response.status {
            case 401 where authorize && !challenged:
                challenged = true
                _ = try? response.body.readBody(limit: 64 << 10)  // lets the connection be reused
                guard let header = response.header("WWW-Authenticate"), let challenge = AuthChallenge(header: header) else {
                    throw ShrikeError(.io, "the registry asks for authentication (HTTP 401) without a usable WWW-Authenticate challenge", input: host)
                }
                try answer(challenge, scope: scope)
                continue
            case 401, 403:
                let detail = Self.errorDetail(try? response.body.readBody(limit: 64 << 10))
                throw ShrikeError(.io, credentials == nil
                                  ? "access denied (HTTP \(response.status))\(detail); log in with --username/--password, SHRIKE_REGISTRY_USERNAME/PASSWORD or ~/.docker/config.json"
                                  : "access denied (HTTP \(response.status))\(detail): check the user name and password (or token) for \(host)",
                                  input: host)
            case 301, 302, 303, 307, 308:
                guard let location = response.header("Location"),
                      let next = URL(string: location, relativeTo: URL(string: url))?.absoluteURL else {
                    throw ShrikeError(.io, "HTTP \(response.status) without a usable Location header", input: url)
                }
                _ = try? response.body.readBody(limit: 64 << 10)
                // Credentials stay with the registry; a redirect to storage (S3, a CDN) carries its own signature.
                if next.host != URL(string: url)?.host { authorize = false }
                url = next.absoluteString
                continue
            default:
                return response
            }
        }
        throw ShrikeError(.io, "too many redirects or authentication rounds", input: url)
    }

    private func execute(_ method: HTTPMethod, url: String, headers: HTTPHeaders, body: HTTPClient.Body?) throws -> Response {
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(url: url, method: method, headers: headers, body: body, tlsConfiguration: tls)
        } catch {
            throw ShrikeError(.badTarget, "is not a usable URL: \(HTTPResponseStream.describe(error))", input: url)
        }
        lock.withLock { roundTrips += 1 }
        let stream = HTTPResponseStream(url: url)
        let task = registryHTTPClient.execute(request: request, delegate: stream)
        stream.attach(task)
        let head: HTTPResponseHead
        do {
            head = try stream.waitForHead()
        } catch let error as ShrikeError {
            throw ShrikeError(.io, Self.explainConnectionFailure(error.message, https: url.hasPrefix("https:"), host: host), input: url)
        }
        return Response(head: head, body: stream)
    }

    /// Turns SwiftNIO/BoringSSL error text into one line a user can act on.
    static func explainConnectionFailure(_ message: String, https: Bool, host: String) -> String {
        let plainHint = https && ImageReference.isLoopback(host: host) ? " (for a plain-HTTP local registry add --insecure)" : ""
        if message.contains("CERTIFICATE_VERIFY_FAILED") || message.contains("certificate verify failed") {
            return "cannot connect: the registry's TLS certificate is not trusted; for a private CA pass --ca-file CA.pem"
        }
        if message.contains("WRONG_VERSION_NUMBER") || message.contains("handshakeFailed") {
            return "cannot connect: the TLS handshake failed (the server may not speak HTTPS)\(plainHint)"
        }
        if message.contains("Connection refused") {
            return "cannot connect: connection refused; is the registry running, and is the host (\(host)) right?\(plainHint)"
        }
        return "\(message); is the registry running, and is the host (\(host)) right?\(plainHint)"
    }

    private func authorization(scope: String) -> String? {
        lock.withLock {
            if let token = tokens[scope] { return "Bearer \(token)" }
            if basicChallenged, let credentials { return credentials.basicHeader }
            return nil
        }
    }

    private func answer(_ challenge: AuthChallenge, scope: String) throws {
        switch challenge.scheme.lowercased() {
        case "basic":
            guard credentials != nil else {
                throw ShrikeError(.io, "the registry wants a user name and password; pass --username/--password, set SHRIKE_REGISTRY_USERNAME/PASSWORD or log in (~/.docker/config.json)", input: host)
            }
            lock.withLock { basicChallenged = true }
        case "bearer":
            let token = try fetchToken(challenge, scope: scope)
            lock.withLock { tokens[scope] = token }
        default:
            throw ShrikeError(.unsupportedFormat, "the registry asks for '\(challenge.scheme)' authentication, which Shrike does not speak (basic and bearer are supported)", input: host)
        }
    }

    /// The bearer-token flow: GET realm?service=…&scope=… (with basic credentials when known).
    private func fetchToken(_ challenge: AuthChallenge, scope: String) throws -> String {
        guard let realm = challenge.parameters["realm"], var components = URLComponents(string: realm) else {
            throw ShrikeError(.io, "the registry's bearer challenge names no token realm", input: host)
        }
        guard components.scheme == "https" || (components.scheme == "http" && ImageReference.isLoopback(host: components.host ?? "")) else {
            throw ShrikeError(.io, "refusing to fetch a token over plain HTTP from a non-loopback realm", input: realm)
        }
        var items = components.queryItems ?? []
        if let service = challenge.parameters["service"] { items.append(URLQueryItem(name: "service", value: service)) }
        for part in scope.split(separator: " ") { items.append(URLQueryItem(name: "scope", value: String(part))) }
        components.queryItems = items
        guard let url = components.url?.absoluteString else {
            throw ShrikeError(.io, "the token realm is not a usable URL", input: realm)
        }
        var headers = HTTPHeaders([("User-Agent", "shrike")])
        if let credentials { headers.add(name: "Authorization", value: credentials.basicHeader) }
        let response = try execute(.GET, url: url, headers: headers, body: nil)
        let bytes = try response.body.readBody(limit: 1 << 20)
        guard response.status == 200 else {
            throw ShrikeError(.io, "the token service refused (HTTP \(response.status))\(Self.errorDetail(bytes))\(credentials == nil ? "; log in with --username/--password" : ": check the user name and password")",
                              input: realm)
        }
        struct TokenResponse: Decodable {
            var token: String?
            var access_token: String?
        }
        guard let decoded = try? JSONDecoder().decode(TokenResponse.self, from: Data(bytes)),
              let token = decoded.token ?? decoded.access_token, !token.isEmpty else {
            throw ShrikeError(.malformed, "the token service answered without a token", input: realm)
        }
        return token
    }

    /// `: CODE message` from a distribution error body (`{"errors":[{"code":…,"message":…}]}`), or "".
    static func errorDetail(_ bytes: [UInt8]?) -> String {
        struct Body: Decodable {
            struct Entry: Decodable {
                var code: String?
                var message: String?
            }
            var errors: [Entry]?
        }
        guard let bytes, let body = try? JSONDecoder().decode(Body.self, from: Data(bytes)),
              let first = body.errors?.first else { return "" }
        return ": " + [first.code, first.message].compactMap { $0 }.joined(separator: " ")
    }
}

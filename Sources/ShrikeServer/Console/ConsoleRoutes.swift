import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ShrikeCore

/// The web console's routes: sign-in and sign-out here, the pages in the `ConsoleRoutes+…` files. Every route is
/// behind `ConsoleMiddleware` (sessions, CSRF, roles, security headers).
struct ConsoleRoutes: Sendable {
    let store: any ServerStore
    let feed: ConsoleAlertFeed
    let renderer: ConsoleRenderer
    /// The server speaks TLS: the cookie is `Secure`.
    let secure: Bool

    /// How long a sign-in lasts.
    static let sessionLifetime = 12 * 3600

    func register(on router: Router<ServerContext>) {
        router.get("/login") { _, context in
            if context.session != nil { return ConsoleRenderer.redirect("/") }
            return renderer.page("login", [:], session: nil)
        }
        router.post("/login") { request, context in try await signIn(request, context) }
        router.get("/login/once") { request, _ in try await signInOnce(request) }
        router.post("/logout") { _, context in
            if let session = context.session { try await store.deleteSession(hash: session.hash) }
            return ConsoleRenderer.redirect("/login", cookie: ConsoleCookie.clear(secure: secure))
        }
        router.get("/console/assets/:name") { _, context in try asset(context) }
        router.get("/") { request, context in try await feedPage(request, context) }
        router.get("/console/events/stream") { request, _ in try await stream(request) }
        router.get("/incidents") { request, context in try await incidentsPage(request, context) }
        router.get("/incidents/compare") { request, context in try await comparePage(request, context) }
        router.get("/incidents/:id") { request, context in try await incidentPage(request, context) }
        router.get("/incidents/:id/json") { _, context in try await incidentJSON(context) }
        router.get("/images") { request, context in try await imagesPage(request, context) }
        router.get("/images/:digest") { _, context in try await imagePage(context) }
        router.get("/vulnerabilities") { request, context in try await vulnerabilitiesPage(request, context) }
        router.get("/hosts") { _, context in try await hostsPage(context) }
        router.get("/tokens") { _, context in try await tokensPage(context) }
        router.post("/tokens/revoke") { request, context in try await revokeToken(request) }
    }

    // MARK: Sign-in

    /// A user token (viewer or admin) for a session; an agent's token, a revoked or unknown one is refused alike.
    func signIn(_ request: Request, _ context: ServerContext) async throws -> Response {
        var request = request
        let form = ConsoleForm(String(buffer: try await request.collectBody(upTo: 16 << 10)))
        let secret = form.text("token") ?? ""
        guard secret.hasPrefix(TokenSecret.prefix), secret.utf8.count <= 128,
              let token = try await store.token(hash: TokenSecret.hash(secret)), token.revokedAt == nil,
              token.role == .viewer || token.role == .admin else {
            return renderer.page("login", ["error": "That is not a valid viewer or admin token (create one with "
                                           + "`shrike server token create --role viewer`)."],
                                 session: nil, status: .unauthorized)
        }
        return try await startSession(name: token.name, role: token.role, tokenHash: token.hash)
    }

    /// A login link's code, once.
    func signInOnce(_ request: Request) async throws -> Response {
        let code = ConsoleForm(request.uri.query ?? "").text("code") ?? ""
        guard ConsoleSecret.isWellFormed(code),
              let link = try await store.consumeLoginLink(hash: TokenSecret.hash(code), now: Date()) else {
            return renderer.page("login", ["error": "That sign-in link is used, expired or wrong; print a new one "
                                           + "with `shrike server login-link`."],
                                 session: nil, status: .unauthorized)
        }
        return try await startSession(name: link.name, role: link.role, tokenHash: nil)
    }

    private func startSession(name: String, role: TokenRole, tokenHash: String?) async throws -> Response {
        let cookie = ConsoleSecret.generate(), now = Date()
        try await store.createSession(StoredSession(
            hash: TokenSecret.hash(cookie), name: name, role: role, tokenHash: tokenHash, csrf: ConsoleSecret.generate(),
            createdAt: now, expiresAt: now.addingTimeInterval(TimeInterval(Self.sessionLifetime))))
        return ConsoleRenderer.redirect("/", cookie: ConsoleCookie.set(cookie, lifetime: Self.sessionLifetime,
                                                                       secure: secure))
    }

    // MARK: Assets

    func asset(_ context: ServerContext) throws -> Response {
        guard let name = context.parameters.get("name"), let asset = ConsoleAssets.files[name] else {
            throw APIError.notFound
        }
        let type = name.hasSuffix(".css") ? "text/css; charset=utf-8"
            : name.hasSuffix(".svg") ? "image/svg+xml" : "text/javascript; charset=utf-8"
        return Response(status: .ok, headers: [.contentType: type, .cacheControl: "public, max-age=300"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: asset)))
    }

    // MARK: Tokens (the admin's one change)

    func tokensPage(_ context: ServerContext) async throws -> Response {
        let tokens: [[String: Any]] = try await store.tokens().map { token in
            ["name": ConsoleText.display(token.name), "role": token.role.rawValue,
             "created": ConsoleText.time(nanoseconds: Int64(token.createdAt.timeIntervalSince1970) * 1_000_000_000),
             "revoked": token.revokedAt != nil]
        }
        return renderer.page("tokens", ["tokens": tokens, "nav": ["tokens": true]], session: context.session)
    }

    func revokeToken(_ request: Request) async throws -> Response {
        var request = request
        let form = ConsoleForm(String(buffer: try await request.collectBody(upTo: 64 << 10)))
        guard let name = form.text("name"), TokenSecret.isValidName(name) else {
            throw APIError.badParameter("name", "not a token name")
        }
        _ = try await store.revokeToken(name: name, at: Date())
        return ConsoleRenderer.redirect("/tokens")
    }
}

import Foundation
import Hummingbird

/// Every API path (`/api/…`, `/metrics`) needs `Authorization: Bearer TOKEN` of an unrevoked token; the token's role
/// is checked by each route. A wrong, revoked or missing token gets the same 401, so an answer says nothing about
/// which. The console's pages are the `ConsoleMiddleware`'s: a session cookie never authorizes an API call.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let store: any ServerStore
    let metrics: ServerMetrics

    func handle(_ request: Request, context: ServerContext,
                next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if path == "/healthz" || !Self.isAPI(path) { return try await next(request, context) }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
              case let secret = header.dropFirst(7).trimmingCharacters(in: .whitespaces),
              secret.hasPrefix(TokenSecret.prefix), secret.utf8.count <= 128 else {
            metrics.authFailure()
            throw APIError.unauthorized
        }
        guard let token = try await store.token(hash: TokenSecret.hash(secret)), token.revokedAt == nil else {
            metrics.authFailure()
            throw APIError.unauthorized
        }
        var context = context
        context.token = token
        return try await next(request, context)
    }

    /// The paths of the bearer-token API (everything else is the console's).
    static func isAPI(_ path: String) -> Bool {
        path == "/api" || path.hasPrefix("/api/") || path == "/metrics" || path == "/healthz"
    }
}

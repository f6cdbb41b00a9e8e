import Foundation
import Hummingbird

/// Every path but `/healthz` needs `Authorization: Bearer TOKEN` of an unrevoked token; the token's role is checked
/// by each route. A wrong, revoked or missing token gets the same 401, so an answer says nothing about which.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let store: any ServerStore
    let metrics: ServerMetrics

    func handle(_ request: Request, context: ServerContext,
                next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        if request.uri.path == "/healthz" { return try await next(request, context) }
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
}

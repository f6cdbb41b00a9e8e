import Foundation
import HTTPTypes
import Hummingbird

/// The console's gate, in front of every path that is not the API's (`/api/…`, `/metrics`, `/healthz`):
/// - finds the session of the request's cookie;
/// - sends a page that needs one, without one, to `/login` (303);
/// - refuses a state-changing request (POST) without the session's CSRF token, from another origin, or (but for
///   signing out) from a session whose role may not change anything: 403;
/// - puts the security headers on every answer, errors included, and shows errors as pages.
struct ConsoleMiddleware: RouterMiddleware {
    typealias Context = ServerContext
    let store: any ServerStore
    let renderer: ConsoleRenderer

    /// Paths served without a session: the sign-in pages and the static assets.
    static func isPublic(_ path: String) -> Bool {
        path == "/login" || path == "/login/once" || path.hasPrefix("/console/assets/")
    }

    /// The strict policy of every console answer: nothing but this server's own scripts, styles and images.
    static let contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        + "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    static func secure(_ headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        for (name, value) in [("Referrer-Policy", "no-referrer"), ("X-Frame-Options", "DENY")] {
            if let name = HTTPField.Name(name) { headers[name] = value }
        }
        if headers[.cacheControl] == nil { headers[.cacheControl] = "no-store" }
    }

    func handle(_ request: Request, context: ServerContext,
                next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if AuthMiddleware.isAPI(path) { return try await next(request, context) }
        var response: Response
        do {
            response = try await gate(request, context: context, next: next)
        } catch let error as APIError {
            response = renderer.error(error.status, error.field.map { "\($0): \(error.message)" } ?? error.message)
            for header in error.headers { response.headers.append(header) }
        } catch let error as HTTPError {
            response = renderer.error(error.status, error.body ?? error.status.reasonPhrase)
        } catch {
            response = renderer.error(.internalServerError, "the console failed: \(error)")
        }
        Self.secure(&response.headers)
        return response
    }

    private func gate(_ request: Request, context: ServerContext,
                      next: (Request, ServerContext) async throws -> Response) async throws -> Response {
        var context = context, request = request
        let path = request.uri.path
        if let cookie = ConsoleCookie.value(in: request) {
            context.session = try await store.session(hash: TokenSecret.hash(cookie), now: Date())
        }
        let changesState = request.method != .get && request.method != .head
        if changesState, Self.isCrossSite(request) {
            throw APIError(.forbidden, "cross-origin", "a form from another site may not change anything here")
        }
        if Self.isPublic(path) { return try await next(request, context) }
        guard let session = context.session else {
            return Response(status: .seeOther, headers: [.location: "/login"])
        }
        if changesState {
            let body = try await request.collectBody(upTo: 64 << 10)
            let header = HTTPField.Name("X-CSRF-Token").flatMap { request.headers[$0] }
            let sent = ConsoleForm(String(buffer: body))["csrf"] ?? header ?? ""
            guard ConsoleSecret.constantTimeEqual(sent, session.csrf) else {
                throw APIError(.forbidden, "csrf", "the form's CSRF token is missing or wrong; reload the page")
            }
            if path != "/logout", session.role != .admin {
                throw APIError.forbidden(session.role, "change anything")
            }
        }
        return try await next(request, context)
    }

    /// A request a browser says came from another site: `Sec-Fetch-Site` other than same-origin or none, or an
    /// `Origin` naming another host. `Origin: null` (what browsers send under `Referrer-Policy: no-referrer`) and
    /// no header at all pass: the CSRF token and SameSite=Strict are the defence, this is one more.
    static func isCrossSite(_ request: Request) -> Bool {
        if let site = HTTPField.Name("Sec-Fetch-Site").flatMap({ request.headers[$0] }),
           site != "same-origin", site != "none" {
            return true
        }
        guard let origin = request.headers[.origin], origin != "null" else { return false }
        guard let host = request.head.authority, let range = origin.range(of: "://") else { return true }
        return origin[range.upperBound...] != host[...]
    }
}

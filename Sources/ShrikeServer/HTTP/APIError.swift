import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An error answer: `{"error": {"code": "…", "message": "…", "field": "…"}}` with its status. Messages name what
/// was wrong and never echo a secret.
package struct APIError: HTTPResponseError, Sendable {
    package var status: HTTPResponse.Status
    package var code: String
    package var message: String
    package var field: String?
    package var headers: HTTPFields = [:]

    package init(_ status: HTTPResponse.Status, _ code: String, _ message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        var error: [String: Any] = ["code": code, "message": message]
        if let field { error["field"] = field }
        var response = JSONResponse.object(["error": error], status: status)
        for header in headers { response.headers.append(header) }
        return response
    }

    static let unauthorized: APIError = {
        var error = APIError(.unauthorized, "unauthorized", "a valid bearer token is required "
                             + "(Authorization: Bearer TOKEN; create one with `shrike server token create`)")
        error.headers[.wwwAuthenticate] = "Bearer"
        return error
    }()

    static func forbidden(_ role: TokenRole, _ action: String) -> APIError {
        APIError(.forbidden, "forbidden", "a token with role \(role.rawValue) may not \(action)")
    }

    static func badParameter(_ name: String, _ message: String) -> APIError {
        APIError(.badRequest, "bad-parameter", message, field: name)
    }

    static let notFound = APIError(.notFound, "not-found", "no such resource")
}

/// JSON answers with `Content-Type: application/json`.
package enum JSONResponse {
    static func object(_ value: Any, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return bytes(data, status: status)
    }

    static func bytes(_ data: Data, status: HTTPResponse.Status = .ok, contentType: String = "application/json") -> Response {
        Response(status: status, headers: [.contentType: contentType, .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

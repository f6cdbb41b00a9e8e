import Foundation

/// The server's answer to one ingest request.
package struct IngestReply: Sendable, Equatable {
    package var status: Int
    /// Seconds from a `Retry-After` header (delta-seconds form).
    package var retryAfter: Double?
    package var body: [UInt8]

    package init(status: Int, retryAfter: Double? = nil, body: [UInt8] = []) {
        self.status = status
        self.retryAfter = retryAfter
        self.body = body
    }

    /// One entry of a 200 answer's `results`.
    package struct Result: Decodable, Sendable, Equatable {
        package var seq: UInt64
        package var status: String
        package var error: String?
    }

    private struct Results: Decodable {
        var results: [Result]
    }

    private struct ErrorBody: Decodable {
        struct Detail: Decodable {
            var code: String?
            var message: String?
            var field: String?
        }
        var error: Detail
    }

    /// The `results` of a 200 answer, or nil when the body is not that shape.
    package var results: [Result]? {
        try? JSONDecoder().decode(Results.self, from: Data(body)).results
    }

    /// `code: message (field F)` from an error body, or the first bytes of the body.
    package var errorText: String {
        if let detail = try? JSONDecoder().decode(ErrorBody.self, from: Data(body)).error {
            var text = [detail.code, detail.message].compactMap { $0 }.joined(separator: ": ")
            if let field = detail.field { text += " (field \(field))" }
            if !text.isEmpty { return "HTTP \(status): \(text)" }
        }
        let snippet = String(decoding: body.prefix(200), as: UTF8.self)
            .replacingOccurrences(of: "\n", with: " ")
        return snippet.isEmpty ? "HTTP \(status)" : "HTTP \(status): \(snippet)"
    }
}

import Hummingbird
import ShrikeRecorder

/// A request's query parameters, checked: an unknown name, a repeated one, or a value that does not parse is a 400
/// naming the parameter. Values only ever reach the store as bound arguments.
struct QueryParameters {
    private var values: [String: String] = [:]

    init(_ request: Request, allowed: Set<String>) throws {
        for (name, value) in request.uri.queryParameters {
            let key = String(name)
            guard allowed.contains(key) else {
                throw APIError.badParameter(key, allowed.isEmpty ? "this endpoint takes no query parameters"
                                            : "unknown parameter (allowed: \(allowed.sorted().joined(separator: ", ")))")
            }
            guard values[key] == nil else { throw APIError.badParameter(key, "given more than once") }
            guard value.utf8.count <= 1024 else { throw APIError.badParameter(key, "longer than 1024 bytes") }
            values[key] = String(value)
        }
    }

    func text(_ name: String) throws -> String? {
        guard let value = values[name] else { return nil }
        guard !value.isEmpty else { throw APIError.badParameter(name, "empty") }
        return value
    }

    func time(_ name: String) throws -> Int64? {
        guard let value = try text(name) else { return nil }
        guard let time = Timestamp(parsing: value), time.nanoseconds <= UInt64(Int64.max) else {
            throw APIError.badParameter(name, "not an RFC 3339 time in UTC (2026-12-07T10:00:00Z)")
        }
        return Int64(time.nanoseconds)
    }

    /// 1…1000, 100 when absent.
    func limit() throws -> Int {
        guard let value = try text("limit") else { return 100 }
        guard let limit = Int(value), (1...1000).contains(limit) else {
            throw APIError.badParameter("limit", "must be an integer from 1 to 1000")
        }
        return limit
    }

    /// The `next` of the previous page.
    func cursor() throws -> Int64? {
        guard let value = try text("cursor") else { return nil }
        guard let cursor = Int64(value), cursor > 0 else {
            throw APIError.badParameter("cursor", "not a cursor this server gave (use the previous page's next)")
        }
        return cursor
    }

    static func isPlainIdentifier(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 128 && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":")
                || byte == UInt8(ascii: ".")
        }
    }
}

import Foundation
import ShrikeCore

/// Where and how the webhook output posts alerts.
public struct WebhookSettings: Sendable, Equatable {
    /// One extra request header (`Authorization: Bearer …`).
    public struct Header: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The endpoint: `https://…` or, for the user's own endpoints, `http://…` (a warning is logged unless loopback).
    public var url: String
    public var headers: [Header]
    /// A PEM file of CA certificates to trust instead of the system's (a private CA); nil uses the system trust store.
    public var caFile: String?
    /// Alerts that may wait for delivery; when full the oldest are dropped (and counted).
    public var queueSize: Int
    /// Alerts per request: 1 posts each alert as one JSON object (Falco's `http_output`); more posts a JSON array of
    /// up to this many.
    public var batchSize: Int
    /// Seconds one request may take.
    public var timeout: Double
    /// How often a request is repeated after a connection error or a 5xx/408/429 answer before its alerts count as
    /// failed.
    public var retries: Int
    /// Seconds before the first retry; doubled after each until `maxBackoff`.
    public var initialBackoff: Double
    public var maxBackoff: Double
    /// Seconds `close()` keeps delivering what is queued before it gives up (the rest counts as dropped).
    public var drainTimeout: Double

    public init(url: String, headers: [Header] = [], caFile: String? = nil, queueSize: Int = 1000,
                batchSize: Int = 1, timeout: Double = 10, retries: Int = 8, initialBackoff: Double = 0.5,
                maxBackoff: Double = 30, drainTimeout: Double = 5) {
        self.url = url
        self.headers = headers
        self.caFile = caFile
        self.queueSize = queueSize
        self.batchSize = batchSize
        self.timeout = timeout
        self.retries = retries
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
        self.drainTimeout = drainTimeout
    }

    /// Seconds to wait before retry number `attempt` (1-based): `initialBackoff` doubling up to `maxBackoff`.
    public func backoff(attempt: Int) -> Double {
        let exponent = Double(max(0, min(attempt - 1, 62)))
        return min(initialBackoff * pow(2, exponent), maxBackoff)
    }

    /// Checks the URL and limits; throws `ShrikeError(.usage)` naming the URL and what to fix.
    public func validate() throws {
        guard let parsed = URL(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = parsed.host, !host.isEmpty else {
            throw ShrikeError(.usage, "the webhook URL must be http:// or https:// with a host", input: url)
        }
        guard queueSize >= 1 else { throw ShrikeError(.usage, "the webhook queue size must be at least 1", input: url) }
        guard batchSize >= 1 else { throw ShrikeError(.usage, "the webhook batch size must be at least 1", input: url) }
        guard timeout > 0 else { throw ShrikeError(.usage, "the webhook timeout must be positive", input: url) }
        guard retries >= 0 else { throw ShrikeError(.usage, "the webhook retries must not be negative", input: url) }
        guard initialBackoff > 0, maxBackoff >= initialBackoff else {
            throw ShrikeError(.usage, "the webhook backoff must be positive and not above its maximum", input: url)
        }
        for header in headers where header.name.isEmpty || header.name.contains(where: { $0 == ":" || $0.isWhitespace }) {
            throw ShrikeError(.usage, "the header name '\(header.name)' is not a valid HTTP header name", input: url)
        }
    }

    /// The URL without its query, fragment and user info, for messages and statistics (a token in the query stays
    /// out of logs).
    public static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.query = nil
        components.fragment = nil
        components.user = nil
        components.password = nil
        return components.string ?? url
    }

    /// True for plain `http://` to anything but the loopback interface: alerts would cross the network unencrypted.
    public var isInsecureRemote: Bool {
        guard let parsed = URL(string: url), parsed.scheme?.lowercased() == "http" else { return false }
        let host = (parsed.host ?? "").lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return !(host == "localhost" || host == "::1" || host.hasPrefix("127."))
    }
}

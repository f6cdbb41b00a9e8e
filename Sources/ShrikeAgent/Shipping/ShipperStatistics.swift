/// What the shipper did since it started.
public struct ShipperStatistics: Sendable, Equatable {
    /// Records the server answered `stored`.
    public var stored = 0
    /// Records the server already had (`duplicate`): sent before, the acknowledgement lost.
    public var duplicates = 0
    /// Records the server refused (`rejected`, or alone in a 400/413): dropped, never retried.
    public var rejected = 0
    /// Requests sent.
    public var requests = 0
    /// Requests that got no usable answer and are retried.
    public var failures = 0
    /// The last failure (`connection refused`, `HTTP 503`), for the exit summary.
    public var lastError: String?

    public init() {}

    /// `server: stored 10, duplicate 0, rejected 0, requests 3, failed 1 (HTTP 503)`.
    public var summary: String {
        var text = "server: stored \(stored), duplicate \(duplicates), rejected \(rejected), requests \(requests), "
            + "failed \(failures)"
        if let lastError { text += " (last: \(lastError))" }
        return text
    }
}

/// Exponential backoff with full jitter: the n-th retry waits a uniformly random time in 0…min(cap, base·2ⁿ).
public struct Backoff: Sendable, Equatable {
    /// Seconds of the first retry's ceiling.
    public var base: Double
    /// Seconds no wait exceeds (a `Retry-After` may, up to `maxRetryAfter`).
    public var cap: Double
    /// The longest `Retry-After` that is honoured as given.
    public var maxRetryAfter: Double

    public init(base: Double = 0.5, cap: Double = 30, maxRetryAfter: Double = 300) {
        self.base = base
        self.cap = cap
        self.maxRetryAfter = maxRetryAfter
    }

    /// Seconds to wait before retry number `attempt` (1 for the first).
    public func delay(attempt: Int, retryAfter: Double? = nil,
                      random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }) -> Double {
        if let retryAfter, retryAfter >= 0 { return min(retryAfter, maxRetryAfter) }
        let ceiling = min(cap, base * Double(1 << min(max(attempt - 1, 0), 30)))
        return random(0...ceiling)
    }
}

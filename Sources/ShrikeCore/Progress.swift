/// Receives progress of long work (reading layers, walking a file system) so a terminal can draw it.
///
/// Libraries call it from whatever thread does the work; implementations must be cheap and thread-safe.
public protocol ProgressReporter: Sendable {
    /// A new phase started; `total` is the expected units (bytes or items) when known.
    func begin(_ phase: String, total: Int64?)
    /// `completed` units of the current phase are done.
    func advance(to completed: Int64)
    /// The current phase finished.
    func end()
}

/// A reporter that ignores everything, for scripts and tests.
public struct SilentProgress: ProgressReporter {
    public init() {}
    public func begin(_ phase: String, total: Int64?) {}
    public func advance(to completed: Int64) {}
    public func end() {}
}

import Synchronization

/// A flag set from a signal handler's queue and read by the watch loop.
public final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)

    public init() {}

    public func set() { value.store(true, ordering: .relaxed) }
    public var isSet: Bool { value.load(ordering: .relaxed) }
}

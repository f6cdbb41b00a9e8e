import Dispatch
import Synchronization

/// Runs an output's writes on its own serial queue, so a stalled file descriptor never holds up the sensor thread.
///
/// At most `capacity` writes wait; past that, new alerts are dropped and counted (a dispatch queue cannot drop its
/// oldest item). `flush` waits until the queue has caught up, at most `flushTimeout` seconds.
final class SerialLineWriter: Sendable {
    private let queue: DispatchQueue
    private let pending = Atomic<Int>(0)
    private let droppedCount = Atomic<Int>(0)
    private let capacity: Int

    init(label: String, capacity: Int = 10_000) {
        queue = DispatchQueue(label: label)
        self.capacity = max(1, capacity)
    }

    /// Queues `work`; false (and counted) when `capacity` writes are already waiting.
    @discardableResult
    func submit(_ work: @escaping @Sendable () -> Void) -> Bool {
        let waiting = pending.add(1, ordering: .relaxed).newValue
        if waiting > capacity {
            pending.subtract(1, ordering: .relaxed)
            droppedCount.add(1, ordering: .relaxed)
            return false
        }
        queue.async { [self] in
            work()
            pending.subtract(1, ordering: .relaxed)
        }
        return true
    }

    var dropped: Int { droppedCount.load(ordering: .relaxed) }

    /// Waits until everything submitted so far has run, or `timeout` seconds pass.
    func flush(timeout: Double = 5) {
        let done = DispatchSemaphore(value: 0)
        queue.async { done.signal() }
        _ = done.wait(timeout: .now() + timeout)
    }
}

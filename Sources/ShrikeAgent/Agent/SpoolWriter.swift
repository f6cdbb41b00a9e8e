import Foundation
import Synchronization

/// Hands records to the spool from threads that must not wait for the disk (the sensor's).
///
/// `submit` only appends to a bounded in-memory queue (`capacity` records; when full the oldest is dropped and
/// counted) and returns; a thread of its own appends what has queued in batches of up to `batchSize` — one write
/// and one fsync per batch. An append that fails is counted and the records are lost; the watch goes on.
public final class SpoolWriter: Sendable {
    public let spool: Spool
    public let capacity: Int
    public let batchSize: Int
    private let state: Mutex<State>
    private let wakeup = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    private struct State {
        var queue: [(kind: SpoolKind, body: [UInt8])] = []
        var head = 0
        var dropped = 0
        var failed = 0
        var lastError: String?
        var closing = false
        var inFlight = 0
    }

    /// Counters since the writer started.
    public struct Statistics: Sendable, Equatable {
        /// Records dropped because the queue in front of the spool was full (the disk was slower than the alerts).
        public var dropped = 0
        /// Records lost because appending them to the spool failed.
        public var failed = 0
        public var lastError: String?
    }

    public init(spool: Spool, capacity: Int = 10_000, batchSize: Int = 100) {
        self.spool = spool
        self.capacity = max(1, capacity)
        self.batchSize = max(1, batchSize)
        state = Mutex(State())
        let thread = Thread { [self] in run() }
        thread.name = "shrike.spool"
        thread.start()
    }

    /// Queues one record; never blocks on the disk.
    public func submit(_ kind: SpoolKind, body: [UInt8]) {
        let accepted = state.withLock { state -> Bool in
            guard !state.closing else { return false }
            if state.queue.count - state.head >= capacity {
                state.head += 1
                state.dropped += 1
            }
            state.queue.append((kind, body))
            return true
        }
        if accepted { wakeup.signal() }
    }

    public var statistics: Statistics {
        state.withLock { Statistics(dropped: $0.dropped, failed: $0.failed, lastError: $0.lastError) }
    }

    /// Records queued and not yet in the spool.
    public var queued: Int { state.withLock { $0.queue.count - $0.head + $0.inFlight } }

    /// Appends everything queued so far, then stops the thread; later `submit`s are ignored.
    public func close() {
        let already = state.withLock { state -> Bool in
            let was = state.closing
            state.closing = true
            return was
        }
        guard !already else { return }
        wakeup.signal()
        finished.wait()
    }

    /// Waits until what was submitted so far is in the spool, at most `timeout` seconds.
    @discardableResult
    public func flush(timeout: Double = 5) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while queued > 0 {
            if Date() >= deadline { return false }
            Thread.sleep(forTimeInterval: 0.002)
        }
        return true
    }

    private func run() {
        while true {
            wakeup.wait()
            while true {
                let (batch, closing) = state.withLock { state -> ([(kind: SpoolKind, body: [UInt8])], Bool) in
                    let end = min(state.queue.count, state.head + batchSize)
                    let batch = Array(state.queue[state.head..<end])
                    state.head = end
                    if state.head == state.queue.count {
                        state.queue.removeAll(keepingCapacity: true)
                        state.head = 0
                    } else if state.head > 4 * batchSize && state.head * 2 > state.queue.count {
                        state.queue.removeFirst(state.head)
                        state.head = 0
                    }
                    state.inFlight = batch.count
                    return (batch, state.closing)
                }
                if batch.isEmpty {
                    if closing {
                        finished.signal()
                        return
                    }
                    break
                }
                do {
                    try spool.append(batch)
                    state.withLock { $0.inFlight = 0 }
                } catch {
                    state.withLock {
                        $0.inFlight = 0
                        $0.failed += batch.count
                        $0.lastError = String(describing: error)
                    }
                }
            }
        }
    }
}

import Foundation
import Synchronization

/// Hands records to the spool from threads that must not wait for the disk (the sensor's).
///
/// `submit` only appends to a bounded in-memory queue (`capacity` records; when full the oldest is dropped and
/// counted) and returns; a thread of its own appends what has queued in batches of up to `batchSize` — one write
/// and one fsync per batch. A record the spool refuses is counted and lost; the watch goes on.
///
/// A record submitted with `then` has it called on the writer's thread once its batch is in the spool (or failed),
/// in submission order — or on the submitting thread when the queue drops it. That is group commit: the alert is
/// printed after it is durable, at the price of one fsync's latency, not one fsync per alert.
public final class SpoolWriter: Sendable {
    public typealias Completion = @Sendable () -> Void

    public let spool: Spool
    public let capacity: Int
    public let batchSize: Int
    private let state: Mutex<State>
    private let wakeup = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    private struct Entry {
        var kind: SpoolKind
        var body: [UInt8]
        var then: Completion?
    }

    private struct State {
        var queue: [Entry] = []
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

    /// Queues one record; never blocks on the disk. `then` runs once the record is in the spool, failed, was
    /// dropped for room, or came after `close`.
    public func submit(_ kind: SpoolKind, body: [UInt8], then: Completion? = nil) {
        let (accepted, evicted) = state.withLock { state -> (Bool, Completion?) in
            guard !state.closing else { return (false, nil) }
            var evicted: Completion?
            if state.queue.count - state.head >= capacity {
                evicted = state.queue[state.head].then
                state.head += 1
                state.dropped += 1
            }
            state.queue.append(Entry(kind: kind, body: body, then: then))
            return (true, evicted)
        }
        evicted?()
        if accepted { wakeup.signal() } else { then?() }
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

    /// One write for the batch; when that fails, one per record, so a record the spool refuses (too big for a
    /// segment) does not take the rest of its batch with it.
    private func append(_ batch: [Entry]) {
        do {
            try spool.append(batch.map { ($0.kind, $0.body) })
            return
        } catch where batch.count == 1 {
            record(failures: 1, error)
            return
        } catch {}
        for entry in batch {
            do {
                try spool.append([(entry.kind, entry.body)])
            } catch {
                record(failures: 1, error)
            }
        }
    }

    private func record(failures: Int, _ error: any Error) {
        state.withLock {
            $0.failed += failures
            $0.lastError = String(describing: error)
        }
    }

    private func run() {
        while true {
            wakeup.wait()
            while true {
                let (batch, closing) = state.withLock { state -> ([Entry], Bool) in
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
                append(batch)
                // Before inFlight drops, so a flush() that returns has seen every completion run.
                for entry in batch { entry.then?() }
                state.withLock { $0.inFlight = 0 }
            }
        }
    }
}

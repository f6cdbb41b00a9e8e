#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import Synchronization

/// Tells file outputs to reopen their files after log rotation: SIGHUP (or `requestReopen()`) bumps a generation
/// number, and every file output reopens its path before its next write once it sees a newer generation.
///
/// The signal is taken with a dispatch signal source, so the handler runs on an ordinary queue (not in signal
/// context) and only bumps the counter; SIGHUP's default action (exit) is turned off when the handler is installed.
public final class LogReopenSignal: @unchecked Sendable {
    // @unchecked: `source` is written once under `lock` and only read under it.
    /// The process-wide instance the SIGHUP handler feeds.
    public static let shared = LogReopenSignal()

    private let counter = Atomic<Int>(0)
    private let lock = NSLock()
    private var source: (any DispatchSourceSignal)?

    public init() {}

    /// The number of reopen requests so far.
    public var generation: Int { counter.load(ordering: .acquiring) }

    /// Asks every file output watching this signal to reopen its file before its next write.
    public func requestReopen() {
        counter.add(1, ordering: .releasing)
    }

    /// Installs the SIGHUP handler (once; later calls do nothing). Call it before the first SIGHUP can arrive.
    public func installSignalHandler(signal number: Int32 = SIGHUP) {
        lock.lock()
        defer { lock.unlock() }
        guard source == nil else { return }
        signal(number, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: number, queue: DispatchQueue(label: "shrike.sighup"))
        source.setEventHandler { [self] in requestReopen() }
        source.resume()
        self.source = source
    }

    /// Removes the handler (SIGHUP stays ignored: restoring the default would let a late one end the process).
    public func cancelSignalHandler() {
        lock.lock()
        defer { lock.unlock() }
        source?.cancel()
        source = nil
    }
}

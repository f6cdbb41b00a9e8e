#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// SIGINT/SIGTERM stop the watch; SIGUSR1 prints statistics.
public final class SignalHandlers: @unchecked Sendable {
    // @unchecked: `sources` is written once in init and only cancelled afterwards.
    private let sources: [any DispatchSourceSignal]

    public init(stop: StopFlag, onStatistics: @escaping @Sendable () -> Void) {
        let queue = DispatchQueue(label: "shrike.signals")
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGINT, SIGTERM, SIGUSR1] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            if number == SIGUSR1 {
                source.setEventHandler(handler: onStatistics)
            } else {
                source.setEventHandler { stop.set() }
            }
            source.resume()
            sources.append(source)
        }
        self.sources = sources
    }

    public func cancel() {
        for source in sources { source.cancel() }
    }
}

import Foundation
import ShrikeSensor

/// One run of `shrike watch`: loads the sensor (and the rules, outputs, recorder and agent), runs until a signal,
/// `--duration` or a closed output, and prints the statistics at the end. The CLI parses arguments into
/// `WatchOptions` and calls `run()`.
///
/// Human-facing lines go to stderr prefixed `shrike: `; events or alerts go to stdout.
public struct WatchSession: Sendable {
    public var options: WatchOptions

    public init(options: WatchOptions) {
        self.options = options
    }

    /// - Throws: `ShrikeError` for rule files, settings, outputs, the sensor, the recorder or the spool.
    public func run() async throws {
        if options.events {
            try await watchEvents()
        } else {
            try await watchRules()
        }
    }

    func announceSensorLimits(_ sensor: Sensor) {
        if let reason = sensor.rawHookReason {
            StandardStream.note("note: the sensor runs at every syscall's exit (raw sys_exit), not only at the "
                                + "wanted syscalls' tracepoints: \(reason)")
        }
        guard let reason = sensor.hostNamesUnavailableReason else { return }
        StandardStream.note("warning: DNS answers are not captured, so network activity has no host names: \(reason)")
    }

    /// Runs until a signal, `--duration` or a closed output; prints statistics (and `extra` lines) on SIGUSR1, with
    /// -v every minute, and once at the end.
    func runUntilStopped(sensor: Sensor, closed: @escaping @Sendable () -> Bool,
                         extra: @escaping @Sendable () -> [String]) async {
        let stop = StopFlag()
        let signals = SignalHandlers(stop: stop) {
            StandardStream.note(sensor.statistics().summary)
            for line in extra() { StandardStream.note(line) }
        }
        let deadline = options.duration.map { Date().addingTimeInterval($0) }
        var lastReport = Date()
        while !stop.isSet && !closed() {
            if let deadline, Date() >= deadline { break }
            try? await Task.sleep(nanoseconds: 20_000_000)
            if options.verbose, Date().timeIntervalSince(lastReport) >= 60 {
                StandardStream.note(sensor.statistics().summary)
                lastReport = Date()
            }
        }
        sensor.stop()
        signals.cancel()
        StandardStream.note(sensor.statistics().summary)
    }
}

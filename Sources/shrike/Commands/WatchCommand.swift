import ArgumentParser
import Dispatch
import Foundation
import ShrikeCore
import ShrikeSensor
import Synchronization

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch what happens on this machine and in its containers (needs root).",
        discussion: """
            With --events, prints every exec, fork, exit, file, network and privilege event the eBPF sensor sees, \
            one line each (or JSON lines with --json). Send SIGUSR1 for a statistics line; one is printed at exit.
            """
    )

    @Flag(name: .customLong("events"), help: "Print every event the sensor sees.")
    var events = false

    @Flag(name: .customLong("json"), help: "Print JSON lines (the shape in docs/DESIGN.md).")
    var json = false

    @Option(name: .customLong("duration"), help: "Stop after this many seconds (default: until SIGINT/SIGTERM).")
    var duration: Double?

    @Option(name: .customLong("pid"), help: "Only this process and its descendants (repeatable).")
    var pids: [Int32] = []

    @Option(name: .customLong("container"), help: "Only this container: id prefix, name, or 'host' (repeatable).")
    var containers: [String] = []

    @Option(name: .customLong("type"), help: "Only these event types, comma separated (e.g. execve,openat,connect).")
    var types: String?

    @Flag(name: .shortAndLong, help: "Print a statistics line to stderr every 60 seconds.")
    var verbose = false

    @Option(name: .customLong("ring-buffer-mib"), help: "Kernel ring buffer size in MiB.")
    var ringBufferMiB = 16

    @Option(name: .customLong("wakeup-bytes"), help: .hidden)
    var wakeupBytes = 256 * 1024

    func validate() throws {
        guard events else {
            throw ValidationError("watch needs --events for now (rule files come with the rules engine)")
        }
        if let duration, duration <= 0 { throw ValidationError("--duration must be positive") }
        if ringBufferMiB < 1 || ringBufferMiB > 1024 { throw ValidationError("--ring-buffer-mib must be 1...1024") }
    }

    func run() async throws {
        try await CommandFailure.run {
            let typeSet = Set((types ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty })
            let filter = EventFilter(pids: Set(pids), containers: Set(containers), types: typeSet)
            let syscalls = typeSet.isEmpty ? nil : typeSet.subtracting(["fork", "exit"])
            let configuration = SensorConfiguration(syscalls: syscalls, ringBufferBytes: ringBufferMiB << 20,
                                                    wakeupBytes: wakeupBytes, filter: filter)
            let sensor = try Sensor(configuration: configuration)
            let sink = StandardOutputEventSink(json: json)
            try sensor.start(sink: sink)
            Terminal.write("shrike: watching (eBPF sensor loaded); Ctrl-C stops, SIGUSR1 prints statistics\n", to: 2)

            let stop = StopFlag()
            let signals = SignalHandlers(stop: stop) {
                Terminal.write("shrike: \(sensor.statistics().summary)\n", to: 2)
            }
            let deadline = duration.map { Date().addingTimeInterval($0) }
            var lastReport = Date()
            while !stop.isSet && !sink.outputClosed {
                if let deadline, Date() >= deadline { break }
                try? await Task.sleep(nanoseconds: 50_000_000)
                if verbose, Date().timeIntervalSince(lastReport) >= 60 {
                    Terminal.write("shrike: \(sensor.statistics().summary)\n", to: 2)
                    lastReport = Date()
                }
            }
            sensor.stop()
            signals.cancel()
            Terminal.write("shrike: \(sensor.statistics().summary)\n", to: 2)
        }
    }
}

/// A flag set from a signal handler's queue and read by the watch loop.
final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func set() { value.store(true, ordering: .relaxed) }
    var isSet: Bool { value.load(ordering: .relaxed) }
}

/// SIGINT/SIGTERM stop the watch; SIGUSR1 prints statistics.
final class SignalHandlers: @unchecked Sendable {
    // @unchecked: `sources` is written once in init and only cancelled afterwards.
    private let sources: [any DispatchSourceSignal]

    init(stop: StopFlag, onStatistics: @escaping @Sendable () -> Void) {
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

    func cancel() {
        for source in sources { source.cancel() }
    }
}

/// Buffers formatted events and writes them to stdout in large writes, once per drained batch.
final class StandardOutputEventSink: EventSink, @unchecked Sendable {
    // @unchecked: receive/flush run on the sensor thread only; `closed` is atomic.
    private let json: Bool
    private var encoder = EventJSONEncoder()
    private let formatter = EventLineFormatter()
    private var buffer: [UInt8] = []
    private let closed = Atomic<Bool>(false)

    init(json: Bool) {
        self.json = json
        buffer.reserveCapacity(1 << 20)
        // A closed pipe (`shrike watch | head`) must end the watch, not kill it.
        signal(SIGPIPE, SIG_IGN)
    }

    var outputClosed: Bool { closed.load(ordering: .relaxed) }

    func receive(_ event: Event) {
        if json {
            encoder.encode(event, into: &buffer)
        } else {
            buffer += formatter.format(event).utf8
        }
        buffer.append(0x0A)
        if buffer.count >= 1 << 20 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        let ok = Terminal.write(bytes: buffer)
        if !ok { closed.store(true, ordering: .relaxed) }
        buffer.removeAll(keepingCapacity: true)
    }
}

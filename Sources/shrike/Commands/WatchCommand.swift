import ArgumentParser
import Dispatch
import Foundation
import ShrikeCore
import ShrikeAlerting
import ShrikeRecorder
import ShrikeRules
import ShrikeSensor
import Synchronization

struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch what happens on this machine and in its containers and alert on rules (needs root).",
        discussion: """
            Without --events, loads rules in Falco's language (the default ruleset unless --rules; `--rules default` \
            names it, so `--rules default --rules mine.yaml` extends it) and prints one alert per line as it \
            happens, or Falco-shaped JSON with --json; --output sends alerts to files, syslog or webhooks too. \
            With --events, prints every exec, fork, exit, file, network and privilege event the eBPF sensor sees \
            instead. Send SIGUSR1 for a statistics line; one is printed at exit. Settings also come from \
            /etc/shrike/shrike.yaml or --config; flags win.
            """
    )

    @Flag(name: .customLong("events"), help: "Print every event the sensor sees instead of evaluating rules.")
    var events = false

    @Flag(name: .customLong("json"), help: "Print JSON lines (alerts in Falco's shape; events as in docs/DESIGN.md).")
    var json = false

    @Option(name: .customLong("rules"), help: "A rule file to load instead of the defaults ('default' names them; repeatable).")
    var rules: [String] = []

    @Option(name: .customLong("output"), help: "Where alerts go: stdout, file:PATH, syslog, webhook:URL (repeatable; see docs/alerts.md).")
    var outputs: [String] = []

    @Option(name: .customLong("config"), help: "Settings file (default /etc/shrike/shrike.yaml when it exists).")
    var configPath: String?

    @Option(name: .customLong("min-priority"), help: "Ignore rules less severe than this (e.g. warning).")
    var minimumPriority: String?

    @Option(name: .customLong("dedup-window"), help: "Seconds in which repeats of a rule for one process fold into one alert (0: off).")
    var dedupWindow: Double?

    @Flag(name: .customLong("first-match"), help: "Stop at the first matching rule per event (Falco's old behaviour).")
    var firstMatch = false

    @Flag(name: .customLong("no-kernel-filter"), help: "Ship every read-only open to user space, wanted by a rule or not.")
    var noKernelFilter = false

    @Option(name: .customLong("record-dir"), help: "Where incidents are kept (default ~/.cache/shrike/incidents).")
    var recordDirectory: String?

    @Option(name: .customLong("before"), help: "Seconds of history an incident keeps before its first alert (default 30).")
    var before: Double?

    @Option(name: .customLong("after"), help: "Seconds an incident keeps recording after its last alert (default 30).")
    var after: Double?

    @Option(name: .customLong("record-max-bytes"), help: "Memory for the flight recorder's ring of recent events (default 64 MiB).")
    var recordMaxBytes: Int?

    @Flag(name: .customLong("no-record"), help: "Run without the flight recorder: alerts get no incident.")
    var noRecord = false

    @Flag(name: .customLong("no-dns"), help: "Don't capture DNS answers, so network activity has no host names.")
    var noDNS = false

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

    @Option(name: .customLong("ring-buffer-mib"), help: "Kernel ring buffer size in MiB (default 8).")
    var ringBufferMiB: Int?

    @Flag(name: .customLong("dry-run-responses"),
          help: "Rules with response: only report what they would do (would-kill, would-deny); nothing is stopped.")
    var dryRunResponses = false

    @Option(name: .customLong("wakeup-bytes"), help: .hidden)
    var wakeupBytes = 256 * 1024

    func validate() throws {
        if let duration, duration <= 0 { throw ValidationError("--duration must be positive") }
        if let ringBufferMiB, ringBufferMiB < 1 || ringBufferMiB > 1024 {
            throw ValidationError("--ring-buffer-mib must be 1...1024")
        }
        if let dedupWindow, dedupWindow < 0 { throw ValidationError("--dedup-window must not be negative") }
        if let before, before < 0 || before > 3600 { throw ValidationError("--before must be 0...3600 seconds") }
        if let after, after < 0 || after > 3600 { throw ValidationError("--after must be 0...3600 seconds") }
        if let recordMaxBytes, recordMaxBytes < 1 << 20 { throw ValidationError("--record-max-bytes must be at least 1 MiB") }
        if let minimumPriority, RulePriority(name: minimumPriority) == nil {
            throw ValidationError("--min-priority must be one of emergency, alert, critical, error, warning, notice, "
                                  + "informational, debug (not '\(minimumPriority)')")
        }
        if events && (!rules.isEmpty || !outputs.isEmpty) {
            throw ValidationError("--events prints events, not alerts: drop --rules and --output, or drop --events")
        }
    }

    func run() async throws {
        try await CommandFailure.run {
            if events {
                try await watchEvents()
            } else {
                try await watchRules()
            }
        }
    }

    private var eventFilter: EventFilter {
        let typeSet = Set((types ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty })
        return EventFilter(pids: Set(pids), containers: Set(containers), types: typeSet)
    }

    private func watchEvents() async throws {
        let filter = eventFilter
        let syscalls = filter.types.isEmpty ? nil : filter.types.subtracting(["fork", "exit"])
        // Host names only matter when events with addresses are printed.
        let named: Set<String> = ["connect", "accept", "accept4", "bind"]
        let captureDNS = !noDNS && (filter.types.isEmpty || !filter.types.isDisjoint(with: named))
        let ringBytes = ringBufferMiB.map { $0 << 20 } ?? SensorConfiguration.defaultRingBufferBytes
        let configuration = SensorConfiguration(syscalls: syscalls, ringBufferBytes: ringBytes, wakeupBytes: wakeupBytes,
                                                filter: filter, captureDNS: captureDNS)
        let sensor = try Sensor(configuration: configuration)
        announceSensorLimits(sensor)
        let sink = StandardOutputEventSink(json: json)
        try sensor.start(sink: sink)
        Terminal.write("shrike: watching (eBPF sensor loaded); Ctrl-C stops, SIGUSR1 prints statistics\n", to: 2)
        await runUntilStopped(sensor: sensor, closed: { sink.outputClosed }) { [] }
    }

    private func watchRules() async throws {
        let flags = WatchConfiguration(
            rulesFiles: rules, outputs: try outputs.map { try AlertOutputSpec(parsing: $0) }, json: json ? true : nil,
            minimumPriority: minimumPriority.flatMap { RulePriority(name: $0) }, dedupWindow: dedupWindow,
            firstMatch: firstMatch ? true : nil, recordDirectory: recordDirectory, before: before, after: after,
            ringBufferMiB: ringBufferMiB)
        let settings = try WatchConfiguration.loadDefault(explicitPath: configPath).overriding(with: flags)

        let (ruleSet, catalog) = try WatchRules.load(settings.rulesFiles ?? [])
        let table = SyscallTable.current
        let visible = Set(table?.syscalls.map(\.name) ?? []).union(["execve", "fork", "exit"])
        var syscalls: Set<String>?
        if !ruleSet.needsAllEventTypes {
            let unseen = ruleSet.neededEventTypes.subtracting(visible)
            if !unseen.isEmpty {
                Terminal.write("shrike: warning: the sensor does not produce \(unseen.sorted().joined(separator: ", ")); "
                               + "rules on them never fire\n", to: 2)
            }
            syscalls = ruleSet.neededEventTypes.intersection(visible).subtracting(["execve", "fork", "exit"])
        }
        let readFilter = noKernelFilter ? nil : KernelReadFilter(ruleSet: ruleSet, catalog: catalog).prefixes
        let engine = RuleEngine(rules: ruleSet, options: RuleEngine.Options(
            firstMatch: settings.firstMatch ?? false, deduplicationWindow: settings.dedupWindow ?? 1,
            minimumPriority: .debug, dryRunResponses: dryRunResponses))
        // SIGHUP reopens alert files (log rotation); installed before the first alert can be written.
        LogReopenSignal.shared.installSignalHandler()
        let dispatcher = try AlertDispatcher(specs: settings.outputs ?? [], json: settings.json ?? false,
                                             color: AlertColorPolicy.useColor(), minimumPriority: settings.minimumPriority)
        let ringBytes = settings.ringBufferMiB.map { $0 << 20 } ?? SensorConfiguration.defaultRingBufferBytes
        // Rules with `response:` load the response program; without them nothing of it is loaded or attached.
        let plan = ruleSet.enforcementPlan(dryRun: dryRunResponses)
        if let plan, !plan.terms.isEmpty, var wanted = syscalls {
            // The sensor must report what a kill answers, so the alert (and the timeline) show the event.
            wanted.formUnion(plan.terms.flatMap(\.classes).map(\.rawValue).filter { $0 != "execve" })
            syscalls = wanted
        }
        let sensor = try Sensor(configuration: SensorConfiguration(
            syscalls: syscalls, ringBufferBytes: ringBytes, wakeupBytes: wakeupBytes, filter: eventFilter,
            readPathPrefixes: readFilter, captureDNS: !noDNS && (!noRecord || ruleSet.usesHostNames),
            captureBuffers: ruleSet.usesBuffers, enforcement: plan))
        announceSensorLimits(sensor)
        let responses = plan.map { plan in
            announceResponses(plan)
            return ResponseMonitor(ruleSet: ruleSet, attach: { policy, path in
                try sensor.attachConnectPolicy(policy, cgroupPath: path)
            }, log: { line in Terminal.write("shrike: \(line)\n", to: 2) })
        }
        try responses?.attachExisting()
        let recorder = noRecord ? nil : try Recorder(configuration: recorderConfiguration(settings))
        let sink = RuleEvaluationSink(engine: engine, dispatcher: dispatcher, recorder: recorder.map(RecorderAlerting.init),
                                      responses: responses)
        try sensor.start(sink: sink)
        let active = ruleSet.activeRules.count
        let filterNote = readFilter.map { "reads filtered in the kernel to \($0.count) prefixes" } ?? "every read shipped"
        Terminal.write("shrike: watching with \(active) rules (\(ruleSet.warnings.count) warnings; \(filterNote)); "
                       + "Ctrl-C stops, SIGUSR1 prints statistics\n", to: 2)
        if verbose {
            for warning in ruleSet.warnings { Terminal.write("shrike: warning: \(warning)\n", to: 2) }
        }
        // The engine belongs to the sensor thread; SIGUSR1 reports the outputs' counters, which are thread-safe.
        await runUntilStopped(sensor: sensor, closed: { dispatcher.standardOutputClosed }) {
            dispatcher.summaryLines()
        }
        sink.finish()
        dispatcher.close()
        let stats = engine.statistics
        Terminal.write("shrike: rules: events=\(stats.events) matches=\(stats.matches) alerts=\(stats.alerts) "
                       + "folded=\(stats.folded)\n", to: 2)
        for line in dispatcher.summaryLines() { Terminal.write("shrike: \(line)\n", to: 2) }
    }

    /// Says on stderr which responses are armed, so a log shows when enforcement started.
    private func announceResponses(_ plan: EnforcementPlan) {
        let mode = plan.dryRun ? "dry run: nothing is stopped, would-kill/would-deny are reported" : "enforcing"
        Terminal.write("shrike: responses armed (\(mode)): " + plan.ruleNames.map { "'\($0)'" }.joined(separator: ", ")
                       + "\n", to: 2)
    }

    private func announceSensorLimits(_ sensor: Sensor) {
        if let reason = sensor.rawHookReason {
            Terminal.write("shrike: note: the sensor runs at every syscall's exit (raw sys_exit), not only at the "
                           + "wanted syscalls' tracepoints: \(reason)\n", to: 2)
        }
        guard let reason = sensor.hostNamesUnavailableReason else { return }
        Terminal.write("shrike: warning: DNS answers are not captured, so network activity has no host names: "
                       + "\(reason)\n", to: 2)
    }

    /// The flight recorder's settings: the window covers `before` (and at least the 60 s default), incidents are
    /// announced on stderr with the command that shows them.
    private func recorderConfiguration(_ settings: WatchConfiguration) -> RecorderConfiguration {
        let before = settings.before ?? 30
        let directory = settings.recordDirectory ?? IncidentStore.defaultDirectory()
        var configuration = RecorderConfiguration(recordDirectory: directory, before: before,
                                                  after: settings.after ?? 30, window: max(60, before + 1),
                                                  maxRecordBytes: recordMaxBytes ?? 64 << 20)
        let custom = settings.recordDirectory.map { " --record-dir \($0)" } ?? ""
        configuration.onSaved = { summary in
            Terminal.write("shrike: incident \(summary.id) saved (\(summary.alertCount) alerts, \(summary.eventCount) "
                           + "events); see it with: shrike incidents show \(summary.id)\(custom)\n", to: 2)
        }
        configuration.onError = { error in
            Terminal.write("shrike: recorder: \(error.input ?? "incidents"): \(error.message)\n", to: 2)
        }
        return configuration
    }

    /// Runs until a signal, `--duration` or a closed output; prints statistics (and `extra` lines) on SIGUSR1, with
    /// -v every minute, and once at the end.
    private func runUntilStopped(sensor: Sensor, closed: @escaping @Sendable () -> Bool,
                                 extra: @escaping @Sendable () -> [String]) async {
        let stop = StopFlag()
        let signals = SignalHandlers(stop: stop) {
            Terminal.write("shrike: \(sensor.statistics().summary)\n", to: 2)
            for line in extra() { Terminal.write("shrike: \(line)\n", to: 2) }
        }
        let deadline = duration.map { Date().addingTimeInterval($0) }
        var lastReport = Date()
        while !stop.isSet && !closed() {
            if let deadline, Date() >= deadline { break }
            try? await Task.sleep(nanoseconds: 20_000_000)
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

import ArgumentParser
import ShrikeAgent
import ShrikeRules

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

    @OptionGroup var server: ServerOptions

    @Option(name: .customLong("ca-file"), help: "PEM CA certificates to trust for the server's HTTPS (default: the system's).")
    var caFile: String?

    @Option(name: .customLong("heartbeat"), help: "Seconds between heartbeats to the server (default 30).")
    var heartbeat: Double = 30

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
        if heartbeat < 1 { throw ValidationError("--heartbeat must be at least 1 second") }
        if events && server.server != nil {
            throw ValidationError("--server ships alerts, incidents and heartbeats: drop --events, or drop --server")
        }
        if caFile != nil && server.server == nil { throw ValidationError("--ca-file goes with --server") }
        if events && (!rules.isEmpty || !outputs.isEmpty) {
            throw ValidationError("--events prints events, not alerts: drop --rules and --output, or drop --events")
        }
    }

    func run() async throws {
        try await CommandFailure.run {
            var options = WatchOptions()
            options.events = events
            options.json = json
            options.rules = rules
            options.outputs = outputs
            options.configPath = configPath
            options.minimumPriority = minimumPriority
            options.dedupWindow = dedupWindow
            options.firstMatch = firstMatch
            options.noKernelFilter = noKernelFilter
            options.recordDirectory = recordDirectory
            options.before = before
            options.after = after
            options.recordMaxBytes = recordMaxBytes
            options.noRecord = noRecord
            options.noDNS = noDNS
            options.duration = duration
            options.pids = pids
            options.containers = containers
            options.types = types
            options.verbose = verbose
            options.ringBufferMiB = ringBufferMiB
            options.dryRunResponses = dryRunResponses
            options.wakeupBytes = wakeupBytes
            options.agent = try server.agentConfiguration(heartbeat: heartbeat, caFile: caFile)
            try await WatchSession(options: options).run()
        }
    }
}

import ArgumentParser
import Foundation
import ShrikeAgent
import ShrikeAlerting
import ShrikeCore
import ShrikeRules
import ShrikeSensor

struct RulesReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Evaluate rules on a recording of `shrike watch --events --json` (no root needed).",
        discussion: """
            Tries rules on real activity before deploying them: prints the alerts the recording would have raised. \
            With --bench N, evaluates N events (repeating the recording) on one core and prints the throughput.
            """
    )

    @Argument(help: "A JSON-lines file written by `shrike watch --events --json`.")
    var recording: String

    @Option(name: .customLong("rules"), help: "A rule file ('default' names the built-in rules; repeatable).")
    var rules: [String] = []

    @Option(name: .customLong("bench"), help: "Evaluate this many events and print events per second.")
    var bench: Int?

    @Flag(name: .customLong("json"), help: "Alerts as Falco-shaped JSON lines; the --bench result as JSON.")
    var json = false

    func validate() throws {
        if let bench, bench < 1 { throw ValidationError("--bench must be a positive number of events") }
    }

    func run() async throws {
        try await CommandFailure.run {
            let (ruleSet, _) = try WatchRules.load(rules)
            let stream = try RecordedStream(path: recording)
            guard !stream.events.isEmpty else {
                throw ShrikeError(.malformed, "the recording holds no events", input: recording)
            }
            if let bench {
                try benchmark(ruleSet, stream, events: bench)
                return
            }
            let engine = RuleEngine(rules: ruleSet)
            var encoder = AlertJSONEncoder()
            let text = AlertTextFormatter(color: false)
            var out: [UInt8] = []
            func write(_ alert: Alert) {
                if json {
                    encoder.encode(alert, into: &out)
                    out.append(0x0A)
                } else {
                    out += Array((text.format(alert) + "\n").utf8)
                }
            }
            stream.replay { event, table in
                for alert in engine.evaluate(event, processes: table) { write(alert) }
            }
            for alert in engine.flushSuppressed(now: .max) { write(alert) }
            _ = Terminal.write(bytes: out)
            let stats = engine.statistics
            Terminal.write("shrike: replayed \(stats.events) events: \(stats.matches) matches, \(stats.alerts) alerts, "
                           + "\(stats.folded) folded\n", to: 2)
        }
    }

    private func benchmark(_ ruleSet: CompiledRuleSet, _ stream: RecordedStream, events: Int) throws {
        // One table for the whole run (what a long-running watch knows), so the loop measures evaluation alone.
        let table = stream.finalTable
        let engine = RuleEngine(rules: ruleSet, options: RuleEngine.Options(deduplicationWindow: 0))
        var matched = 0
        let start = DispatchTime.now().uptimeNanoseconds
        var done = 0
        // Each recorded event is evaluated in place, as the sensor hands its events over: `for event in
        // stream.events` would copy every event (retaining each of its strings) at a cost above most evaluations.
        stream.events.withUnsafeBufferPointer { recorded in
            guard let first = recorded.baseAddress else { return }
            withUnsafePointer(to: table) { tablePointer in
                while done < events {
                    for index in recorded.indices {
                        matched &+= engine.matches(at: first + index, processes: tablePointer)
                        done += 1
                        if done == events { break }
                    }
                }
            }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let rate = Double(done) / seconds
        if json {
            let line = String(format: #"{"events":%d,"recorded":%d,"seconds":%.3f,"eventsPerSecond":%.0f,"alerts":%d}"#,
                              done, stream.events.count, seconds, rate, matched)
            Terminal.write(line + "\n", to: 1)
        } else {
            Terminal.write(String(format: "%d events (%d recorded) in %.3f s: %.0f events/s, %d matches\n",
                                  done, stream.events.count, seconds, rate, matched), to: 1)
        }
    }
}

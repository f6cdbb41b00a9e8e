import ArgumentParser
import ShrikeCore
import ShrikeRules

struct RulesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Check and list rule files in Falco's rule language.",
        subcommands: [RulesValidateCommand.self, RulesListCommand.self, RulesReplayCommand.self, RulesBenchCommand.self]
    )
}

struct RulesValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Load rule files as `shrike watch --rules` would and report problems.",
        discussion: """
            Prints the number of rules, macros and lists, every warning, and per rule the fields Shrike leaves \
            <NA>. Exits 1 with "file:line: message" when a file does not load. With --strict, also exits 1 when an \
            enabled rule depends (directly or through its macros) on a field Shrike leaves <NA>, with one \
            "file:line: unfilled-field: rule '…' depends on …" line per such rule on standard error.
            """
    )

    @Argument(help: "Rule files, loaded in order (later definitions override earlier ones).")
    var files: [String]

    @Flag(help: "Fail when an enabled rule depends on a field Shrike leaves <NA> (error code unfilled-field).")
    var strict = false

    @Option(name: .shortAndLong, help: "Output format: text or json.")
    var output = "text"

    @Flag(name: .customLong("json"), help: "Print the report as JSON (the same as -o json).")
    var json = false

    func validate() throws {
        guard ["text", "json"].contains(output) else { throw ValidationError("-o must be text or json") }
    }

    func run() async throws {
        let report = RuleValidationReport.validate(paths: files, strict: strict)
        if json || output == "json" {
            Terminal.write(report.json + "\n")
        } else if let line = report.errorLine {
            Terminal.write(line + "\n", to: 2)
        } else {
            Terminal.write(report.text)
            for line in report.strictErrorLines { Terminal.write(line + "\n", to: 2) }
        }
        if !report.ok { throw ExitCode(1) }
    }
}

struct RulesListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the rules `shrike watch` would load (the default rules without --rules)."
    )

    @Option(name: .customLong("rules"), help: "A rule file (repeatable, loaded in order).")
    var rules: [String] = []

    @Option(name: .shortAndLong, help: "Output format: table, json, or yaml (the effective rule file).")
    var output = "table"

    func validate() throws {
        guard ["table", "json", "yaml"].contains(output) else { throw ValidationError("-o must be table, json or yaml") }
    }

    func run() async throws {
        try await CommandFailure.run {
            let set = try CompiledRuleSet.forWatch(paths: rules)
            switch output {
            case "yaml": Terminal.write(RuleListing.yaml(set))
            case "json": Terminal.write(RuleListing.json(set))
            default: Terminal.write(RuleListing.table(set))
            }
        }
    }
}

/// Measures the rules engine's throughput on one core (hidden: for `make bench` and the README's figures).
struct RulesBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", shouldDisplay: false)

    @Option(name: .customLong("seconds"), help: "How long to run.")
    var seconds = 2.0

    func run() async throws {
        try await CommandFailure.run {
            let result = try RuleEngineBenchmark.run(seconds: seconds)
            let rate = Int(result.eventsPerSecond)
            Terminal.write("\(result.rules) rules, \(result.events) events in \(result.seconds) s: \(rate) events/s, "
                           + "\(result.alerts) alerts\n")
        }
    }
}

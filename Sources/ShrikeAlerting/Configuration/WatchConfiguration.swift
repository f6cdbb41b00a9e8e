import Foundation
import Logging
import ShrikeCore
import ShrikeRules

/// The settings of `shrike watch`, from `shrike.yaml` and from flags: every key has a flag and a flag wins.
///
/// Every property is optional: nil means "not set here", so a file and the flags merge with
/// `overriding(with:)`, and the watch command applies its own defaults to what is still nil. Load a file with
/// `load(path:)` or `loadDefault(explicitPath:)`; keys are written `snake_case` (`record_dir`) or `kebab-case`
/// (`record-dir`), and an unknown key or a wrong type is an error naming the file and line.
public struct WatchConfiguration: Sendable, Equatable {
    /// Where the configuration is read from when `--config` is not given (a missing file there is not an error).
    public static let defaultPath = "/etc/shrike/shrike.yaml"

    /// Rule files to load instead of the default ruleset (`--rules`).
    public var rulesFiles: [String]?
    /// Alert outputs (`--output`); none means stdout.
    public var outputs: [AlertOutputSpec]?
    /// JSON on stdout (`--json`).
    public var json: Bool?
    /// The least severe priority any output takes unless its own spec says (`--min-priority`).
    public var minimumPriority: RulePriority?
    /// Seconds in which repeated alerts of one rule and process fold into one with a count (`--dedup-window`).
    public var dedupWindow: Double?
    /// Stop at the first matching rule per event, as Falco does (`--first-match`); off: every matching rule fires.
    public var firstMatch: Bool?
    /// Where the flight recorder keeps incidents (`--record-dir`).
    public var recordDirectory: String?
    /// Seconds of events kept before and after an alert (`--before`, `--after`).
    public var before: Double?
    public var after: Double?
    /// The kernel ring buffer in MiB (`--ring-buffer-mib`).
    public var ringBufferMiB: Int?
    /// The file these settings came from, for messages; nil for flags.
    public var sourcePath: String?

    public init(rulesFiles: [String]? = nil, outputs: [AlertOutputSpec]? = nil, json: Bool? = nil,
                minimumPriority: RulePriority? = nil, dedupWindow: Double? = nil, firstMatch: Bool? = nil,
                recordDirectory: String? = nil, before: Double? = nil, after: Double? = nil,
                ringBufferMiB: Int? = nil, sourcePath: String? = nil) {
        self.rulesFiles = rulesFiles
        self.outputs = outputs
        self.json = json
        self.minimumPriority = minimumPriority
        self.dedupWindow = dedupWindow
        self.firstMatch = firstMatch
        self.recordDirectory = recordDirectory
        self.before = before
        self.after = after
        self.ringBufferMiB = ringBufferMiB
        self.sourcePath = sourcePath
    }

    /// These settings with every value `flags` sets put over them. Empty lists in `flags` count as not set (a
    /// repeatable flag that was not given), so `--rules`/`--output` replace the file's lists only when used.
    public func overriding(with flags: WatchConfiguration) -> WatchConfiguration {
        var merged = self
        if let rules = flags.rulesFiles, !rules.isEmpty { merged.rulesFiles = rules }
        if let outputs = flags.outputs, !outputs.isEmpty { merged.outputs = outputs }
        if let json = flags.json { merged.json = json }
        if let priority = flags.minimumPriority { merged.minimumPriority = priority }
        if let window = flags.dedupWindow { merged.dedupWindow = window }
        if let firstMatch = flags.firstMatch { merged.firstMatch = firstMatch }
        if let directory = flags.recordDirectory { merged.recordDirectory = directory }
        if let before = flags.before { merged.before = before }
        if let after = flags.after { merged.after = after }
        if let size = flags.ringBufferMiB { merged.ringBufferMiB = size }
        return merged
    }

    /// Opens the alert outputs these settings describe: `outputs` (stdout when none), stdout in JSON when `json`,
    /// `minimumPriority` for outputs without their own. Install `reopenSignal`'s SIGHUP handler before alerts flow.
    ///
    /// - Parameter color: colour the priority on a text stdout; pass `AlertColorPolicy.useColor()`.
    /// - Throws: the first output that cannot open (`ShrikeError` naming its file, CA file or URL).
    public func makeAlertDispatcher(color: Bool, reopenSignal: LogReopenSignal = .shared,
                                    logger: Logger = Logger(label: "shrike.alerts")) throws -> AlertDispatcher {
        try AlertDispatcher(specs: outputs ?? [], json: json ?? false, color: color, minimumPriority: minimumPriority,
                            reopenSignal: reopenSignal, logger: logger)
    }

    /// Reads `explicitPath` (`--config`, which must exist) or else `defaultPath` when that file exists; empty
    /// settings when neither applies.
    public static func loadDefault(explicitPath: String?, defaultPath: String = WatchConfiguration.defaultPath) throws
        -> WatchConfiguration {
        if let explicitPath { return try load(path: explicitPath) }
        guard FileManager.default.fileExists(atPath: defaultPath) else { return WatchConfiguration() }
        return try load(path: defaultPath)
    }

    /// Reads and checks a shrike.yaml.
    ///
    /// Relative paths in it (rules, record_dir, file outputs, ca_file, socket) are taken relative to the file's
    /// directory, so a configuration means the same from any working directory.
    /// - Throws: `ShrikeError(.notFound)`/`(.io)` when the file cannot be read; `ShrikeError(.malformed)` with input
    ///   `PATH:LINE` for invalid YAML, unknown keys, wrong types and bad output specs.
    public static func load(path: String) throws -> WatchConfiguration {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ShrikeError(.notFound, "the configuration file does not exist; check the --config path", input: path)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ShrikeError(.io, "cannot read the configuration file", input: path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ShrikeError(.malformed, "the configuration file is not UTF-8 text", input: path)
        }
        let base = (path as NSString).deletingLastPathComponent
        return try parse(yaml: text, path: path, baseDirectory: base.isEmpty ? "." : base)
    }

    /// Parses shrike.yaml text; `path` names it in errors, `baseDirectory` anchors relative paths (nil keeps them).
    public static func parse(yaml: String, path: String, baseDirectory: String? = nil) throws -> WatchConfiguration {
        var reader = WatchConfigurationReader(path: path, baseDirectory: baseDirectory)
        var configuration = try reader.read(yaml)
        configuration.sourcePath = path
        return configuration
    }
}

import Foundation
import Logging
import ShrikeCore
import ShrikeRules

/// One configured alert output, as `--output SPEC` or an `outputs:` entry of shrike.yaml describes it.
///
/// The spec grammar is `KIND[:ARGUMENT][#OPTION=VALUE&OPTION=VALUE…]` (values percent-decoded):
///
/// | spec | output |
/// |---|---|
/// | `stdout`, `stdout:json`, `stdout:text` | standard output (text unless `:json` or `--json`) |
/// | `file:PATH` | JSON lines appended to PATH (0600), reopened on SIGHUP |
/// | `syslog`, `syslog:FACILITY` | `/dev/log`, facility `daemon` unless given |
/// | `webhook:URL` | JSON POST per alert to URL (http or https) |
///
/// Options for every kind: `min-priority=warning`, `format=json|text` (not for webhook). `syslog` also takes
/// `socket=PATH` and `rfc=3164|5424`; `webhook` takes `ca=PEMFILE`, `header=Name:Value` (repeatable), `queue=N`,
/// `batch=N`, `timeout=SECONDS`, `retries=N`, `backoff=SECONDS`, `max-backoff=SECONDS`, `drain=SECONDS`. The `#`
/// cannot clash with a URL's own query: a fragment is never sent to the server.
public struct AlertOutputSpec: Sendable, Equatable, CustomStringConvertible {
    public enum Destination: Sendable, Equatable {
        case stdout
        case file(path: String)
        case syslog(SyslogSettings)
        case webhook(WebhookSettings)
    }

    public var destination: Destination
    /// Text or JSON; nil takes the kind's default (stdout: `--json`; file: JSON; syslog: text; webhook: always JSON).
    public var format: AlertFormat?
    /// The least severe priority this output takes; nil takes the dispatcher's default.
    public var minimumPriority: RulePriority?

    public init(destination: Destination, format: AlertFormat? = nil, minimumPriority: RulePriority? = nil) {
        self.destination = destination
        self.format = format
        self.minimumPriority = minimumPriority
    }

    /// Parses a spec string (see the type's documentation).
    ///
    /// - Throws: `ShrikeError(.usage)` whose input is the spec and whose message names the problem and the fix.
    public init(parsing spec: String) throws {
        func fail(_ message: String) -> ShrikeError {
            ShrikeError(.usage, "bad output spec: \(message)", input: spec)
        }
        let trimmed = spec.trimmingCharacters(in: .whitespaces)
        var head = Substring(trimmed)
        var optionText: Substring?
        if let hash = trimmed.firstIndex(of: "#") {
            head = trimmed[..<hash]
            optionText = trimmed[trimmed.index(after: hash)...]
        }
        let kind: Substring
        let argument: String?
        if let colon = head.firstIndex(of: ":") {
            kind = head[..<colon]
            argument = String(head[head.index(after: colon)...])
        } else {
            kind = head
            argument = nil
        }
        var options: [(key: String, value: String)] = []
        if let optionText {
            for part in optionText.split(separator: "&", omittingEmptySubsequences: true) {
                guard let equals = part.firstIndex(of: "=") else {
                    throw fail("option '\(part)' needs a value (name=value)")
                }
                let key = String(part[..<equals]).lowercased()
                let raw = String(part[part.index(after: equals)...])
                guard let value = raw.removingPercentEncoding else {
                    throw fail("option '\(key)' has a broken percent-escape in '\(raw)'")
                }
                options.append((key, value))
            }
        }

        var format: AlertFormat?
        var minimumPriority: RulePriority?
        var remaining: [(key: String, value: String)] = []
        for option in options {
            switch option.key {
            case "format":
                guard let parsed = AlertFormat(rawValue: option.value.lowercased()) else {
                    throw fail("format must be json or text, not '\(option.value)'")
                }
                format = parsed
            case "min-priority", "min_priority", "priority":
                guard let parsed = RulePriority(name: option.value) else {
                    throw fail("'\(option.value)' is not a priority (emergency, alert, critical, error, warning, "
                                + "notice, informational, debug)")
                }
                minimumPriority = parsed
            default:
                remaining.append(option)
            }
        }

        func rejectOptions(_ kindName: String) throws {
            if let first = remaining.first {
                throw fail("\(kindName) has no option '\(first.key)'")
            }
        }

        switch kind.lowercased() {
        case "stdout":
            switch argument?.lowercased() {
            case nil, "": break
            case "json": format = format ?? .json
            case "text": format = format ?? .text
            case let other?: throw fail("stdout takes json or text, not '\(other)'")
            }
            try rejectOptions("stdout")
            self.init(destination: .stdout, format: format, minimumPriority: minimumPriority)
        case "file":
            guard let path = argument, !path.isEmpty else { throw fail("file needs a path: file:PATH") }
            try rejectOptions("file")
            self.init(destination: .file(path: path), format: format, minimumPriority: minimumPriority)
        case "syslog":
            var settings = SyslogSettings()
            if let name = argument, !name.isEmpty {
                guard let facility = SyslogFacility(name: name) else {
                    throw fail("'\(name)' is not a syslog facility (daemon, user, auth, authpriv, local0 … local7, …)")
                }
                settings.facility = facility
            }
            for option in remaining {
                switch option.key {
                case "socket":
                    guard !option.value.isEmpty else { throw fail("socket needs a path") }
                    settings.socketPath = option.value
                case "rfc", "framing":
                    switch option.value.lowercased() {
                    case "3164", "rfc3164": settings.framing = .rfc3164
                    case "5424", "rfc5424": settings.framing = .rfc5424
                    default: throw fail("rfc must be 3164 or 5424, not '\(option.value)'")
                    }
                default: throw fail("syslog has no option '\(option.key)'")
                }
            }
            self.init(destination: .syslog(settings), format: format, minimumPriority: minimumPriority)
        case "webhook", "http", "https":
            // `http://…`/`https://…` without the `webhook:` prefix read as a webhook too.
            let url = kind.lowercased() == "webhook" ? (argument ?? "") : String(head)
            guard !url.isEmpty else { throw fail("webhook needs a URL: webhook:https://host/path") }
            if format == .text { throw fail("webhook always posts JSON; drop format=text") }
            var settings = WebhookSettings(url: url)
            func number(_ option: (key: String, value: String)) throws -> Double {
                guard let value = Double(option.value), value.isFinite else {
                    throw fail("\(option.key) must be a number, not '\(option.value)'")
                }
                return value
            }
            func integer(_ option: (key: String, value: String)) throws -> Int {
                guard let value = Int(option.value) else {
                    throw fail("\(option.key) must be a whole number, not '\(option.value)'")
                }
                return value
            }
            for option in remaining {
                switch option.key {
                case "ca", "ca-file", "ca_file": settings.caFile = option.value
                case "header":
                    guard let colon = option.value.firstIndex(of: ":") else {
                        throw fail("header must be Name:Value, not '\(option.value)'")
                    }
                    let name = option.value[..<colon].trimmingCharacters(in: .whitespaces)
                    let value = option.value[option.value.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                    settings.headers.append(.init(name: name, value: value))
                case "queue", "queue-size", "queue_size": settings.queueSize = try integer(option)
                case "batch", "batch-size", "batch_size": settings.batchSize = try integer(option)
                case "timeout": settings.timeout = try number(option)
                case "retries": settings.retries = try integer(option)
                case "backoff": settings.initialBackoff = try number(option)
                case "max-backoff", "max_backoff": settings.maxBackoff = try number(option)
                case "drain", "drain-timeout", "drain_timeout": settings.drainTimeout = try number(option)
                default: throw fail("webhook has no option '\(option.key)'")
                }
            }
            do {
                try settings.validate()
            } catch let error as ShrikeError {
                throw fail(error.message)
            }
            self.init(destination: .webhook(settings), format: .json, minimumPriority: minimumPriority)
        case "":
            throw fail("empty spec; use stdout, stdout:json, file:PATH, syslog[:FACILITY] or webhook:URL")
        default:
            throw fail("unknown output '\(kind)'; use stdout, stdout:json, file:PATH, syslog[:FACILITY] or webhook:URL")
        }
    }

    /// The spec's kind and target, as statistics name it: `stdout`, `file:/x`, `syslog:daemon`, `webhook:https://h/p`.
    public var description: String {
        switch destination {
        case .stdout: format == .json ? "stdout:json" : "stdout"
        case .file(let path): "file:" + path
        case .syslog(let settings): "syslog:" + settings.facility.name
        case .webhook(let settings): "webhook:" + WebhookSettings.redacted(settings.url)
        }
    }

    /// Opens the output this spec describes.
    func makeOutput(json: Bool, color: Bool, reopenSignal: LogReopenSignal, logger: Logger) throws -> any AlertOutput {
        switch destination {
        case .stdout:
            let chosen = format ?? (json ? .json : .text)
            return StandardOutputAlertOutput(format: chosen, color: color && chosen == .text)
        case .file(let path):
            return try JSONLinesFileAlertOutput(path: path, format: format ?? .json, reopenSignal: reopenSignal)
        case .syslog(let settings):
            return SyslogAlertOutput(facility: settings.facility, format: format ?? .text, framing: settings.framing,
                                     socketPath: settings.socketPath)
        case .webhook(let settings):
            return try WebhookAlertOutput(settings: settings, logger: logger)
        }
    }
}

import Foundation
import ShrikeCore
import ShrikeRules
import Yams

/// Walks shrike.yaml's YAML tree (Yams.compose keeps each node's line), so every error names the file and line.
struct WatchConfigurationReader {
    let path: String
    let baseDirectory: String?

    static let topLevelKeys = ["rules", "outputs", "json", "min_priority", "dedup_window", "first_match",
                               "record_dir", "before", "after", "ring_buffer_mib"]
    static let outputKeys: [String: [String]] = [
        "stdout": ["format"],
        "file": ["path", "format"],
        "syslog": ["facility", "format", "socket", "rfc"],
        "webhook": ["url", "headers", "ca_file", "queue_size", "batch_size", "timeout", "retries", "backoff",
                    "max_backoff", "drain_timeout"],
    ]

    init(path: String, baseDirectory: String?) {
        self.path = path
        self.baseDirectory = baseDirectory
    }

    mutating func read(_ yaml: String) throws -> WatchConfiguration {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw yamlError(error)
        }
        var configuration = WatchConfiguration()
        guard let root else { return configuration }
        guard case .mapping(let mapping) = root else {
            throw failure(root, "the configuration must be a mapping of settings (key: value)")
        }
        for (keyNode, value) in mapping {
            let key = try name(of: keyNode)
            if isNull(value) { continue }
            switch key {
            case "rules": configuration.rulesFiles = try stringList(value, key: key).map(resolve)
            case "outputs": configuration.outputs = try outputs(value)
            case "json": configuration.json = try bool(value, key: key)
            case "min_priority": configuration.minimumPriority = try priority(value, key: key)
            case "dedup_window": configuration.dedupWindow = try seconds(value, key: key)
            case "first_match": configuration.firstMatch = try bool(value, key: key)
            case "record_dir": configuration.recordDirectory = resolve(try string(value, key: key))
            case "before": configuration.before = try seconds(value, key: key)
            case "after": configuration.after = try seconds(value, key: key)
            case "ring_buffer_mib":
                let size = try integer(value, key: key)
                guard (1...1024).contains(size) else { throw failure(value, "ring_buffer_mib must be 1…1024") }
                configuration.ringBufferMiB = size
            default:
                throw failure(keyNode, "unknown key '\(keyNode.scalar?.string ?? key)'; known keys: "
                                + Self.topLevelKeys.joined(separator: ", "))
            }
        }
        return configuration
    }

    // MARK: - Outputs

    private func outputs(_ node: Node) throws -> [AlertOutputSpec] {
        guard case .sequence(let sequence) = node else {
            throw failure(node, "outputs must be a list of output specs or mappings")
        }
        return try sequence.map { entry in
            switch entry {
            case .scalar(let scalar):
                do {
                    return resolvePaths(try AlertOutputSpec(parsing: scalar.string))
                } catch let error as ShrikeError {
                    throw failure(entry, error.message + " ('\(scalar.string)')")
                }
            case .mapping(let mapping):
                return try output(mapping, node: entry)
            case .sequence:
                throw failure(entry, "an output is a spec string or a mapping with a type, not a list")
            }
        }
    }

    private func output(_ mapping: Node.Mapping, node: Node) throws -> AlertOutputSpec {
        guard let typeNode = mapping["type"] else {
            throw failure(node, "an output mapping needs a type: stdout, file, syslog or webhook")
        }
        let type = try string(typeNode, key: "type").lowercased()
        guard let allowed = Self.outputKeys[type] else {
            throw failure(typeNode, "unknown output type '\(type)'; use stdout, file, syslog or webhook")
        }
        var format: AlertFormat?
        var minimumPriority: RulePriority?
        var values: [String: Node] = [:]
        for (keyNode, value) in mapping {
            let key = try name(of: keyNode)
            switch key {
            case "type": continue
            case "min_priority": minimumPriority = try priority(value, key: key)
            case "format" where allowed.contains("format"):
                guard let parsed = AlertFormat(rawValue: try string(value, key: key).lowercased()) else {
                    throw failure(value, "format must be json or text")
                }
                format = parsed
            case _ where allowed.contains(key):
                values[key] = value
            default:
                throw failure(keyNode, "unknown key '\(keyNode.scalar?.string ?? key)' for a \(type) output; known "
                                + "keys: type, min_priority, " + allowed.joined(separator: ", "))
            }
        }
        switch type {
        case "stdout":
            return AlertOutputSpec(destination: .stdout, format: format, minimumPriority: minimumPriority)
        case "file":
            guard let pathNode = values["path"] else { throw failure(node, "a file output needs a path") }
            return AlertOutputSpec(destination: .file(path: resolve(try string(pathNode, key: "path"))),
                                   format: format, minimumPriority: minimumPriority)
        case "syslog":
            var settings = SyslogSettings()
            if let value = values["facility"] {
                let name = try string(value, key: "facility")
                guard let facility = SyslogFacility(name: name) else {
                    throw failure(value, "'\(name)' is not a syslog facility (daemon, user, auth, local0 … local7, …)")
                }
                settings.facility = facility
            }
            if let value = values["socket"] { settings.socketPath = resolve(try string(value, key: "socket")) }
            if let value = values["rfc"] {
                switch try string(value, key: "rfc").lowercased() {
                case "3164", "rfc3164": settings.framing = .rfc3164
                case "5424", "rfc5424": settings.framing = .rfc5424
                default: throw failure(value, "rfc must be 3164 or 5424")
                }
            }
            return AlertOutputSpec(destination: .syslog(settings), format: format, minimumPriority: minimumPriority)
        default:
            guard let urlNode = values["url"] else { throw failure(node, "a webhook output needs a url") }
            var settings = WebhookSettings(url: try string(urlNode, key: "url"))
            if let value = values["headers"] {
                guard case .mapping(let headers) = value else {
                    throw failure(value, "headers must be a mapping of header names to values")
                }
                for (nameNode, valueNode) in headers {
                    settings.headers.append(.init(name: try string(nameNode, key: "headers"),
                                                  value: try string(valueNode, key: "headers")))
                }
            }
            if let value = values["ca_file"] { settings.caFile = resolve(try string(value, key: "ca_file")) }
            if let value = values["queue_size"] { settings.queueSize = try integer(value, key: "queue_size") }
            if let value = values["batch_size"] { settings.batchSize = try integer(value, key: "batch_size") }
            if let value = values["timeout"] { settings.timeout = try seconds(value, key: "timeout") }
            if let value = values["retries"] { settings.retries = try integer(value, key: "retries") }
            if let value = values["backoff"] { settings.initialBackoff = try seconds(value, key: "backoff") }
            if let value = values["max_backoff"] { settings.maxBackoff = try seconds(value, key: "max_backoff") }
            if let value = values["drain_timeout"] { settings.drainTimeout = try seconds(value, key: "drain_timeout") }
            do {
                try settings.validate()
            } catch let error as ShrikeError {
                throw failure(urlNode, error.message)
            }
            return AlertOutputSpec(destination: .webhook(settings), format: .json, minimumPriority: minimumPriority)
        }
    }

    /// Relative paths in a spec string are relative to the configuration file too.
    private func resolvePaths(_ spec: AlertOutputSpec) -> AlertOutputSpec {
        var copy = spec
        switch spec.destination {
        case .file(let path): copy.destination = .file(path: resolve(path))
        case .syslog(var settings):
            settings.socketPath = resolve(settings.socketPath)
            copy.destination = .syslog(settings)
        case .webhook(var settings):
            settings.caFile = settings.caFile.map(resolve)
            copy.destination = .webhook(settings)
        case .stdout: break
        }
        return copy
    }

    // MARK: - Scalars

    private func name(of node: Node) throws -> String {
        guard let text = node.scalar?.string else { throw failure(node, "a key must be a plain name") }
        return text.replacingOccurrences(of: "-", with: "_").lowercased()
    }

    private func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    private func string(_ node: Node, key: String) throws -> String {
        guard case .scalar(let scalar) = node else { throw failure(node, "\(key) must be a single value") }
        return scalar.string
    }

    private func stringList(_ node: Node, key: String) throws -> [String] {
        switch node {
        case .scalar(let scalar): return [scalar.string]
        case .sequence(let sequence): return try sequence.map { try string($0, key: key) }
        case .mapping: throw failure(node, "\(key) must be a list of paths")
        }
    }

    private func bool(_ node: Node, key: String) throws -> Bool {
        switch try string(node, key: key).lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw failure(node, "\(key) must be true or false")
        }
    }

    private func integer(_ node: Node, key: String) throws -> Int {
        guard let value = Int(try string(node, key: key)) else { throw failure(node, "\(key) must be a whole number") }
        return value
    }

    private func seconds(_ node: Node, key: String) throws -> Double {
        guard let value = Double(try string(node, key: key)), value.isFinite, value >= 0 else {
            throw failure(node, "\(key) must be a number of seconds (0 or more)")
        }
        return value
    }

    private func priority(_ node: Node, key: String) throws -> RulePriority {
        let text = try string(node, key: key)
        guard let priority = RulePriority(name: text) else {
            throw failure(node, "'\(text)' is not a priority (emergency, alert, critical, error, warning, notice, "
                            + "informational, debug)")
        }
        return priority
    }

    private func resolve(_ file: String) -> String {
        guard let baseDirectory, !file.hasPrefix("/"), !file.isEmpty else { return file }
        return (baseDirectory as NSString).appendingPathComponent(file)
    }

    // MARK: - Errors

    private func failure(_ node: Node, _ message: String) -> ShrikeError {
        let location = node.mark.map { "\(path):\($0.line)" } ?? path
        return ShrikeError(.malformed, message, input: location)
    }

    private func yamlError(_ error: YamlError) -> ShrikeError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
             .composer(_, let problem, let mark, _):
            return ShrikeError(.malformed, "invalid YAML: \(problem)", input: "\(path):\(mark.line)")
        default:
            let text = String(describing: error).split(whereSeparator: \.isNewline).first.map(String.init) ?? "invalid YAML"
            return ShrikeError(.malformed, "invalid YAML: \(text)", input: path)
        }
    }
}

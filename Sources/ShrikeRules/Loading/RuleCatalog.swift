import Foundation
import ShrikeCore
import Yams

/// The lists, macros and rules of one or more rule files, merged in load order with Falco's semantics: a later
/// definition of the same name replaces the earlier one (keeping its place), `override:`/`append: true` change it,
/// and a rule with only `enabled:` toggles it.
///
/// Loading checks the YAML's shape (unknown keys, missing keys, wrong types); conditions are checked by
/// `RuleCompiler`. Every error is a `ShrikeError` whose input is `file:line` (`file:line:column` for a token inside a
/// condition).
public struct RuleCatalog: Sendable {
    public private(set) var lists: [ListDefinition] = []
    public private(set) var macros: [MacroDefinition] = []
    public private(set) var rules: [RuleDefinition] = []
    public private(set) var warnings: [RuleWarning] = []
    /// The highest `required_engine_version` any file asked for (as `major.minor.patch`).
    public private(set) var requiredEngineVersion: String?
    private var listIndex: [String: Int] = [:]
    private var macroIndex: [String: Int] = [:]
    private var ruleIndex: [String: Int] = [:]

    /// The engine version Shrike claims for `required_engine_version` checks (Falco's numbering; a bare number N
    /// means 0.N.0). 0.57.0 is Falco 0.42's engine (libs 0.22): see docs/falco-engine-compat.md for what each
    /// version between 0.50.0 and 0.57.0 changed and how Shrike matches it.
    public static let engineVersion = (0, 57, 0)

    /// The container plugin whose fields (`container.*`, the CRI `k8s.pod.*`/`k8s.ns.name`) Shrike provides itself:
    /// a `required_plugin_versions` entry for `container` up to this version is satisfied without the plugin.
    public static let containerPluginVersion = (0, 4, 0)

    public init() {}

    /// Loads `sources` in order.
    public init(sources: [RuleSource]) throws {
        for source in sources { try load(source) }
    }

    /// Reads and loads rule files in order.
    public init(paths: [String]) throws {
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ShrikeError(.notFound, "cannot read the rule file: check the path and permissions", input: path)
            }
            try load(RuleSource(name: path, text: String(decoding: data, as: UTF8.self)))
        }
    }

    public func list(named name: String) -> ListDefinition? { listIndex[name].map { lists[$0] } }
    public func macro(named name: String) -> MacroDefinition? { macroIndex[name].map { macros[$0] } }
    public func rule(named name: String) -> RuleDefinition? { ruleIndex[name].map { rules[$0] } }

    // MARK: - Loading one file

    public mutating func load(_ source: RuleSource) throws {
        let root: Node?
        do {
            root = try Yams.compose(yaml: source.text)
        } catch {
            throw ShrikeError(.malformed, "not valid YAML: \(error)", input: source.name)
        }
        guard let root else { return }
        let text = YAMLSourceText(source.text)
        if case .scalar(let scalar) = root, scalar.string.isEmpty { return }
        guard case .sequence(let items) = root else {
            throw failure(source.name, root, "a rule file must be a YAML list of rule, macro and list items")
        }
        for item in items {
            guard case .mapping(let mapping) = item else {
                throw failure(source.name, item, "each item must be a mapping with a rule, macro, list or "
                              + "required_engine_version key")
            }
            let map = YAMLMap(mapping, file: source.name, source: text)
            if map.has("rule") {
                try loadRule(map)
            } else if map.has("macro") {
                try loadMacro(map)
            } else if map.has("list") {
                try loadList(map)
            } else if let version = map["required_engine_version"] {
                try checkEngineVersion(version, map: map)
            } else if let requirements = map["required_plugin_versions"] {
                try checkPluginVersions(requirements, map: map)
            } else {
                let key = map.keys.first ?? "?"
                throw map.failure(map.keyNode(key) ?? item, "unknown item '\(key)': expected rule, macro, list, "
                                  + "required_engine_version or required_plugin_versions")
            }
        }
    }

    /// `major.minor.patch` (a bare number N is 0.N.0, Falco's old numbering), or nil.
    static func version(_ text: String) -> (Int, Int, Int)? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        if parts.count == 1, let number = parts[0] { return (0, number, 0) }
        if parts.count == 3, let a = parts[0], let b = parts[1], let c = parts[2] { return (a, b, c) }
        return nil
    }

    private static func render(_ version: (Int, Int, Int)) -> String { "\(version.0).\(version.1).\(version.2)" }

    private mutating func checkEngineVersion(_ node: Node, map: YAMLMap) throws {
        let text = node.string ?? ""
        guard let version = Self.version(text) else {
            throw map.failure(node, "required_engine_version '\(text)' is neither a number nor major.minor.patch")
        }
        let rendered = Self.render(version)
        if version > Self.engineVersion {
            throw map.failure(node, "the file requires Falco engine version \(rendered); Shrike provides "
                              + "\(Self.render(Self.engineVersion)): use rules written for engine "
                              + "\(Self.render(Self.engineVersion)) or older (Falco 0.42's falcosecurity/rules)")
        }
        if let current = requiredEngineVersion.flatMap(Self.version) {
            if version > current { requiredEngineVersion = rendered }
        } else {
            requiredEngineVersion = rendered
        }
    }

    /// Falco's `required_plugin_versions`: a list of `{name, version, alternatives: [{name, version}]}`, any one of
    /// an entry and its alternatives satisfying it. `container` is satisfied by Shrike's own container fields (a
    /// warning says so); other plugins are warned about and ignored, since Shrike has no plugins and rules of their
    /// sources are loaded but inactive.
    private mutating func checkPluginVersions(_ node: Node, map: YAMLMap) throws {
        guard case .sequence(let entries) = node else {
            throw map.failure(node, "required_plugin_versions must be a list of {name, version} entries")
        }
        for entry in entries {
            let candidates = try pluginRequirement(entry, map: map, allowAlternatives: true)
            let location = SourceLocation(file: map.file, line: entry.mark?.line ?? map.location.line)
            let wanted = candidates.map { "\($0.name) \($0.text)" }.joined(separator: " or ")
            if let container = candidates.first(where: { $0.name == "container" }) {
                let provided = Self.render(Self.containerPluginVersion)
                if container.version > Self.containerPluginVersion {
                    warnings.append(RuleWarning(location: location, message: "required_plugin_versions: plugin "
                        + "'container' \(container.text) accepted, but Shrike fills the container plugin's fields as of "
                        + "\(provided): fields newer plugins added are unknown"))
                } else {
                    warnings.append(RuleWarning(location: location, message: "required_plugin_versions: plugin "
                        + "'container' \(container.text) accepted: Shrike fills the container plugin's fields "
                        + "(\(provided)) itself, no plugin is loaded"))
                }
            } else {
                warnings.append(RuleWarning(location: location, message: "required_plugin_versions: \(wanted) "
                    + "ignored: Shrike has no plugins (only the syscall source); rules of other sources are inactive"))
            }
        }
    }

    /// One entry and, when allowed, its alternatives, checked as Falco checks them (name and semver version).
    private func pluginRequirement(_ node: Node, map: YAMLMap, allowAlternatives: Bool) throws
        -> [(name: String, version: (Int, Int, Int), text: String)] {
        guard case .mapping(let mapping) = node else {
            throw map.failure(node, "each required_plugin_versions entry must be a mapping with name and version")
        }
        let entry = YAMLMap(mapping, file: map.file, source: map.source)
        try entry.allowOnly(allowAlternatives ? ["name", "version", "alternatives"] : ["name", "version"])
        let name = try entry.requiredString("name")
        let text = try entry.requiredString("version")
        guard let version = Self.version(text), text.contains(".") else {
            throw entry.failure(entry["version"] ?? node, "plugin '\(name)' version '\(text)' is not "
                                + "major.minor.patch")
        }
        var result = [(name: name, version: version, text: text)]
        if let alternatives = entry["alternatives"] {
            guard case .sequence(let items) = alternatives else {
                throw entry.failure(alternatives, "alternatives of plugin '\(name)' must be a list of {name, version}")
            }
            for item in items { result += try pluginRequirement(item, map: map, allowAlternatives: false) }
        }
        return result
    }

    // MARK: - Lists

    private mutating func loadList(_ map: YAMLMap) throws {
        try map.allowOnly(["list", "items", "append", "override"])
        let name = try map.requiredString("list")
        let mode = try map.changeMode(for: ["items"], appendable: ["items"])
        let items = try map.stringList("items")
        switch mode {
        case .define:
            guard let items else { throw map.failure(map.node, "list '\(name)' has no items key") }
            let definition = ListDefinition(name: name, items: items, location: map.location)
            if let index = listIndex[name] { lists[index] = definition } else {
                listIndex[name] = lists.count
                lists.append(definition)
            }
        case .change(let changes):
            guard let index = listIndex[name] else {
                throw map.failure(map.node, "list '\(name)' has 'append' or 'override' but no list by that name "
                                  + "was defined before")
            }
            if let items {
                if changes["items"] == .replace { lists[index].items = items } else { lists[index].items += items }
            }
        }
    }

    // MARK: - Macros

    private mutating func loadMacro(_ map: YAMLMap) throws {
        try map.allowOnly(["macro", "condition", "append", "override"])
        let name = try map.requiredString("macro")
        let mode = try map.changeMode(for: ["condition"], appendable: ["condition"])
        let condition = try map.string("condition")
        let conditionLocation = map.location(of: "condition")
        switch mode {
        case .define:
            guard let condition else { throw map.failure(map.node, "macro '\(name)' has no condition key") }
            let definition = MacroDefinition(name: name, condition: condition, location: map.location,
                                             conditionLocation: conditionLocation)
            if let index = macroIndex[name] { macros[index] = definition } else {
                macroIndex[name] = macros.count
                macros.append(definition)
            }
        case .change(let changes):
            guard let index = macroIndex[name] else {
                throw map.failure(map.node, "macro '\(name)' has 'append' or 'override' but no macro by that name "
                                  + "was defined before")
            }
            if let condition {
                if changes["condition"] == .replace {
                    macros[index].condition = condition
                    macros[index].conditionLocation = conditionLocation
                } else {
                    macros[index].conditionLocation = macros[index].conditionLocation
                        .appending(conditionLocation, at: macros[index].condition.utf8.count + 1)
                    macros[index].condition += " " + condition
                }
            }
        }
    }

    // MARK: - Rules

    private static let ruleKeys: Set<String> = [
        "rule", "condition", "desc", "output", "priority", "enabled", "tags", "exceptions", "source",
        "warn_evttypes", "skip-if-unknown-filter", "capture", "capture_duration", "append", "override",
        "response", "response_allow", "response_cgroup",
    ]
    private static let appendableRuleKeys: Set<String> = ["condition", "output", "desc", "tags", "exceptions"]
    private static let replaceableRuleKeys: Set<String> = [
        "condition", "output", "desc", "priority", "tags", "exceptions", "enabled", "warn_evttypes",
        "skip-if-unknown-filter", "capture", "capture_duration", "source", "response", "response_allow",
        "response_cgroup",
    ]

    private mutating func loadRule(_ map: YAMLMap) throws {
        try map.allowOnly(Self.ruleKeys)
        let name = try map.requiredString("rule")
        let mode = try map.changeMode(for: Self.replaceableRuleKeys, appendable: Self.appendableRuleKeys)
        let presentKeys = Set(map.keys).subtracting(["rule", "append", "override"])

        if case .define = mode, presentKeys == ["enabled"] {
            guard let index = ruleIndex[name] else {
                throw map.failure(map.node, "rule '\(name)' only sets 'enabled' but no rule by that name was "
                                  + "defined before")
            }
            rules[index].enabled = try map.bool("enabled") ?? true
            return
        }

        switch mode {
        case .define:
            for key in ["condition", "output", "desc", "priority"] where !map.has(key) {
                throw map.failure(map.node, "rule '\(name)' has no \(key) key")
            }
            var definition = RuleDefinition(
                name: name, condition: try map.requiredString("condition"), description: try map.requiredString("desc"),
                output: try map.requiredString("output"), priority: try priority(map), enabled: true, tags: [],
                exceptions: [], source: "syscall", warnEventTypes: true, skipIfUnknownFilter: false, capture: false,
                captureDurationMilliseconds: nil, location: map.location, conditionLocation: map.location(of: "condition"))
            try apply(map, to: &definition, keys: presentKeys.subtracting(["condition", "desc", "output", "priority"]),
                      replace: true)
            if definition.source != "syscall" {
                warnings.append(RuleWarning(location: map.location, message:
                    "rule '\(name)' has source '\(definition.source)': loaded but inactive (Shrike only sees syscalls)"))
            }
            if let index = ruleIndex[name] { rules[index] = definition } else {
                ruleIndex[name] = rules.count
                rules.append(definition)
            }
        case .change(let changes):
            guard let index = ruleIndex[name] else {
                throw map.failure(map.node, "rule '\(name)' has 'append' or 'override' but no rule by that name "
                                  + "was defined before")
            }
            var definition = rules[index]
            let replaced = Set(changes.filter { $0.value == .replace }.keys).intersection(presentKeys)
            let appended = presentKeys.subtracting(replaced)
            try apply(map, to: &definition, keys: replaced, replace: true)
            try apply(map, to: &definition, keys: appended, replace: false)
            rules[index] = definition
        }
    }

    private func priority(_ map: YAMLMap) throws -> RulePriority {
        let text = try map.requiredString("priority")
        guard let priority = RulePriority(name: text) else {
            throw map.failure(map.node(for: "priority") ?? map.node, "unknown priority '\(text)': use one of "
                              + RulePriority.allCases.map(\.name).joined(separator: ", "))
        }
        return priority
    }

    /// Sets (or appends to) `keys` of `definition` from `map`.
    private func apply(_ map: YAMLMap, to definition: inout RuleDefinition, keys: Set<String>, replace: Bool) throws {
        for key in keys.sorted() {
            switch key {
            case "condition":
                let text = try map.requiredString(key)
                definition.conditionLocation = replace ? map.location(of: key)
                    : definition.conditionLocation.appending(map.location(of: key),
                                                             at: definition.condition.utf8.count + 1)
                definition.condition = replace ? text : definition.condition + " " + text
            case "output":
                let text = try map.requiredString(key)
                definition.output = replace ? text : definition.output + " " + text
            case "desc":
                let text = try map.requiredString(key)
                definition.description = replace ? text : definition.description + " " + text
            case "priority": definition.priority = try priority(map)
            case "tags":
                let tags = try map.stringList(key) ?? []
                definition.tags = replace ? tags : definition.tags + tags
            case "enabled": definition.enabled = try map.bool(key) ?? true
            case "source": definition.source = try map.requiredString(key)
            case "warn_evttypes": definition.warnEventTypes = try map.bool(key) ?? true
            case "skip-if-unknown-filter": definition.skipIfUnknownFilter = try map.bool(key) ?? false
            case "capture": definition.capture = try map.bool(key) ?? false
            case "capture_duration":
                guard let node = map[key], let value = node.int, value >= 0 else {
                    throw map.failure(map[key] ?? map.node, "capture_duration must be a number of milliseconds")
                }
                definition.captureDurationMilliseconds = value
            case "response":
                let text = try map.requiredString(key)
                guard let action = RuleResponse.Action(rawValue: text) else {
                    throw map.failure(map[key] ?? map.node, "unknown response '\(text)' in rule '\(definition.name)': "
                                      + "use " + RuleResponse.Action.allCases.map(\.rawValue).joined(separator: " or "))
                }
                var response = definition.response ?? RuleResponse(action: action)
                response.action = action
                definition.response = response
            case "response_allow", "response_cgroup":
                // Read after `response` (keys are applied sorted, and these sort after it).
                guard var response = definition.response else {
                    throw map.failure(map.keyNode(key) ?? map.node, "\(key) in rule '\(definition.name)' needs "
                                      + "response: deny-connect")
                }
                if key == "response_allow" {
                    let items = try map.stringList(key) ?? []
                    response.allow = replace ? items : response.allow + items
                } else {
                    response.cgroup = try map.requiredString(key)
                }
                definition.response = response
            case "exceptions":
                let exceptions = try self.exceptions(map)
                if replace {
                    definition.exceptions = exceptions
                } else {
                    for exception in exceptions {
                        if let existing = definition.exceptions.firstIndex(where: { $0.name == exception.name }) {
                            definition.exceptions[existing].values += exception.values
                        } else {
                            guard !exception.fields.isEmpty else {
                                throw ShrikeError(.malformed, "exception '\(exception.name)' appended to rule "
                                                  + "'\(definition.name)' has no fields and no exception by that name "
                                                  + "exists", input: exception.location.description)
                            }
                            definition.exceptions.append(exception)
                        }
                    }
                }
            default:
                break
            }
        }
    }

    private func exceptions(_ map: YAMLMap) throws -> [RuleExceptionDefinition] {
        guard let node = map["exceptions"] else { return [] }
        guard case .sequence(let items) = node else { throw map.failure(node, "exceptions must be a list") }
        var result: [RuleExceptionDefinition] = []
        for item in items {
            guard case .mapping(let mapping) = item else { throw map.failure(item, "each exception must be a mapping") }
            let entry = YAMLMap(mapping, file: map.file, source: map.source)
            try entry.allowOnly(["name", "fields", "comps", "values"])
            let name = try entry.requiredString("name")
            var fields: [String] = []
            var tuple = false
            if let fieldsNode = entry["fields"] {
                if case .sequence = fieldsNode {
                    fields = try entry.stringList("fields") ?? []
                    tuple = true
                } else {
                    fields = [try entry.requiredString("fields")]
                }
            }
            var comps: [String] = []
            if let compsNode = entry["comps"] {
                if case .sequence = compsNode { comps = try entry.stringList("comps") ?? [] } else {
                    comps = [try entry.requiredString("comps")]
                }
            }
            if comps.isEmpty { comps = Array(repeating: "=", count: fields.count) }
            if !fields.isEmpty, comps.count != fields.count {
                throw entry.failure(entry["comps"] ?? entry.node, "exception '\(name)' has \(fields.count) fields "
                                    + "but \(comps.count) comps")
            }
            var values: [[ExceptionValue]] = []
            if let valuesNode = entry["values"] {
                guard case .sequence(let rows) = valuesNode else {
                    throw entry.failure(valuesNode, "exception '\(name)' values must be a list")
                }
                for row in rows {
                    if tuple || fields.isEmpty, case .sequence(let cells) = row {
                        values.append(try cells.map { try exceptionValue($0, entry) })
                    } else if case .scalar = row {
                        values.append([try exceptionValue(row, entry)])
                    } else if case .sequence = row {
                        values.append([try exceptionValue(row, entry)])
                    } else {
                        throw entry.failure(row, "exception '\(name)' values must be strings or lists")
                    }
                }
            }
            if tuple {
                for row in values where row.count != fields.count {
                    throw entry.failure(entry["values"] ?? entry.node, "exception '\(name)' has a value tuple of "
                                        + "\(row.count) items for \(fields.count) fields")
                }
            }
            result.append(RuleExceptionDefinition(name: name, fields: fields, fieldsAreTuple: tuple, comps: comps,
                                                  values: values, location: entry.location))
        }
        return result
    }

    private func exceptionValue(_ node: Node, _ map: YAMLMap) throws -> ExceptionValue {
        switch node {
        case .scalar(let scalar): return .scalar(scalar.string)
        case .sequence(let items):
            return .list(try items.map { item in
                guard case .scalar(let scalar) = item else { throw map.failure(item, "list values must be strings") }
                return scalar.string
            })
        default: throw map.failure(node, "exception values must be strings or lists of strings")
        }
    }

    private func failure(_ file: String, _ node: Node, _ message: String) -> ShrikeError {
        ShrikeError(.malformed, message, input: SourceLocation(file: file, line: node.mark?.line ?? 0).description)
    }
}

/// How an item changes an existing definition.
enum ChangeKind: Equatable { case append, replace }

enum ChangeMode {
    case define
    case change([String: ChangeKind])
}

/// A YAML mapping with string keys, remembering its file for messages.
struct YAMLMap {
    let node: Node
    let file: String
    let source: YAMLSourceText
    let pairs: [(key: String, keyNode: Node, value: Node)]

    init(_ mapping: Node.Mapping, file: String, source: YAMLSourceText) {
        node = .mapping(mapping)
        self.file = file
        self.source = source
        pairs = mapping.map { (key: $0.key.string ?? "", keyNode: $0.key, value: $0.value) }
    }

    var keys: [String] { pairs.map(\.key) }
    var location: SourceLocation { SourceLocation(file: file, line: node.mark?.line ?? 0) }
    func has(_ key: String) -> Bool { pairs.contains { $0.key == key } }
    subscript(key: String) -> Node? { pairs.first { $0.key == key }?.value }
    func node(for key: String) -> Node? { self[key] }
    func keyNode(_ key: String) -> Node? { pairs.first { $0.key == key }?.keyNode }

    /// The line where a key's value starts (a block scalar's text starts on the next line), with a map from each
    /// byte of a scalar value to its place in the file (errors inside a condition point at their token).
    func location(of key: String) -> SourceLocation {
        guard let value = self[key] else { return location }
        var line = value.mark?.line ?? 0
        if case .scalar(let scalar) = value, scalar.style == .literal || scalar.style == .folded,
           let keyLine = keyNode(key)?.mark?.line, line == keyLine {
            line += 1
        }
        var result = SourceLocation(file: file, line: line)
        if case .scalar(let scalar) = value, let mark = value.mark {
            result.textMap = ConditionTextMap.build(value: scalar.string, style: scalar.style, line: mark.line,
                                                    column: mark.column,
                                                    source: source, file: file, fallback: result)
        }
        return result
    }

    func failure(_ node: Node, _ message: String) -> ShrikeError {
        ShrikeError(.malformed, message, input: SourceLocation(file: file, line: node.mark?.line ?? 0).description)
    }

    func allowOnly(_ allowed: Set<String>) throws {
        for pair in pairs where !allowed.contains(pair.key) {
            let kind = pairs.first?.key ?? "item"
            throw failure(pair.keyNode, "unknown key '\(pair.key)' in \(kind) '\(self[kind]?.string ?? "")'; "
                          + "allowed: " + allowed.sorted().joined(separator: ", "))
        }
    }

    func string(_ key: String) throws -> String? {
        guard let value = self[key] else { return nil }
        guard case .scalar(let scalar) = value else { throw failure(value, "'\(key)' must be a string") }
        return scalar.string
    }

    func requiredString(_ key: String) throws -> String {
        guard let value = try string(key) else { throw failure(node, "missing key '\(key)'") }
        return value
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = self[key] else { return nil }
        guard let bool = value.bool else { throw failure(value, "'\(key)' must be true or false") }
        return bool
    }

    func stringList(_ key: String) throws -> [String]? {
        guard let value = self[key] else { return nil }
        if case .scalar(let scalar) = value, scalar.string.isEmpty || scalar.tag.description.hasSuffix(":null") {
            return []
        }
        guard case .sequence(let items) = value else { throw failure(value, "'\(key)' must be a list") }
        return try items.map { item in
            guard case .scalar(let scalar) = item else { throw failure(item, "items of '\(key)' must be strings") }
            return scalar.string
        }
    }

    /// `append: true` or `override: {key: append|replace}`; `.define` when neither.
    func changeMode(for replaceable: Set<String>, appendable: Set<String>) throws -> ChangeMode {
        let legacyAppend = try bool("append") ?? false
        if let override = self["override"] {
            if legacyAppend { throw failure(override, "'append' and 'override' cannot be used together") }
            guard case .mapping(let mapping) = override else {
                throw failure(override, "'override' must map keys to append or replace")
            }
            var changes: [String: ChangeKind] = [:]
            for (keyNode, valueNode) in mapping {
                let key = keyNode.string ?? ""
                switch valueNode.string {
                case "append":
                    guard appendable.contains(key) else {
                        throw failure(keyNode, "key '\(key)' cannot be appended; appendable: "
                                      + appendable.sorted().joined(separator: ", "))
                    }
                    changes[key] = .append
                case "replace":
                    guard replaceable.contains(key) else {
                        throw failure(keyNode, "key '\(key)' cannot be replaced; replaceable: "
                                      + replaceable.sorted().joined(separator: ", "))
                    }
                    changes[key] = .replace
                default:
                    throw failure(valueNode, "override of '\(key)' is '\(valueNode.string ?? "")': use append or replace")
                }
                guard has(key) else { throw failure(keyNode, "override names '\(key)' but the item has no such key") }
            }
            for key in keys where !["rule", "macro", "list", "override"].contains(key) && changes[key] == nil {
                throw failure(keyNode(key) ?? node, "key '\(key)' is not listed in 'override'")
            }
            return .change(changes)
        }
        if legacyAppend {
            for key in keys where !["rule", "macro", "list", "append"].contains(key) && !appendable.contains(key) {
                throw failure(keyNode(key) ?? node, "key '\(key)' cannot be appended with 'append: true'")
            }
            return .change([:])
        }
        return .define
    }
}

import Foundation
import Yams

/// What `shrike rules list` prints: one line per rule, or the effective rule file as YAML.
public enum RuleListing {
    /// `NAME  PRIORITY  ENABLED  EVENT TYPES` as an aligned table.
    public static func table(_ set: CompiledRuleSet) -> String {
        let header = ["RULE", "PRIORITY", "ENABLED", "EVENT TYPES"]
        let rows = set.rules.map { rule -> [String] in
            var enabled = rule.enabled ? "yes" : "no"
            if rule.enabled && !rule.active { enabled = "inactive" }
            let types = rule.eventTypes.map { $0.sorted().joined(separator: ",") } ?? "(all)"
            return [rule.name, rule.priority.name, enabled, types]
        }
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < 3 { widths[index] = max(widths[index], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index < 3 ? cell.padding(toLength: widths[index]) : cell
            }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    /// `{"rules":[{"name","priority","enabled","active","event_types","tags","source"}]}`; `event_types` is null for
    /// rules that see every event type. Keys sorted, so the output is stable.
    public static func json(_ set: CompiledRuleSet) -> String {
        let rules: [[String: Any]] = set.rules.map { rule in
            [
                "name": rule.name, "priority": rule.priority.name, "enabled": rule.enabled, "active": rule.active,
                "event_types": rule.eventTypes.map { $0.sorted() as Any } ?? NSNull(),
                "tags": rule.definition.tags, "source": rule.definition.source,
            ]
        }
        let object: [String: Any] = ["rules": rules, "lists": set.catalog.lists.count, "macros": set.catalog.macros.count]
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The lists, macros and rules after every file was merged (overrides and appends applied), as one rule file.
    public static func yaml(_ set: CompiledRuleSet) -> String {
        var items: [Node] = []
        if let version = set.requiredEngineVersion {
            items.append(mapping([("required_engine_version", Node(version))]))
        }
        for list in set.catalog.lists {
            items.append(mapping([("list", Node(list.name)),
                                  ("items", Node(list.items.map { Node($0) }, Tag(.seq), .flow))]))
        }
        for macro in set.catalog.macros {
            items.append(mapping([("macro", Node(macro.name)), ("condition", Node(macro.condition))]))
        }
        for rule in set.rules {
            let definition = rule.definition
            var pairs: [(String, Node)] = [
                ("rule", Node(definition.name)), ("desc", Node(definition.description)),
                ("condition", Node(definition.condition)), ("output", Node(definition.output)),
                ("priority", Node(definition.priority.name.uppercased())),
                ("enabled", Node(definition.enabled ? "true" : "false", Tag(.bool))),
            ]
            if definition.source != "syscall" { pairs.append(("source", Node(definition.source))) }
            if !definition.tags.isEmpty {
                pairs.append(("tags", Node(definition.tags.map { Node($0) }, Tag(.seq), .flow)))
            }
            if !definition.exceptions.isEmpty {
                pairs.append(("exceptions", Node(definition.exceptions.map(exceptionNode))))
            }
            if let duration = definition.captureDurationMilliseconds {
                pairs.append(("capture", Node(definition.capture ? "true" : "false", Tag(.bool))))
                pairs.append(("capture_duration", Node(String(duration), Tag(.int))))
            }
            items.append(mapping(pairs))
        }
        return (try? Yams.serialize(node: Node(items))) ?? ""
    }

    private static func mapping(_ pairs: [(String, Node)]) -> Node {
        Node(pairs.map { (Node($0.0), $0.1) })
    }

    private static func exceptionNode(_ exception: RuleExceptionDefinition) -> Node {
        func value(_ value: ExceptionValue) -> Node {
            switch value {
            case .scalar(let text): return Node(text)
            case .list(let items): return Node(items.map { Node($0) }, Tag(.seq), .flow)
            }
        }
        var pairs: [(String, Node)] = [("name", Node(exception.name))]
        if exception.fieldsAreTuple {
            pairs.append(("fields", Node(exception.fields.map { Node($0) }, Tag(.seq), .flow)))
            pairs.append(("comps", Node(exception.comps.map { Node($0) }, Tag(.seq), .flow)))
            pairs.append(("values", Node(exception.values.map { Node($0.map(value), Tag(.seq), .flow) })))
        } else if let field = exception.fields.first {
            pairs.append(("fields", Node(field)))
            pairs.append(("comps", Node(exception.comps.first ?? "=")))
            pairs.append(("values", Node(exception.values.flatMap { $0.map(value) }, Tag(.seq), .flow)))
        }
        return mapping(pairs)
    }
}

extension String {
    fileprivate func padding(toLength length: Int) -> String {
        count >= length ? self : self + String(repeating: " ", count: length - count)
    }
}

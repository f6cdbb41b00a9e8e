/// Which read-only opens the loaded rules can possibly match, as path prefixes the sensor's in-kernel filter takes.
///
/// Read-only opens are most of a machine's file events and few rules care about them: shipping them all through the
/// ring buffer costs more than everything else the sensor does. The analysis over-approximates: a rule that might
/// match a read-only open of some path makes that path's prefix wanted; anything it cannot reason about wants every
/// read (`prefixes == nil`). The kernel always ships relative paths and paths with `/..` besides (only user space
/// resolves those), so conditions that need a `..` in the raw path want no absolute prefix.
public struct KernelReadFilter: Sendable, Equatable {
    /// nil: every read-only open must be shipped.
    public var prefixes: [String]?

    /// The filter for the active rules of `ruleSet`, compiled from `catalog` (whose macros and lists it reads).
    public init(ruleSet: CompiledRuleSet, catalog: RuleCatalog) {
        var analysis = Analysis(catalog: catalog)
        var wanted: Interest = .none
        for rule in ruleSet.activeRules {
            if let types = rule.eventTypes, types.isDisjoint(with: Self.openTypes) { continue }
            guard let node = try? ConditionParser.parse(rule.definition.condition) else {
                wanted = .all
                break
            }
            wanted = wanted.union(analysis.interest(node))
            if wanted == .all { break }
        }
        switch wanted {
        case .none: prefixes = []
        case .all: prefixes = nil
        case .prefixes(let set): prefixes = set.sorted()
        }
    }

    /// The syscalls whose read-only calls the filter applies to.
    static let openTypes: Set<String> = ["open", "openat", "openat2"]

    /// What part of the read-only opens a condition can be true on.
    enum Interest: Equatable {
        case none
        case prefixes(Set<String>)
        case all

        func union(_ other: Interest) -> Interest {
            switch (self, other) {
            case (.all, _), (_, .all): .all
            case (.none, let x), (let x, .none): x
            case (.prefixes(let a), .prefixes(let b)): .prefixes(a.union(b))
            }
        }

        /// For `and`: paths under a prefix of both sides; of two nested prefixes the longer one, disjoint ones none.
        func intersect(_ other: Interest) -> Interest {
            switch (self, other) {
            case (.none, _), (_, .none): return .none
            case (.all, let x), (let x, .all): return x
            case (.prefixes(let a), .prefixes(let b)):
                var both: Set<String> = []
                for left in a {
                    for right in b {
                        if left.hasPrefix(right) { both.insert(left) } else if right.hasPrefix(left) { both.insert(right) }
                    }
                }
                return both.isEmpty ? .none : .prefixes(both)
            }
        }
    }

    struct Analysis {
        let catalog: RuleCatalog
        var macros: [String: Interest] = [:]
        var depth = 0

        init(catalog: RuleCatalog) { self.catalog = catalog }

        mutating func interest(_ node: ConditionNode) -> Interest {
            switch node {
            case .and(let children):
                return children.reduce(Interest.all) { $0.intersect(interest($1)) }
            case .or(let children):
                return children.reduce(Interest.none) { $0.union(interest($1)) }
            case .not:
                return .all
            case .constant(let value):
                return value ? .all : .none
            case .exists:
                return .all
            case .identifier(let name, _):
                if let known = macros[name] { return known }
                guard depth < 64, let macro = catalog.macro(named: name),
                      let parsed = try? ConditionParser.parse(macro.condition) else { return .all }
                depth += 1
                let result = interest(parsed)
                depth -= 1
                macros[name] = result
                return result
            case .comparison(let comparison):
                return interest(comparison)
            }
        }

        mutating func interest(_ comparison: Comparison) -> Interest {
            let field = comparison.field
            guard field.transformers.isEmpty, comparison.modifier == nil else { return .all }
            let values: [String]
            switch comparison.value {
            case .literal(let text): values = [unquote(text)]
            case .list(let items): values = expand(items)
            case .listName(let name): values = expand([name])
            case .field: return .all
            }
            switch (field.name, comparison.op) {
            case ("evt.type", .equal), ("evt.type", .in):
                return values.contains(where: KernelReadFilter.openTypes.contains) ? .all : .none
            case ("evt.is_open_write", .equal), ("evt.is_open_create", .equal):
                return values == ["true"] ? .none : .all
            case ("evt.arg.flags", .contains), ("evt.rawarg.flags", .contains):
                let writes = ["O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC", "O_APPEND", "O_TMPFILE"]
                return values.allSatisfy { value in writes.contains { value.contains($0) } } ? .none : .all
            case ("fd.nameraw", .contains):
                // Raw paths with `..` are shipped whatever the prefixes say.
                return values.allSatisfy { $0.contains("..") } ? .none : .all
            case ("fd.name", .equal), ("fd.name", .in), ("fd.name", .startswith), ("fd.name", .pmatch),
                 ("fs.path.name", .equal), ("fs.path.name", .in), ("fs.path.name", .startswith),
                 ("fs.path.name", .pmatch):
                return prefixes(values)
            case ("fd.name", .glob), ("fs.path.name", .glob):
                return prefixes(values.map(literalPrefix))
            case ("fd.directory", .equal), ("fd.directory", .in):
                return prefixes(values.map { $0.hasSuffix("/") ? $0 : $0 + "/" })
            default:
                return .all
            }
        }

        /// Absolute prefixes, or everything when one value is not absolute (it could match anything).
        func prefixes(_ values: [String]) -> Interest {
            guard !values.isEmpty else { return .none }
            guard values.allSatisfy({ $0.hasPrefix("/") && $0.count > 1 }) else { return .all }
            return .prefixes(Set(values))
        }

        /// The part of a glob before its first wildcard.
        func literalPrefix(_ pattern: String) -> String {
            String(pattern.prefix { !"*?[\\".contains($0) })
        }

        func expand(_ items: [String], seen: Set<String> = []) -> [String] {
            var out: [String] = []
            for item in items {
                if let list = catalog.list(named: item), !seen.contains(item) {
                    out += expand(list.items, seen: seen.union([item]))
                } else {
                    out.append(unquote(item))
                }
            }
            return out
        }

        func unquote(_ text: String) -> String {
            guard text.count >= 2, let first = text.first, first == text.last, first == "\"" || first == "'" else {
                return text
            }
            return String(text.dropFirst().dropLast())
        }
    }
}

import ShrikeCore
import ShrikeSensor

/// Every rule of a catalog compiled, with the warnings Falco would print and what the sensor must deliver.
///
/// Build with `CompiledRuleSet(catalog:)` or `CompiledRuleSet.load(paths:)`; errors are `ShrikeError`s whose
/// input is `file:line` and whose message names the rule and the offending token.
public struct CompiledRuleSet: Sendable {
    /// Every rule in load order, active or not.
    public let rules: [CompiledRule]
    public let warnings: [RuleWarning]
    public let macroCount: Int
    public let listCount: Int
    public let requiredEngineVersion: String?
    /// How many macros the rules use (memo slots an evaluation context needs).
    let memoSlotCount: Int
    /// The merged definitions the rules were compiled from.
    public let catalog: RuleCatalog
    /// True when an active rule has no event-type restriction (it is evaluated for every event).
    public let needsAllEventTypes: Bool
    /// Event types (syscall names, `execve`, `fork`, `exit`) some active rule can match: what the sensor should
    /// load. When `needsAllEventTypes`, every type the sensor knows.
    public let neededEventTypes: Set<String>

    /// Event types Shrike's sensor produces.
    public static var sensorEventTypes: Set<String> {
        var types = Set((SyscallTable.current ?? SyscallTable.x86_64).syscalls.map(\.name))
        types.formUnion(["execve", "fork", "exit"])
        return types
    }

    public var activeRules: [CompiledRule] { rules.filter(\.active) }

    /// Loads rule files in order (as `shrike watch --rules` does) and compiles them.
    public static func load(paths: [String]) throws -> CompiledRuleSet {
        try CompiledRuleSet(catalog: RuleCatalog(paths: paths))
    }

    /// Loads rule texts in order and compiles them.
    public static func load(sources: [RuleSource]) throws -> CompiledRuleSet {
        try CompiledRuleSet(catalog: RuleCatalog(sources: sources))
    }

    public init(catalog: RuleCatalog) throws {
        var compiler = ConditionCompiler(catalog: catalog)
        var warnings = catalog.warnings
        var rules: [CompiledRule] = []
        let knownTypes = Self.sensorEventTypes
        var deprecatedUses: [(field: String, location: SourceLocation)] = []

        for definition in catalog.rules {
            // Other sources' fields come from plugins Shrike does not have: such rules are kept, not compiled.
            guard definition.source == "syscall" else {
                rules.append(CompiledRule(
                    name: definition.name, description: definition.description, priority: definition.priority,
                    tags: definition.tags, source: definition.source, enabled: definition.enabled, active: false,
                    inactiveReason: "source '\(definition.source)' is not evaluated by Shrike", eventTypes: [],
                    unavailableFields: [], captureBefore: nil, captureAfter: nil, location: definition.location,
                    definition: definition, predicate: { _ in false }, enginePredicate: { _ in false },
                    engineRoot: ConstantNode(false), output: OutputFormat.empty))
                continue
            }
            do {
                rules.append(try Self.compile(definition, compiler: &compiler, warnings: &warnings,
                                              deprecatedUses: &deprecatedUses, knownTypes: knownTypes))
            } catch let failure as CompileFailure {
                guard failure.kind == .unknownField, definition.skipIfUnknownFilter else {
                    throw failure.error(rule: definition.name)
                }
                warnings.append(RuleWarning(location: failure.location, message: "rule '\(definition.name)' skipped "
                                            + "(skip-if-unknown-filter): \(failure.message)"))
                rules.append(CompiledRule(
                    name: definition.name, description: definition.description, priority: definition.priority,
                    tags: definition.tags, source: definition.source, enabled: definition.enabled, active: false,
                    inactiveReason: "skipped: \(failure.message)", eventTypes: [], unavailableFields: [],
                    captureBefore: nil, captureAfter: nil, location: definition.location, definition: definition,
                    predicate: { _ in false }, enginePredicate: { _ in false }, engineRoot: ConstantNode(false),
                    output: OutputFormat.empty))
            }
        }

        // A macro is lowered once per rule using it: one warning per place in the text, as Falco gives per macro.
        var warned: Set<String> = []
        for use in deprecatedUses where warned.insert(use.location.description).inserted {
            let reason = ConditionCompiler.deprecatedFields[use.field] ?? "deprecated"
            warnings.append(RuleWarning(location: use.location, message: "\(use.field) is \(reason)"))
        }

        // Macros and lists no rule uses are still checked for syntax (Falco does), and reported.
        for macro in catalog.macros where !compiler.usedMacros.contains(macro.name) {
            do {
                _ = try compiler.parse(macro.condition, at: macro.conditionLocation)
            } catch {
                throw error.error(rule: nil)
            }
            warnings.append(RuleWarning(location: macro.location, message: "macro '\(macro.name)' is not used by "
                                        + "any rule"))
        }
        for list in catalog.lists where !compiler.usedLists.contains(list.name) {
            warnings.append(RuleWarning(location: list.location, message: "list '\(list.name)' is not used by any rule or macro"))
        }

        try Self.compileResponses(&rules, catalog: catalog)
        self.rules = rules
        memoSlotCount = compiler.macroSlots.count
        self.catalog = catalog
        self.warnings = warnings
        macroCount = catalog.macros.count
        listCount = catalog.lists.count
        requiredEngineVersion = catalog.requiredEngineVersion
        let active = rules.filter(\.active)
        needsAllEventTypes = active.contains { $0.eventTypes == nil }
        neededEventTypes = needsAllEventTypes ? knownTypes
            : active.reduce(into: Set<String>()) { $0.formUnion($1.eventTypes ?? []) }
    }

    private static func compile(_ definition: RuleDefinition, compiler: inout ConditionCompiler,
                                warnings: inout [RuleWarning], deprecatedUses: inout [(field: String, location: SourceLocation)],
                                knownTypes: Set<String>) throws -> CompiledRule {
        var notes = ConditionCompiler.Notes()
        var node = try compiler.parse(definition.condition, at: definition.conditionLocation)
        var lowered = try compiler.lower(node, at: definition.conditionLocation, notes: &notes)
        let types = ConditionCompiler.eventTypes(lowered)

        let clauses = try exceptionClauses(definition)
        if !clauses.isEmpty {
            node = .not(.or(clauses.map(\.0)))
            var exceptionParts: [ConditionCompiler.Lowered] = []
            for (clause, location) in clauses {
                exceptionParts.append(try compiler.lower(clause, at: location, notes: &notes))
            }
            lowered = .and([lowered, .not(.or(exceptionParts))])
        }
        let output = try OutputFormat(definition.output, at: definition.location)
        for name in output.fieldNames {
            let base = name.split(separator: "[").first.map(String.init) ?? name
            // A field Shrike fills may also be in Falco's unfilled table (the sensor added it later): only a name
            // that does not resolve (an argument it needs) falls back to that table.
            if let resolved = try? FieldRegistry.resolve(base, argument: nil) {
                if !resolved.filled { notes.unavailableFields.insert(name) }
            } else if FieldRegistry.unfilledType(base) != nil {
                notes.unavailableFields.insert(name)
            }
            if let reason = ConditionCompiler.deprecatedFields[base] {
                warnings.append(RuleWarning(location: definition.location, message: "rule '\(definition.name)' "
                                            + "output uses \(base), \(reason)"))
            }
        }
        deprecatedUses += notes.deprecatedFieldUses

        var eventTypes: Set<String>?
        switch types {
        case .all:
            eventTypes = nil
            if definition.warnEventTypes && definition.source == "syscall" && definition.enabled {
                warnings.append(RuleWarning(location: definition.location, message: "rule '\(definition.name)' "
                    + "matches all event types (no evt.type restriction): it is evaluated for every event"))
            }
        case .only(let set):
            eventTypes = set
            let unknown = set.subtracting(knownTypes)
            if !unknown.isEmpty && definition.warnEventTypes && definition.source == "syscall" {
                warnings.append(RuleWarning(location: definition.location, message: "rule '\(definition.name)' "
                    + "names event types Shrike's sensor never produces: " + unknown.sorted().joined(separator: ", ")))
            }
            if set.isEmpty && definition.warnEventTypes {
                warnings.append(RuleWarning(location: definition.location, message: "rule '\(definition.name)' "
                    + "can never match (its evt.type conditions exclude each other)"))
            }
        }
        let isSyscall = definition.source == "syscall"
        let engineRoot = ConditionCompiler.root(eventTypes.map { ConditionCompiler.assuming(types: $0, lowered) } ?? lowered)
        let after = definition.captureDurationMilliseconds.map { Double($0) / 1000 }
        return CompiledRule(
            name: definition.name, description: definition.description, priority: definition.priority,
            tags: definition.tags, source: definition.source, enabled: definition.enabled,
            active: definition.enabled && isSyscall,
            inactiveReason: isSyscall ? nil : "source '\(definition.source)' is not evaluated by Shrike",
            eventTypes: eventTypes, unavailableFields: notes.unavailableFields.sorted(),
            captureBefore: nil, captureAfter: after,
            location: definition.location, definition: definition,
            predicate: ConditionCompiler.predicate(lowered),
            enginePredicate: { engineRoot.evaluate($0) }, engineRoot: engineRoot,
            output: output)
    }

    /// One clause per exception value row: `field comp value and …` (Falco appends them as `and not (…)`).
    static func exceptionClauses(_ definition: RuleDefinition) throws -> [(ConditionNode, SourceLocation)] {
        var clauses: [(ConditionNode, SourceLocation)] = []
        for exception in definition.exceptions {
            let location = exception.location
            var fields: [FieldExpression] = []
            for text in exception.fields {
                guard case .exists(let field)? = try? ConditionParser.parse("\(text) exists") else {
                    throw CompileFailure(kind: .other, message: "exception '\(exception.name)': '\(text)' is not a field",
                                         location: location, token: text)
                }
                fields.append(field)
            }
            var ops: [ComparisonOperator] = []
            for comp in exception.comps {
                let normalized = comp == "==" ? "=" : comp
                guard let op = ComparisonOperator(rawValue: normalized) else {
                    throw CompileFailure(kind: .other, message: "exception '\(exception.name)': unknown comparison '\(comp)'",
                                         location: location, token: comp)
                }
                ops.append(op)
            }
            guard !fields.isEmpty else { continue }
            if !exception.fieldsAreTuple {
                let op = ops[0]
                let values = exception.values.flatMap { row in row.flatMap { value -> [String] in
                    switch value {
                    case .scalar(let text): return [text]
                    case .list(let items): return items
                    }
                } }
                guard !values.isEmpty else { continue }
                if op.takesList {
                    clauses.append((.comparison(Comparison(field: fields[0], op: op, value: .list(values), position: 0)),
                                    location))
                } else {
                    for value in values {
                        clauses.append((.comparison(Comparison(field: fields[0], op: op, value: .literal(value),
                                                               position: 0)), location))
                    }
                }
                continue
            }
            for row in exception.values {
                var parts: [ConditionNode] = []
                for (index, value) in row.enumerated() {
                    let op = ops[index]
                    let rhs: ConditionValue
                    switch value {
                    case .scalar(let text): rhs = op.takesList ? .list([text]) : .literal(text)
                    case .list(let items):
                        guard op.takesList else {
                            throw CompileFailure(kind: .other, message: "exception '\(exception.name)': a list value "
                                                 + "needs 'in', 'pmatch' or 'intersects', not '\(op.rawValue)'",
                                                 location: location, token: exception.fields[index])
                        }
                        rhs = .list(items)
                    }
                    parts.append(.comparison(Comparison(field: fields[index], op: op, value: rhs, position: 0)))
                }
                clauses.append((parts.count == 1 ? parts[0] : .and(parts), location))
            }
        }
        return clauses
    }
}

extension OutputFormat {
    static var empty: OutputFormat {
        // An empty text never throws.
        (try? OutputFormat("", at: SourceLocation(file: "", line: 0))) ?? OutputFormat(segmentsUnchecked: [])
    }

    init(segmentsUnchecked: [Segment]) {
        segments = segmentsUnchecked
    }
}

import ShrikeCore
import ShrikeSensor

extension ShrikeError.Code {
    /// A rule's `response:` needs a condition the kernel can decide exactly, and this one is not.
    public static let responseNotKernelDecidable = ShrikeError.Code("response-not-kernel-decidable")
    /// A rule's `response:` keys are wrong (unknown action, bad allow-list, missing scope).
    public static let responseInvalid = ShrikeError.Code("response-invalid")
}

/// Compiles a rule's condition, after macro and list expansion and with its exceptions, into what the kernel's
/// response program evaluates: for `kill`, terms of kernel atoms (disjunctive normal form) equivalent to the
/// condition; for `deny-connect`, the containers it covers. Anything outside the kernel-decidable subset is refused
/// with a `responseNotKernelDecidable` error naming the rule and the sub-expression, so a rule never kills on a
/// weaker condition than the one it states.
///
/// The subset (docs/rules.md, "Responses"): `evt.type` (= / in / !=) restricted to `execve`, `open`, `openat`,
/// `openat2`, `creat`; `evt.dir`; `evt.is_open_write`, `evt.is_open_create`, `evt.failed` (= true/false);
/// `fd.name` (= / != / in / startswith / pmatch); `fd.directory` (= / != / in); `proc.exepath` like `fd.name` in
/// exec-only terms; `proc.name`, `proc.pname` (= / != / in); `container.id` = / != `host` (and the `container`
/// macro); `user.uid` (= != < <= > >= in); and, or, not, macros and lists over these.
struct ResponseCompiler {
    let catalog: RuleCatalog
    private var depth = 0

    init(catalog: RuleCatalog) { self.catalog = catalog }

    static let enforceableTypes: Set<String> = Set(EnforcedEventClass.allCases.map(\.rawValue))

    /// A literal of the normal form: a type restriction, an atom, or a check on a kernel atom only valid for exec.
    enum Literal: Equatable {
        case types(Set<String>, negated: Bool)
        case atom(KernelAtom, execOnly: Bool)
        case scope(ScopeAtom)
    }

    /// One condition over a container for `deny-connect` scopes.
    struct ScopeAtom: Equatable, Sendable {
        enum Field: String, Sendable { case id = "container.id", fullID = "container.full_id", name = "container.name",
                                             repository = "container.image.repository" }
        var field: Field
        var values: [String]
    }

    enum Mode { case kill, connect }

    struct Refusal: Error {
        var expression: String
        var reason: String
    }

    // MARK: - kill

    /// The terms of a kill rule whose index in the plan is `rule`.
    mutating func killTerms(_ definition: RuleDefinition, rule: Int) throws -> [KillTerm] {
        do {
            let dnf = try normalForm(definition, mode: .kill)
            var terms: [KillTerm] = []
            for term in dnf {
                guard let compiled = try killTerm(term, rule: rule) else { continue }
                terms.append(compiled)
            }
            guard !terms.isEmpty else {
                throw Refusal(expression: definition.condition, reason: "the condition can never match an event "
                              + "the kernel can kill on")
            }
            guard terms.count <= EnforcementPlan.maximumTerms else {
                throw Refusal(expression: definition.condition, reason: "it expands to \(terms.count) alternatives; "
                              + "the kernel holds \(EnforcementPlan.maximumTerms)")
            }
            return terms
        } catch let refusal as Refusal {
            throw Self.error(definition, refusal)
        }
    }

    private func killTerm(_ literals: [Literal], rule: Int) throws -> KillTerm? {
        var types: Set<String>?
        var excluded: Set<String> = []
        var atoms: [KernelAtom] = []
        var execOnly = false
        for literal in literals {
            switch literal {
            case .types(let set, let negated):
                if negated { excluded.formUnion(set) } else { types = types.map { $0.intersection(set) } ?? set }
            case .atom(let atom, let onlyExec):
                if !atoms.contains(atom) { atoms.append(atom) }
                execOnly = execOnly || onlyExec
            case .scope:
                throw Refusal(expression: "container fields", reason: "only deny-connect rules scope by container")
            }
        }
        guard var types else {
            throw Refusal(expression: Self.render(literals), reason: "it does not restrict evt.type, so it would match "
                          + "events the kernel cannot stop (restrict evt.type to execve, open, openat, openat2, creat)")
        }
        types.subtract(excluded)
        if types.isEmpty { return nil }
        let foreign = types.subtracting(Self.enforceableTypes)
        guard foreign.isEmpty else {
            throw Refusal(expression: "evt.type in (\(foreign.sorted().joined(separator: ", ")))",
                          reason: "kill acts at execve and at open, openat, openat2 and creat only")
        }
        if execOnly && types != ["execve"] {
            throw Refusal(expression: "proc.exepath", reason: "the kernel knows the executable's path only at execve; "
                          + "use it in a condition restricted to evt.type = execve")
        }
        // Contradictory atoms (x and not x) make the term impossible.
        for atom in atoms where atoms.contains(KernelAtom(atom.test, negated: !atom.negated)) { return nil }
        guard atoms.count <= EnforcementPlan.maximumAtomsPerTerm else {
            throw Refusal(expression: Self.render(literals), reason: "more than "
                          + "\(EnforcementPlan.maximumAtomsPerTerm) tests in one alternative")
        }
        return KillTerm(rule: rule, classes: Set(types.compactMap(EnforcedEventClass.init(rawValue:))), atoms: atoms)
    }

    // MARK: - deny-connect

    /// The container scope of a deny-connect rule: a disjunction of conjunctions over container fields; an empty
    /// conjunction means every container... which is refused (name the containers, or give response_cgroup).
    mutating func connectScope(_ definition: RuleDefinition, explicitCgroup: Bool) throws -> [[ScopeAtom]] {
        do {
            let dnf = try normalForm(definition, mode: .connect)
            var scope: [[ScopeAtom]] = []
            for term in dnf {
                var atoms: [ScopeAtom] = []
                var possible = true
                for literal in term {
                    switch literal {
                    case .types(let set, let negated):
                        if negated ? set.contains("connect") : !set.contains("connect") { possible = false }
                    case .scope(let atom): atoms.append(atom)
                    case .atom:
                        throw Refusal(expression: Self.render(term), reason: "a deny-connect scope names containers "
                                      + "(container.id, container.full_id, container.name, container.image.repository)")
                    }
                }
                guard possible else { continue }
                if atoms.isEmpty && !explicitCgroup {
                    throw Refusal(expression: definition.condition, reason: "it does not say which containers to cut "
                                  + "off; add container.name / container.id / container.image.repository conditions "
                                  + "or a response_cgroup")
                }
                scope.append(atoms)
            }
            return scope
        } catch let refusal as Refusal {
            throw Self.error(definition, refusal)
        }
    }

    // MARK: - Normal form

    private mutating func normalForm(_ definition: RuleDefinition, mode: Mode) throws -> [[Literal]] {
        var node: ConditionNode
        do {
            node = try ConditionParser.parse(definition.condition)
        } catch {
            throw Refusal(expression: definition.condition, reason: "it does not parse")
        }
        let exceptions = (try? CompiledRuleSet.exceptionClauses(definition)) ?? []
        if !exceptions.isEmpty { node = .and([node, .not(.or(exceptions.map(\.0)))]) }
        let expanded = try expand(node)
        return try dnf(expanded, negated: false, mode: mode)
    }

    /// Macros replaced by their conditions.
    private mutating func expand(_ node: ConditionNode) throws -> ConditionNode {
        switch node {
        case .and(let children): return .and(try children.map { try expand($0) })
        case .or(let children): return .or(try children.map { try expand($0) })
        case .not(let child): return .not(try expand(child))
        case .identifier(let name, _):
            guard depth < 64, let macro = catalog.macro(named: name),
                  let parsed = try? ConditionParser.parse(macro.condition) else {
                throw Refusal(expression: name, reason: "it is not a macro Shrike knows")
            }
            depth += 1
            defer { depth -= 1 }
            return try expand(parsed)
        case .comparison, .exists, .constant: return node
        }
    }

    /// Disjunctive normal form with negations pushed onto literals: an array of alternatives, each a conjunction.
    private func dnf(_ node: ConditionNode, negated: Bool, mode: Mode) throws -> [[Literal]] {
        switch node {
        case .and(let children) where !negated, .or(let children) where negated:
            var result: [[Literal]] = [[]]
            for child in children {
                let part = try dnf(child, negated: negated, mode: mode)
                var next: [[Literal]] = []
                for left in result { for right in part { next.append(left + right) } }
                guard next.count <= 4 * EnforcementPlan.maximumTerms else {
                    throw Refusal(expression: "the condition", reason: "it expands to too many alternatives")
                }
                result = next
            }
            return result
        case .or(let children), .and(let children):
            return try children.flatMap { try dnf($0, negated: negated, mode: mode) }
        case .not(let child):
            return try dnf(child, negated: !negated, mode: mode)
        case .constant(let value):
            return value != negated ? [[]] : []
        case .identifier(let name, _):
            throw Refusal(expression: name, reason: "it is not a macro Shrike knows")
        case .exists(let field):
            throw Refusal(expression: "\(field.text) exists", reason: "the kernel cannot test it")
        case .comparison(let comparison):
            return try literals(comparison, negated: negated, mode: mode)
        }
    }

    private func values(_ value: ConditionValue) -> [String]? {
        switch value {
        case .literal(let text): return [ConditionCompiler.unquote(text)]
        case .list(let items): return expand(items)
        case .listName(let name): return expand([name])
        case .field: return nil
        }
    }

    private func expand(_ items: [String], seen: Set<String> = []) -> [String] {
        var out: [String] = []
        for item in items {
            if let list = catalog.list(named: item), !seen.contains(item) {
                out += expand(list.items, seen: seen.union([item]))
            } else {
                out.append(ConditionCompiler.unquote(item))
            }
        }
        return out
    }

    /// One comparison as alternatives of literals (a `user.uid in (…)` is one alternative per value).
    private func literals(_ comparison: Comparison, negated: Bool, mode: Mode) throws -> [[Literal]] {
        let text = Self.render(comparison)
        let field = comparison.field
        guard field.transformers.isEmpty, field.argument == nil, comparison.modifier == nil,
              let values = values(comparison.value) else {
            throw Refusal(expression: text, reason: "transformers, arguments, list modifiers and field values are "
                          + "not kernel-decidable")
        }
        var op = comparison.op
        var negated = negated
        if op == .notEqual {
            op = .equal
            negated.toggle()
        }
        let single = op == .equal || op == .in
        func atom(_ test: KernelAtom.Test, execOnly: Bool = false) -> [[Literal]] {
            [[.atom(KernelAtom(test, negated: negated), execOnly: execOnly)]]
        }
        func boolean(_ test: KernelAtom.Test) throws -> [[Literal]] {
            guard op == .equal, values.count == 1, let value = Bool(values[0].lowercased()) else {
                throw Refusal(expression: text, reason: "compare it with = true or = false")
            }
            return [[.atom(KernelAtom(test, negated: negated == value), execOnly: false)]]
        }
        switch (mode, field.name) {
        case (_, "evt.type") where single:
            return [[.types(Set(values), negated: negated)]]
        case (.kill, "evt.dir") where op == .equal && values.count == 1:
            // Shrike's events are all exits.
            return (values[0] == "<") != negated ? [[]] : []
        case (.kill, "evt.is_open_write"): return try boolean(.openWrite)
        case (.kill, "evt.is_open_create"): return try boolean(.openCreate)
        case (.kill, "evt.failed"): return try boolean(.failed)
        case (.kill, "fd.name"), (.kill, "proc.exepath"):
            let execOnly = field.name == "proc.exepath"
            switch op {
            case .equal, .in: return atom(.pathIn(values), execOnly: execOnly)
            case .startswith: return atom(.pathStartsWith(values), execOnly: execOnly)
            case .pmatch: return atom(.pathUnder(values), execOnly: execOnly)
            default: break
            }
        case (.kill, "fd.directory") where single:
            return atom(.directoryIn(values))
        case (.kill, "proc.name") where single:
            return atom(.nameIn(values))
        case (.kill, "proc.pname") where single:
            return atom(.parentNameIn(values))
        case (.kill, "container.id") where op == .equal && values == ["host"]:
            negated.toggle()
            return atom(.inContainer)
        case (.kill, "user.uid"):
            let numbers = values.compactMap { UInt32($0) }
            guard numbers.count == values.count, !numbers.isEmpty else {
                throw Refusal(expression: text, reason: "user.uid compares with numbers")
            }
            let comparison: KernelAtom.UIDComparison
            switch op {
            case .equal, .in: comparison = .equal
            case .less: comparison = .less
            case .lessOrEqual: comparison = .lessOrEqual
            case .greater: comparison = .greater
            case .greaterOrEqual: comparison = .greaterOrEqual
            default: throw Refusal(expression: text, reason: "the kernel compares uids with = != < <= > >= in")
            }
            guard numbers.count == 1 || comparison == .equal else { break }
            // `uid in (a, b)` is a or b; `not uid in (a, b)` is not a and not b.
            let each = numbers.map { Literal.atom(KernelAtom(.uid(comparison, $0), negated: negated), execOnly: false) }
            return negated ? [each] : each.map { [$0] }
        case (.connect, let name) where single && !negated:
            if let scopeField = ScopeAtom.Field(rawValue: name) {
                return [[.scope(ScopeAtom(field: scopeField, values: values))]]
            }
        default:
            break
        }
        throw Refusal(expression: (negated ? "not " : "") + text, reason: "it is not kernel-decidable")
    }

    // MARK: - Messages

    static func error(_ definition: RuleDefinition, _ refusal: Refusal) -> ShrikeError {
        ShrikeError(.responseNotKernelDecidable, "rule '\(definition.name)': response '\(definition.response?.action.rawValue ?? "")' "
                    + "needs a condition the kernel can decide exactly, and '\(refusal.expression)' is not: "
                    + "\(refusal.reason) (see docs/rules.md, Responses, for the subset)",
                    input: definition.conditionLocation.description)
    }

    static func render(_ comparison: Comparison) -> String {
        let value: String
        switch comparison.value {
        case .literal(let text): value = text
        case .list(let items): value = "(" + items.joined(separator: ", ") + ")"
        case .listName(let name): value = name
        case .field(let field): value = "val(\(field.text))"
        }
        return "\(comparison.field.text) \(comparison.op.rawValue) \(value)"
    }

    static func render(_ literals: [Literal]) -> String {
        literals.map { literal -> String in
            switch literal {
            case .types(let set, let negated): (negated ? "not " : "") + "evt.type in (" + set.sorted().joined(separator: ", ") + ")"
            case .atom(let atom, _): (atom.negated ? "not " : "") + "\(atom.test)"
            case .scope(let atom): "\(atom.field.rawValue) in (\(atom.values.joined(separator: ", ")))"
            }
        }.joined(separator: " and ")
    }
}

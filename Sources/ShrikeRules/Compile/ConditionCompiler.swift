/// A compiled condition: true when the event matches.
public typealias Predicate = @Sendable (EvaluationContext) -> Bool

/// Turns condition text into one `Predicate`, resolving macros and lists from a catalog, checking fields and types,
/// and noting the event types the condition can match and the fields Shrike leaves `<NA>`.
///
/// Macro texts are parsed once per compiler; lists are expanded (lists inside lists too) into hash sets.
struct ConditionCompiler {
    let catalog: RuleCatalog
    private var parsedMacros: [String: ConditionNode] = [:]
    private(set) var usedMacros: Set<String> = []
    private(set) var usedLists: Set<String> = []
    /// One memo slot per macro: a macro used by many rules is evaluated once per event.
    private(set) var macroSlots: [String: Int] = [:]

    /// Collected while compiling one condition.
    struct Notes {
        var unavailableFields: Set<String> = []
        /// Where the text (the rule's or a macro's) names a field Falco's engine warns about as deprecated.
        var deprecatedFieldUses: [(field: String, location: SourceLocation)] = []
    }

    /// Fields Falco's engine 0.57.0 warns about (`LOAD_DEPRECATED_DIR_FIELD`), with the reason.
    static let deprecatedFields = [
        "evt.dir": "deprecated since Falco engine 0.57.0: enter events are gone, so 'evt.dir = <' is always true "
            + "and 'evt.dir = >' always false; remove the evt.dir check",
    ]

    init(catalog: RuleCatalog) {
        self.catalog = catalog
    }

    /// An intermediate tree: constants folded, event types known per node.
    indirect enum Lowered {
        case and([Lowered])
        case or([Lowered])
        case not(Lowered)
        case constant(Bool)
        case check(Predicate, EventTypeSet)
        /// A macro's condition, remembered per event in `slot`.
        case memo(Int, Lowered)
    }

    // MARK: - Entry points

    mutating func parse(_ text: String, at location: SourceLocation) throws(CompileFailure) -> ConditionNode {
        do {
            return try ConditionParser.parse(text)
        } catch {
            throw CompileFailure(kind: .other, message: "syntax error: \(error.message)",
                                 location: location.at(error.offset), token: error.token)
        }
    }

    mutating func lower(_ node: ConditionNode, at location: SourceLocation, notes: inout Notes,
                        macroStack: [String] = []) throws(CompileFailure) -> Lowered {
        switch node {
        case .and(let children):
            var lowered: [Lowered] = []
            for child in children { lowered.append(try lower(child, at: location, notes: &notes, macroStack: macroStack)) }
            return .and(lowered)
        case .or(let children):
            var lowered: [Lowered] = []
            for child in children { lowered.append(try lower(child, at: location, notes: &notes, macroStack: macroStack)) }
            return .or(lowered)
        case .not(let child):
            return .not(try lower(child, at: location, notes: &notes, macroStack: macroStack))
        case .constant(let value):
            return .constant(value)
        case .identifier(let name, let position):
            guard let macro = catalog.macro(named: name) else {
                throw CompileFailure(kind: .other, message: "undefined macro '\(name)'", location: location.at(position),
                                     token: name)
            }
            if macroStack.contains(name) {
                throw CompileFailure(kind: .other, message: "macro '\(name)' refers to itself through "
                                     + (macroStack + [name]).joined(separator: " -> "), location: location.at(position),
                                     token: name)
            }
            usedMacros.insert(name)
            let parsed: ConditionNode
            if let cached = parsedMacros[name] { parsed = cached } else {
                parsed = try parse(macro.condition, at: macro.conditionLocation)
                parsedMacros[name] = parsed
            }
            let body = try lower(parsed, at: macro.conditionLocation, notes: &notes, macroStack: macroStack + [name])
            let slot = macroSlots[name] ?? macroSlots.count
            macroSlots[name] = slot
            return .memo(slot, body)
        case .exists(let field):
            let resolved = try resolve(field, at: location, notes: &notes)
            let extractor = resolved.extractor
            if case .unavailable = extractor { return .constant(false) }
            return .check({ extractor.exists($0) }, .all)
        case .comparison(let comparison):
            return try lower(comparison, at: location, notes: &notes)
        }
    }

    /// Builds the evaluator of a lowered condition, folding constants: a tree of final-class nodes (calls through
    /// `let` children need no reference counting, unlike closures captured in closures).
    static func predicate(_ lowered: Lowered) -> Predicate {
        let root = node(simplify(lowered))
        return { root.evaluate($0) }
    }

    /// The root node itself, for callers that keep it alive and call it without reference counting.
    static func root(_ lowered: Lowered) -> PredicateNode {
        node(simplify(lowered))
    }

    static func node(_ lowered: Lowered) -> PredicateNode {
        switch lowered {
        case .constant(let value): return ConstantNode(value)
        case .check(let predicate, _): return CheckNode(predicate)
        case .not(let child): return NotNode(node(child))
        case .memo(let slot, let child): return MemoNode(slot, node(child))
        case .and(let children):
            // Right-leaning pairs keep evaluation order and short-circuiting.
            var nodes = children.map(node)
            var result = nodes.removeLast()
            while let next = nodes.popLast() { result = AndNode(next, result) }
            return result
        case .or(let children):
            var nodes = children.map(node)
            var result = nodes.removeLast()
            while let next = nodes.popLast() { result = OrNode(next, result) }
            return result
        }
    }

    static func simplify(_ lowered: Lowered) -> Lowered {
        switch lowered {
        case .memo(let slot, let child):
            let inner = simplify(child)
            switch inner {
            case .constant, .check: return inner
            default: return .memo(slot, inner)
            }
        case .not(let child):
            let inner = simplify(child)
            if case .constant(let value) = inner { return .constant(!value) }
            if case .not(let twice) = inner { return twice }
            return .not(inner)
        case .and(let children):
            var kept: [Lowered] = []
            for child in children.map(simplify) {
                if case .constant(let value) = child {
                    if !value { return .constant(false) }
                    continue
                }
                if case .and(let nested) = child { kept += nested } else { kept.append(child) }
            }
            if kept.isEmpty { return .constant(true) }
            return kept.count == 1 ? kept[0] : .and(kept)
        case .or(let children):
            var kept: [Lowered] = []
            for child in children.map(simplify) {
                if case .constant(let value) = child {
                    if value { return .constant(true) }
                    continue
                }
                if case .or(let nested) = child { kept += nested } else { kept.append(child) }
            }
            if kept.isEmpty { return .constant(false) }
            return kept.count == 1 ? kept[0] : .or(kept)
        default:
            return lowered
        }
    }

    /// The condition as the engine runs it: `evt.type` checks that every event reaching the rule passes (the engine
    /// only hands a rule events of its types) become constants.
    static func assuming(types: Set<String>, _ lowered: Lowered) -> Lowered {
        switch lowered {
        case .check(_, .only(let set)) where types.isSubset(of: set): return .constant(true)
        case .check, .constant: return lowered
        case .memo(let slot, let child): return .memo(slot, assuming(types: types, child))
        case .not(let child): return .not(assuming(types: types, child))
        case .and(let children): return .and(children.map { assuming(types: types, $0) })
        case .or(let children): return .or(children.map { assuming(types: types, $0) })
        }
    }

    /// The event types a lowered condition can match (Falco's rule-to-event-type mapping).
    static func eventTypes(_ lowered: Lowered) -> EventTypeSet {
        switch lowered {
        case .constant(let value): return value ? .all : .only([])
        case .check(_, let types): return types
        case .memo(_, let child): return eventTypes(child)
        case .not: return .all
        case .and(let children):
            return children.map(eventTypes).reduce(EventTypeSet.all) { $0.intersection($1) }
        case .or(let children):
            guard let first = children.first.map(eventTypes) else { return .only([]) }
            return children.dropFirst().map(eventTypes).reduce(first) { $0.union($1) }
        }
    }

    // MARK: - Fields

    struct TypedField {
        var type: FieldType
        var extractor: FieldExtractor
    }

    func resolve(_ field: FieldExpression, at location: SourceLocation, notes: inout Notes) throws(CompileFailure)
        -> TypedField {
        let resolved: FieldRegistry.Resolved
        do {
            resolved = try FieldRegistry.resolve(field.name, argument: field.argument)
        } catch {
            switch error {
            case .unknownField:
                throw CompileFailure(kind: .unknownField, message: "unknown field '\(field.name)'",
                                     location: location.at(field.position), token: field.name)
            case .badArgument(let message):
                throw CompileFailure(kind: .other, message: message, location: location.at(field.position),
                                     token: field.text)
            }
        }
        if !resolved.filled { notes.unavailableFields.insert(field.argument.map { "\(field.name)[\($0)]" } ?? field.name) }
        if Self.deprecatedFields[field.name] != nil { notes.deprecatedFieldUses.append((field.name, location.at(field.position))) }
        var typed = TypedField(type: resolved.type, extractor: resolved.extractor)
        for transformer in field.transformers.reversed() {
            typed = try apply(transformer, to: typed, field: field, at: location)
        }
        return typed
    }

    private func apply(_ transformer: FieldTransformer, to field: TypedField, field expression: FieldExpression,
                       at location: SourceLocation) throws(CompileFailure) -> TypedField {
        if case .unavailable = field.extractor {
            return TypedField(type: transformer == .len ? .number : .string, extractor: .unavailable)
        }
        switch (transformer, field.extractor) {
        case (.len, .string(let get)):
            return TypedField(type: .number, extractor: .number { get($0).map { Int64($0.utf8.count) } })
        case (.len, .strings(let get)):
            return TypedField(type: .number, extractor: .number { get($0).map { Int64($0.count) } })
        case (.len, .numbers(let get)):
            return TypedField(type: .number, extractor: .number { get($0).map { Int64($0.count) } })
        case (.tolower, .string(let get)):
            return TypedField(type: .string, extractor: .string { get($0).map(StringMatching.lowercased) })
        case (.toupper, .string(let get)):
            return TypedField(type: .string, extractor: .string { get($0).map(StringMatching.uppercased) })
        case (.b64, .string(let get)):
            return TypedField(type: .string, extractor: .string { get($0).flatMap(StringMatching.base64Decode) })
        case (.basename, .string(let get)):
            return TypedField(type: .string, extractor: .string { get($0).map(FieldRegistry.filename(of:)) })
        default:
            throw CompileFailure(kind: .other, message: "transformer \(transformer.rawValue)() cannot be applied to "
                                 + "\(field.type.rawValue) field '\(expression.name)'",
                                 location: location.at(expression.position), token: expression.text)
        }
    }

    // MARK: - Lists

    /// The items of a list value with list names expanded (recursively) and quotes around items removed.
    mutating func expand(_ items: [String], at location: SourceLocation, seen: Set<String> = []) throws(CompileFailure)
        -> [String] {
        var out: [String] = []
        for item in items {
            if let list = catalog.list(named: item) {
                if seen.contains(item) {
                    throw CompileFailure(kind: .other, message: "list '\(item)' contains itself", location: location,
                                         token: item)
                }
                usedLists.insert(item)
                out += try expand(list.items, at: list.location, seen: seen.union([item]))
            } else {
                out.append(Self.unquote(item))
            }
        }
        return out
    }

    static func unquote(_ item: String) -> String {
        guard item.count >= 2, let first = item.first, first == "\"" || first == "'", item.last == first else {
            return item
        }
        return String(item.dropFirst().dropLast())
    }

    // MARK: - Comparisons

    private mutating func lower(_ comparison: Comparison, at location: SourceLocation, notes: inout Notes)
        throws(CompileFailure) -> Lowered {
        let field = try resolve(comparison.field, at: location, notes: &notes)
        let op = comparison.op
        let token = comparison.field.text
        let operatorLocation = location.at(comparison.operatorPosition)
        let valueLocation = location.at(comparison.valuePosition)

        // The right-hand side as strings (or another field).
        var items: [String]
        switch comparison.value {
        case .field(let other):
            let right = try resolve(other, at: location, notes: &notes)
            return try compareFields(field, op, right, token: token, at: operatorLocation)
        case .literal(let text):
            items = [text]
        case .list(let list):
            items = try expand(list, at: valueLocation)
        case .listName(let name):
            guard catalog.list(named: name) != nil else {
                throw CompileFailure(kind: .other, message: "undefined list '\(name)'", location: valueLocation,
                                     token: name)
            }
            items = try expand([name], at: valueLocation)
        }

        if let modifier = comparison.modifier {
            var parts: [Lowered] = []
            for item in items {
                parts.append(try check(field, op, [item], field: comparison.field, at: valueLocation,
                                       operatorAt: operatorLocation))
            }
            return modifier == .allof ? .and(parts) : .or(parts)
        }
        let lowered = try check(field, op, items, field: comparison.field, at: valueLocation,
                                operatorAt: operatorLocation)
        if comparison.field.name == "evt.type", comparison.field.argument == nil, comparison.field.transformers.isEmpty,
           case .check(let predicate, _) = lowered {
            switch op {
            case .equal, .in, .intersects: return .check(predicate, .only(Set(items)))
            default: break
            }
        }
        return lowered
    }

    private func typeError(_ message: String, _ token: String, _ location: SourceLocation) -> CompileFailure {
        CompileFailure(kind: .other, message: message, location: location, token: token)
    }

    /// One comparison of a field with constant values; errors about a value point at `location` (where the value
    /// starts), errors about the operator at `operatorLocation`.
    private func check(_ field: TypedField, _ op: ComparisonOperator, _ values: [String], field expression: FieldExpression,
                       at location: SourceLocation, operatorAt operatorLocation: SourceLocation) throws(CompileFailure)
        -> Lowered {
        let name = expression.text
        let negate = op == .notEqual
        let positive: ComparisonOperator = negate ? .equal : op
        if !op.takesList && values.count != 1 {
            throw typeError("operator '\(op.rawValue)' needs one value", name, operatorLocation)
        }

        switch field.type {
        case .string, .stringList:
            let test = try stringTest(positive, values, field: name, at: location)
            return .check(wrapString(field.extractor, test, negate: negate), .all)
        case .number, .numberList:
            let numbers = try values.map { (text: String) throws(CompileFailure) -> Int64 in
                guard let number = Self.number(text) else {
                    throw typeError("field '\(name)' is a number; '\(text)' is not", text, location)
                }
                return number
            }
            let test: @Sendable (Int64) -> Bool
            switch positive {
            case .equal: let value = numbers[0]; test = { $0 == value }
            case .less: let value = numbers[0]; test = { $0 < value }
            case .lessOrEqual: let value = numbers[0]; test = { $0 <= value }
            case .greater: let value = numbers[0]; test = { $0 > value }
            case .greaterOrEqual: let value = numbers[0]; test = { $0 >= value }
            case .in, .intersects: let set = Set(numbers); test = { set.contains($0) }
            default:
                throw typeError("operator '\(op.rawValue)' cannot be used with number field '\(name)'", name, operatorLocation)
            }
            return .check(wrapNumber(field.extractor, test, negate: negate), .all)
        case .bool:
            let bools = try values.map { (text: String) throws(CompileFailure) -> Bool in
                switch text.lowercased() {
                case "true", "1": return true
                case "false", "0": return false
                default: throw typeError("field '\(name)' is a bool; '\(text)' is neither true nor false", text, location)
                }
            }
            guard positive == .equal || positive == .in else {
                throw typeError("operator '\(op.rawValue)' cannot be used with bool field '\(name)'", name, operatorLocation)
            }
            let acceptsTrue = bools.contains(true), acceptsFalse = bools.contains(false)
            return .check(wrapBool(field.extractor, { $0 ? acceptsTrue : acceptsFalse }, negate: negate), .all)
        case .ipaddr, .ipnet, .ipList, .ipnetList:
            let networks = try values.map { (text: String) throws(CompileFailure) -> IPNetwork in
                guard let network = IPNetwork(text) else {
                    throw typeError("field '\(name)' is an IP address; '\(text)' is not an address or network",
                                    text, location)
                }
                return network
            }
            guard positive == .equal || positive == .in || positive == .intersects else {
                throw typeError("operator '\(op.rawValue)' cannot be used with address field '\(name)'", name, operatorLocation)
            }
            let test: @Sendable (IPAddress) -> Bool = { address in networks.contains { $0.contains(address) } }
            return .check(wrapAddress(field.extractor, test, negate: negate), .all)
        }
    }

    static func number(_ text: String) -> Int64? {
        if text.hasPrefix("0x") || text.hasPrefix("0X") { return Int64(text.dropFirst(2), radix: 16) }
        if let value = Int64(text) { return value }
        if let value = Double(text), value.isFinite, abs(value) < 9.2e18 { return Int64(value) }
        return nil
    }

    private func stringTest(_ op: ComparisonOperator, _ values: [String], field name: String,
                            at location: SourceLocation) throws(CompileFailure) -> @Sendable (String) -> Bool {
        let value = values.first ?? ""
        switch op {
        case .equal: return { $0 == value }
        case .less: return { $0 < value }
        case .lessOrEqual: return { $0 <= value }
        case .greater: return { $0 > value }
        case .greaterOrEqual: return { $0 >= value }
        case .contains:
            let needle = Array(value.utf8)
            return { StringMatching.contains($0, needle) }
        case .icontains:
            let needle = Array(value.utf8).map(StringMatching.lower)
            return { StringMatching.containsIgnoringCase($0, needle) }
        case .bcontains, .bstartswith:
            guard let raw = StringMatching.bytes(fromHex: value) else {
                throw typeError("'\(op.rawValue)' needs hex bytes (like 48656c6c6f), not '\(value)'", value, location)
            }
            // Binary fields hold one Latin-1 character per byte: encode the needle alike.
            let bytes = FieldRegistry.binaryFields.contains(name) ? Array(StringMatching.latin1(raw).utf8) : raw
            if op == .bcontains { return { StringMatching.contains($0, bytes) } }
            return { StringMatching.hasPrefix($0, bytes) }
        case .startswith:
            let prefix = Array(value.utf8)
            return { StringMatching.hasPrefix($0, prefix) }
        case .endswith:
            let suffix = Array(value.utf8)
            return { StringMatching.hasSuffix($0, suffix) }
        case .glob, .iglob:
            let pattern = Array(value.utf8CString)
            let ignoreCase = op == .iglob
            return { StringMatching.glob($0, pattern, ignoreCase: ignoreCase) }
        case .regex:
            let regex: CompiledRegex
            do {
                regex = try CompiledRegex(value)
            } catch {
                throw typeError("invalid regular expression '\(value)': \(error.message)", value, location)
            }
            return { regex.matches($0) }
        case .in, .intersects:
            let set = StringSet(values)
            return { set.contains($0) }
        case .pmatch:
            let tree = PathPrefixTree(values)
            return { tree.matches($0) }
        case .notEqual:
            return { $0 != value }
        }
    }

    /// Applies a scalar test to a string field: false when the field is `<NA>`; any element for list fields.
    private func wrapString(_ extractor: FieldExtractor, _ test: @escaping @Sendable (String) -> Bool,
                            negate: Bool) -> Predicate {
        switch extractor {
        case .string(let get):
            if negate { return { context in get(context).map { !test($0) } ?? false } }
            return { context in
                guard let value = get(context) else { return false }
                return test(value)
            }
        case .strings(let get):
            return { context in get(context).map { $0.contains(where: test) != negate } ?? false }
        default:
            return { _ in false }
        }
    }

    private func wrapNumber(_ extractor: FieldExtractor, _ test: @escaping @Sendable (Int64) -> Bool,
                            negate: Bool) -> Predicate {
        switch extractor {
        case .number(let get):
            return { context in
                guard let value = get(context) else { return false }
                return test(value) != negate
            }
        case .numbers(let get):
            return { context in get(context).map { $0.contains(where: test) != negate } ?? false }
        default:
            return { _ in false }
        }
    }

    private func wrapBool(_ extractor: FieldExtractor, _ test: @escaping @Sendable (Bool) -> Bool,
                          negate: Bool) -> Predicate {
        guard case .bool(let get) = extractor else { return { _ in false } }
        return { context in
            guard let value = get(context) else { return false }
            return test(value) != negate
        }
    }

    private func wrapAddress(_ extractor: FieldExtractor, _ test: @escaping @Sendable (IPAddress) -> Bool,
                             negate: Bool) -> Predicate {
        switch extractor {
        case .ip(let get):
            return { context in get(context).map { test($0) != negate } ?? false }
        case .ips(let get):
            return { context in get(context).map { $0.contains(where: test) != negate } ?? false }
        default:
            return { _ in false }
        }
    }

    /// `field op val(other)`: both sides read per event.
    private func compareFields(_ left: TypedField, _ op: ComparisonOperator, _ right: TypedField, token: String,
                               at location: SourceLocation) throws(CompileFailure) -> Lowered {
        switch (left.extractor, right.extractor) {
        case (.unavailable, _), (_, .unavailable):
            return .constant(false)
        case (.string(let a), .string(let b)):
            let test: @Sendable (String, String) -> Bool
            switch op {
            case .equal, .in, .intersects: test = { $0 == $1 }
            case .notEqual: test = { $0 != $1 }
            case .less: test = { $0 < $1 }
            case .lessOrEqual: test = { $0 <= $1 }
            case .greater: test = { $0 > $1 }
            case .greaterOrEqual: test = { $0 >= $1 }
            case .contains: test = { StringMatching.contains($0, Array($1.utf8)) }
            case .startswith: test = { StringMatching.hasPrefix($0, Array($1.utf8)) }
            case .endswith: test = { StringMatching.hasSuffix($0, Array($1.utf8)) }
            case .pmatch: test = { PathPrefixTree([$1]).matches($0) }
            default:
                throw typeError("operator '\(op.rawValue)' cannot compare two fields", token, location)
            }
            return .check({ context in
                guard let x = a(context), let y = b(context) else { return false }
                return test(x, y)
            }, .all)
        case (.number(let a), .number(let b)):
            let test: @Sendable (Int64, Int64) -> Bool
            switch op {
            case .equal, .in, .intersects: test = { $0 == $1 }
            case .notEqual: test = { $0 != $1 }
            case .less: test = { $0 < $1 }
            case .lessOrEqual: test = { $0 <= $1 }
            case .greater: test = { $0 > $1 }
            case .greaterOrEqual: test = { $0 >= $1 }
            default:
                throw typeError("operator '\(op.rawValue)' cannot be used with number fields", token, location)
            }
            return .check({ context in
                guard let x = a(context), let y = b(context) else { return false }
                return test(x, y)
            }, .all)
        case (.strings(let a), .string(let b)):
            guard op == .in || op == .intersects || op == .equal else { break }
            return .check({ context in
                guard let xs = a(context), let y = b(context) else { return false }
                return xs.contains(y)
            }, .all)
        case (.string(let a), .strings(let b)):
            guard op == .in || op == .intersects || op == .equal else { break }
            return .check({ context in
                guard let x = a(context), let ys = b(context) else { return false }
                return ys.contains(x)
            }, .all)
        default:
            break
        }
        throw typeError("cannot compare a \(left.type.rawValue) field with a \(right.type.rawValue) field using "
                        + "'\(op.rawValue)'", token, location)
    }
}

/// A node of a compiled condition.
class PredicateNode: @unchecked Sendable {
    // @unchecked: nodes are immutable after construction.
    func evaluate(_ context: EvaluationContext) -> Bool { false }
}

final class ConstantNode: PredicateNode, @unchecked Sendable {
    let value: Bool
    init(_ value: Bool) { self.value = value }
    override func evaluate(_ context: EvaluationContext) -> Bool { value }
}

final class CheckNode: PredicateNode, @unchecked Sendable {
    let check: Predicate
    init(_ check: @escaping Predicate) { self.check = check }
    override func evaluate(_ context: EvaluationContext) -> Bool { check(context) }
}

final class NotNode: PredicateNode, @unchecked Sendable {
    let child: PredicateNode
    init(_ child: PredicateNode) { self.child = child }
    override func evaluate(_ context: EvaluationContext) -> Bool { !child.evaluate(context) }
}

final class AndNode: PredicateNode, @unchecked Sendable {
    let left: PredicateNode
    let right: PredicateNode
    init(_ left: PredicateNode, _ right: PredicateNode) {
        self.left = left
        self.right = right
    }
    override func evaluate(_ context: EvaluationContext) -> Bool { left.evaluate(context) && right.evaluate(context) }
}

final class OrNode: PredicateNode, @unchecked Sendable {
    let left: PredicateNode
    let right: PredicateNode
    init(_ left: PredicateNode, _ right: PredicateNode) {
        self.left = left
        self.right = right
    }
    override func evaluate(_ context: EvaluationContext) -> Bool { left.evaluate(context) || right.evaluate(context) }
}

final class MemoNode: PredicateNode, @unchecked Sendable {
    let slot: Int
    let child: PredicateNode
    init(_ slot: Int, _ child: PredicateNode) {
        self.slot = slot
        self.child = child
    }
    override func evaluate(_ context: EvaluationContext) -> Bool {
        if let known = context.memo(slot) { return known }
        let value = child.evaluate(context)
        context.remember(slot, value)
        return value
    }
}

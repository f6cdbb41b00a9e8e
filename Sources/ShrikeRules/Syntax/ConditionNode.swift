/// A parsed Falco condition, before macros and lists are resolved.
///
/// Positions are UTF-8 offsets into the condition text, so errors can point at the offending token.
public indirect enum ConditionNode: Sendable, Equatable {
    case and([ConditionNode])
    case or([ConditionNode])
    case not(ConditionNode)
    /// A bare identifier: a macro name (resolved by the compiler).
    case identifier(String, position: Int)
    /// `field op value`.
    case comparison(Comparison)
    /// `field exists`.
    case exists(FieldExpression)
    /// A constant, left by macros that fold away; never produced by the parser.
    case constant(Bool)
}

/// One `field op value` check.
public struct Comparison: Sendable, Equatable {
    public var field: FieldExpression
    public var op: ComparisonOperator
    /// `oneof`/`anyof`/`allof` after a scalar operator: the value is a list and each item is compared on its own.
    public var modifier: ListModifier?
    public var value: ConditionValue
    /// Where the field starts.
    public var position: Int
    /// Where the operator starts (errors about the operator point here).
    public var operatorPosition: Int
    /// Where the value starts (errors about the value point here).
    public var valuePosition: Int

    public init(field: FieldExpression, op: ComparisonOperator, modifier: ListModifier? = nil, value: ConditionValue,
                position: Int, operatorPosition: Int? = nil, valuePosition: Int? = nil) {
        self.field = field
        self.op = op
        self.modifier = modifier
        self.value = value
        self.position = position
        self.operatorPosition = operatorPosition ?? position
        self.valuePosition = valuePosition ?? operatorPosition ?? position
    }
}

/// A field with its optional `[argument]` and the transformers wrapped around it, innermost last applied first.
public struct FieldExpression: Sendable, Equatable {
    public var name: String
    public var argument: String?
    /// Outermost first: `tolower(basename(fd.name))` is `[.tolower, .basename]`.
    public var transformers: [FieldTransformer]
    public var position: Int

    public init(name: String, argument: String? = nil, transformers: [FieldTransformer] = [], position: Int = 0) {
        self.name = name
        self.argument = argument
        self.transformers = transformers
        self.position = position
    }

    /// The field as written in a condition or output (`proc.aname[2]`, `tolower(proc.name)`).
    public var text: String {
        var base = name
        if let argument { base += "[\(argument)]" }
        for transformer in transformers.reversed() { base = "\(transformer.rawValue)(\(base))" }
        return base
    }
}

/// The right-hand side of a comparison.
public enum ConditionValue: Sendable, Equatable {
    /// A quoted or bare string, or a number as written.
    case literal(String)
    /// `(a, b, c)`; items may name lists, expanded by the compiler.
    case list([String])
    /// A bare identifier after a list operator: a list name.
    case listName(String)
    /// `val(field)` or a transformer over a field.
    case field(FieldExpression)
}

/// Falco's comparison operators.
public enum ComparisonOperator: String, Sendable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case contains, icontains, bcontains, startswith, bstartswith, endswith, glob, iglob, regex
    case `in`, intersects, pmatch

    /// Operators whose value is a list.
    public var takesList: Bool { self == .in || self == .intersects || self == .pmatch }
}

/// Field transformers (`tolower(proc.name)`).
public enum FieldTransformer: String, Sendable, CaseIterable {
    case tolower, toupper, b64, basename, len
}

/// How a scalar operator applies to a list value.
public enum ListModifier: String, Sendable {
    /// True when the comparison holds for at least one item (`anyof` is the same).
    case oneof, anyof
    /// True when the comparison holds for every item.
    case allof
}

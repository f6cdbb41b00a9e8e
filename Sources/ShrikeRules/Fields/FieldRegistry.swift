/// Every field a condition or output may name: its type and how to read it from an event.
///
/// Three kinds of names: fields Shrike fills; fields Falco knows but Shrike cannot fill (always `<NA>`, listed by
/// `shrike rules validate`); and unknown names, which are errors.
public enum FieldRegistry {
    /// How a field takes an argument in brackets.
    public enum ArgumentKind: Sendable {
        case none
        /// `proc.aname[2]`: a number; without it the field is a list (or `noArgumentType`).
        case index
        /// `proc.env[HOME]`: any text.
        case key
        /// `evt.arg[0]` or `evt.arg.name`.
        case indexOrKey
    }

    struct Definition: Sendable {
        var type: FieldType
        var argument: ArgumentKind = .none
        /// Whether the field needs an argument.
        var argumentRequired = false
        /// The type when the field is used without its (optional) argument.
        var noArgumentType: FieldType?
        var make: @Sendable (String?) -> FieldExtractor?
    }

    /// A resolved field: its type, its extractor, and whether Shrike fills it.
    public struct Resolved: Sendable {
        public var type: FieldType
        public var extractor: FieldExtractor
        public var filled: Bool
    }

    public enum Failure: Error, Sendable, Equatable {
        case unknownField
        case badArgument(String)
    }

    /// The field named `name` with `argument`; throws `.unknownField` for names neither Shrike nor Falco knows.
    public static func resolve(_ name: String, argument: String?) throws(Failure) -> Resolved {
        var name = name
        var argument = argument
        // `evt.arg.name` and `proc.env.HOME`-style dotted arguments.
        if definitions[name] == nil {
            for prefix in ["evt.arg.", "evt.rawarg.", "thread.env."] where name.hasPrefix(prefix) && argument == nil {
                argument = String(name.dropFirst(prefix.count))
                name = String(prefix.dropLast())
            }
        }
        if let definition = definitions[name] {
            if definition.argumentRequired && argument == nil {
                throw .badArgument("field '\(name)' needs an argument in brackets")
            }
            if definition.argument == .none && argument != nil {
                throw .badArgument("field '\(name)' takes no argument")
            }
            if definition.argument == .index, let argument, Int(argument) == nil {
                throw .badArgument("the argument of '\(name)' must be a number, not '\(argument)'")
            }
            guard let extractor = definition.make(argument) else {
                throw .badArgument("'\(argument ?? "")' is not a valid argument of '\(name)'")
            }
            let type = argument == nil ? (definition.noArgumentType ?? definition.type) : definition.type
            return Resolved(type: type, extractor: extractor, filled: true)
        }
        if let type = unfilledType(name) {
            return Resolved(type: type, extractor: .unavailable, filled: false)
        }
        throw .unknownField
    }

    /// True when `name` may be followed by `[argument]` (outputs only read brackets for such fields).
    public static func acceptsArgument(_ name: String) -> Bool {
        if let definition = definitions[name] { return definition.argument != .none }
        return unfilledPrefixes.contains { name.hasPrefix($0) }
    }

    /// True for names Shrike fills or knows from Falco.
    public static func isKnown(_ name: String) -> Bool {
        (try? resolve(name, argument: nil)) != nil || definitions[name] != nil
    }

    /// Names of every field Shrike fills.
    public static var filledFieldNames: [String] { definitions.keys.sorted() }

    static let definitions: [String: Definition] = {
        var all: [String: Definition] = [:]
        for part in [sensorFields, eventFields, processFields, userFields, fileDescriptorFields, containerFields,
                     containerMountFields] {
            all.merge(part) { first, _ in first }
        }
        return all
    }()
}

/// Where a definition came from, for messages (`file:line`).
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based; 0 when unknown.
    public var line: Int

    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    public var description: String { line > 0 ? "\(file):\(line)" : file }
}

/// A `- list:` item after every file was merged.
public struct ListDefinition: Sendable {
    public var name: String
    public var items: [String]
    public var location: SourceLocation
}

/// A `- macro:` item after every file was merged.
public struct MacroDefinition: Sendable {
    public var name: String
    public var condition: String
    public var location: SourceLocation
    /// The line of the condition's text (errors in the condition point here).
    public var conditionLocation: SourceLocation
}

/// One value of an exception: a single string, or a list for `in`/`pmatch`/`intersects` comparisons.
public enum ExceptionValue: Sendable, Equatable {
    case scalar(String)
    case list([String])
}

/// An `exceptions:` entry of a rule.
public struct RuleExceptionDefinition: Sendable {
    public var name: String
    /// One field, or a tuple of fields.
    public var fields: [String]
    /// True when `fields` was written as a list (values are then tuples).
    public var fieldsAreTuple: Bool
    /// One comparison operator per field (`=` by default).
    public var comps: [String]
    /// Tuples of values for tuple fields; for a single field, each entry holds one value.
    public var values: [[ExceptionValue]]
    public var location: SourceLocation
}

/// A `- rule:` item after every file was merged.
public struct RuleDefinition: Sendable {
    public var name: String
    public var condition: String
    public var description: String
    public var output: String
    public var priority: RulePriority
    public var enabled: Bool
    public var tags: [String]
    public var exceptions: [RuleExceptionDefinition]
    /// `syscall` unless the rule says otherwise; rules of other sources are loaded but never evaluated.
    public var source: String
    public var warnEventTypes: Bool
    public var skipIfUnknownFilter: Bool
    public var capture: Bool
    /// Falco's `capture_duration`, milliseconds.
    public var captureDurationMilliseconds: Int?
    public var location: SourceLocation
    public var conditionLocation: SourceLocation
}

/// A warning found while loading or compiling; never stops loading.
public struct RuleWarning: Sendable, Equatable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}

/// A rule file's text and the name messages use for it (its path).
public struct RuleSource: Sendable {
    public var name: String
    public var text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }
}

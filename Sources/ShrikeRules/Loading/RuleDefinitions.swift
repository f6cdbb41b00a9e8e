/// Where a definition came from, for messages (`file:line`, or `file:line:column` when the column is known).
public struct SourceLocation: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based; 0 when unknown.
    public var line: Int
    /// 1-based, counting bytes; 0 when unknown.
    public var column: Int
    /// For a condition's location: where each byte of its text came from (see `at(_:)`).
    public internal(set) var textMap: ConditionTextMap?

    public init(file: String, line: Int, column: Int = 0) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        guard line > 0 else { return file }
        return column > 0 ? "\(file):\(line):\(column)" : "\(file):\(line)"
    }

    /// The location of the byte at UTF-8 `offset` of the condition this location starts (its own file, line and
    /// column inside a multi-line or appended condition); itself when it has no map.
    public func at(_ offset: Int) -> SourceLocation {
        guard let point = textMap?.point(at: offset) else { return self }
        return SourceLocation(file: point.file, line: point.line, column: point.column)
    }

    /// The location of a condition made by appending `next`'s text after this one's (`append: true`); its text
    /// starts at UTF-8 `offset` of the joined condition.
    func appending(_ next: SourceLocation, at offset: Int) -> SourceLocation {
        var joined = next
        let head = textMap ?? ConditionTextMap(file: file, line: line, column: column)
        joined.textMap = head.appending(next.textMap ?? ConditionTextMap(file: next.file, line: next.line), at: offset)
        return joined
    }

    public static func == (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        lhs.file == rhs.file && lhs.line == rhs.line && lhs.column == rhs.column
    }
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
    /// Shrike's `response:` (with `response_allow:` and `response_cgroup:`); nil when the rule only alerts. Falco
    /// has no such key: a file using it loads in Shrike only.
    public var response: RuleResponse? = nil
}

/// What a rule does beyond alerting, enforced in the kernel (docs/rules.md, "Responses").
public struct RuleResponse: Sendable, Equatable {
    public enum Action: String, Sendable, CaseIterable {
        /// SIGKILL from the tracepoint, before the exec'd program runs or the opened file is written.
        case kill
        /// `cgroup/connect4|6` programs refuse (EPERM) connects to anything not in `allow`.
        case denyConnect = "deny-connect"
    }

    public var action: Action
    /// `response_allow:` destinations a deny-connect still lets through (`ADDRESS[/BITS][:PORT]`).
    public var allow: [String]
    /// `response_cgroup:` a cgroup2 directory to cut off, instead of (or besides) the containers the condition names.
    public var cgroup: String?

    public init(action: Action, allow: [String] = [], cgroup: String? = nil) {
        self.action = action
        self.allow = allow
        self.cgroup = cgroup
    }
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

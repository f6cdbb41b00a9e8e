import Foundation
import ShrikeCore

extension ShrikeError.Code {
    /// `shrike rules validate --strict`: an enabled rule depends on a field Shrike leaves `<NA>`.
    public static let unfilledField = ShrikeError.Code("unfilled-field")
}

/// What `shrike rules validate` prints: counts, warnings, and per rule the fields Shrike leaves `<NA>`.
///
/// With `strict`, an enabled rule whose condition, exceptions or output use such a field (directly or through its
/// macros) is an `unfilled-field` error and the report is not ok.
public struct RuleValidationReport: Sendable, Codable {
    public struct Warning: Sendable, Codable, Equatable {
        public var file: String
        public var line: Int
        public var message: String
    }

    public struct RuleSummary: Sendable, Codable, Equatable {
        public var name: String
        public var active: Bool
        public var inactiveReason: String?
        /// Sorted; nil when the rule is evaluated for every event type.
        public var eventTypes: [String]?
        public var unavailableFields: [String]
        public var enabled: Bool
        /// `file:line` of the rule's definition.
        public var location: String
        /// Under `strict`: why the rule fails (code `unfilled-field`); nil when it passes or without `strict`.
        public var strictError: Failure?
    }

    public struct Failure: Sendable, Codable, Equatable {
        /// `file:line` (or the file alone).
        public var location: String
        public var message: String
        /// The `ShrikeError` code, when the failure has one (`unfilled-field`).
        public var code: String?
    }

    public var files: [String]
    public var ok: Bool
    /// Whether rules depending on `<NA>` fields fail the validation.
    public var strict: Bool
    public var rules: Int
    public var macros: Int
    public var lists: Int
    public var warnings: [Warning]
    public var ruleSummaries: [RuleSummary]
    public var error: Failure?

    /// Loads and compiles `paths` as `shrike watch --rules` does; a load error becomes `error` (ok false), and
    /// with `strict` so does any enabled rule depending on a field Shrike leaves `<NA>` (`strictErrors`).
    public static func validate(paths: [String], strict: Bool = false) -> RuleValidationReport {
        var report = RuleValidationReport(files: paths, ok: true, strict: strict, rules: 0, macros: 0, lists: 0,
                                          warnings: [], ruleSummaries: [], error: nil)
        do {
            report.fill(try CompiledRuleSet.load(paths: paths))
        } catch let error as ShrikeError {
            report.ok = false
            report.error = Failure(location: error.input ?? "", message: error.message, code: error.code.name)
        } catch {
            report.ok = false
            report.error = Failure(location: "", message: "\(error)")
        }
        return report
    }

    /// The report of an already compiled rule set.
    public init(files: [String], ruleSet: CompiledRuleSet, strict: Bool = false) {
        self.init(files: files, ok: true, strict: strict, rules: 0, macros: 0, lists: 0, warnings: [],
                  ruleSummaries: [], error: nil)
        fill(ruleSet)
    }

    private init(files: [String], ok: Bool, strict: Bool, rules: Int, macros: Int, lists: Int, warnings: [Warning],
                 ruleSummaries: [RuleSummary], error: Failure?) {
        self.files = files
        self.ok = ok
        self.strict = strict
        self.rules = rules
        self.macros = macros
        self.lists = lists
        self.warnings = warnings
        self.ruleSummaries = ruleSummaries
        self.error = error
    }

    private mutating func fill(_ set: CompiledRuleSet) {
        rules = set.rules.count
        macros = set.macroCount
        lists = set.listCount
        warnings = set.warnings.map { Warning(file: $0.location.file, line: $0.location.line, message: $0.message) }
        ruleSummaries = set.rules.map { rule in
            RuleSummary(name: rule.name, active: rule.active, inactiveReason: rule.inactiveReason,
                        eventTypes: rule.eventTypes?.sorted(), unavailableFields: rule.unavailableFields,
                        enabled: rule.enabled, location: rule.location.description,
                        strictError: strict ? Self.strictFailure(rule) : nil)
        }
        if ruleSummaries.contains(where: { $0.strictError != nil }) { ok = false }
    }

    /// An active rule (enabled, of the syscall source) that reads a `<NA>` field behaves differently from Falco:
    /// each comparison on that field is false. Disabled and inactive rules are never evaluated, so they pass.
    private static func strictFailure(_ rule: CompiledRule) -> Failure? {
        guard rule.active, !rule.unavailableFields.isEmpty else { return nil }
        let error = ShrikeError(.unfilledField, "rule '\(rule.name)' depends on fields Shrike leaves <NA>: "
                                + rule.unavailableFields.joined(separator: ", ") + " (comparisons on them are always "
                                + "false here); disable or rewrite the rule, or validate without --strict",
                                input: rule.location.description)
        return Failure(location: error.input ?? "", message: error.message, code: error.code.name)
    }

    /// Under `strict`, one `unfilled-field` error per enabled rule that depends on a `<NA>` field, in load order.
    public var strictErrors: [ShrikeError] {
        ruleSummaries.compactMap { rule in
            rule.strictError.map { ShrikeError(.unfilledField, $0.message, input: $0.location) }
        }
    }

    /// The human-readable report (stdout); on a load error, the one `file:line: message` line is `errorLine` and
    /// this is empty. Rules `strict` rejects are in `strictErrorLines`.
    public var text: String {
        guard error == nil else { return "" }
        var lines = ["\(files.joined(separator: ", ")): \(rules) rules, \(macros) macros, \(lists) lists "
                     + "(\(ruleSummaries.filter(\.active).count) active)"]
        for warning in warnings {
            lines.append("warning: \(SourceLocation(file: warning.file, line: warning.line)): \(warning.message)")
        }
        for rule in ruleSummaries where !rule.unavailableFields.isEmpty {
            lines.append("rule '\(rule.name)': <NA> in Shrike: \(rule.unavailableFields.joined(separator: ", "))")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// `file:line: message` for a failed validation.
    public var errorLine: String? {
        guard let error else { return nil }
        return error.location.isEmpty ? error.message : "\(error.location): \(error.message)"
    }

    /// `file:line: unfilled-field: rule '…' depends on …`, one line per rule `strict` rejects (stderr).
    public var strictErrorLines: [String] {
        strictErrors.map { "\($0.input ?? ""): \($0.code): \($0.message)" }
    }

    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

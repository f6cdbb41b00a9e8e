import Foundation
import ShrikeCore

/// What `shrike rules validate` prints: counts, warnings, and per rule the fields Shrike leaves `<NA>`.
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
    }

    public struct Failure: Sendable, Codable, Equatable {
        /// `file:line` (or the file alone).
        public var location: String
        public var message: String
    }

    public var files: [String]
    public var ok: Bool
    public var rules: Int
    public var macros: Int
    public var lists: Int
    public var warnings: [Warning]
    public var ruleSummaries: [RuleSummary]
    public var error: Failure?

    /// Loads and compiles `paths` as `shrike watch --rules` does; a load error becomes `error` (ok false).
    public static func validate(paths: [String]) -> RuleValidationReport {
        var report = RuleValidationReport(files: paths, ok: true, rules: 0, macros: 0, lists: 0, warnings: [],
                                          ruleSummaries: [], error: nil)
        do {
            report.fill(try CompiledRuleSet.load(paths: paths))
        } catch let error as ShrikeError {
            report.ok = false
            report.error = Failure(location: error.input ?? "", message: error.message)
        } catch {
            report.ok = false
            report.error = Failure(location: "", message: "\(error)")
        }
        return report
    }

    /// The report of an already compiled rule set.
    public init(files: [String], ruleSet: CompiledRuleSet) {
        self.init(files: files, ok: true, rules: 0, macros: 0, lists: 0, warnings: [], ruleSummaries: [], error: nil)
        fill(ruleSet)
    }

    private init(files: [String], ok: Bool, rules: Int, macros: Int, lists: Int, warnings: [Warning],
                 ruleSummaries: [RuleSummary], error: Failure?) {
        self.files = files
        self.ok = ok
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
        ruleSummaries = set.rules.map {
            RuleSummary(name: $0.name, active: $0.active, inactiveReason: $0.inactiveReason,
                        eventTypes: $0.eventTypes?.sorted(), unavailableFields: $0.unavailableFields)
        }
    }

    /// The human-readable report (stdout); on error, the one `file:line: message` line is `errorLine`.
    public var text: String {
        guard ok else { return "" }
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

    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

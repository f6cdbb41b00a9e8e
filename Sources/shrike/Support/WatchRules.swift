import Foundation
import ShrikeCore
import ShrikeRules

/// Turns `--rules` arguments into a compiled ruleset: no files means the default ruleset, and the name `default`
/// stands for it among files (`--rules default --rules mine.yaml` extends it).
enum WatchRules {
    static let defaultName = "default"

    static func sources(_ files: [String]) throws -> [RuleSource] {
        let names = files.isEmpty ? [defaultName] : files
        return try names.map { name in
            if name == defaultName { return RuleSource(name: "<default rules>", text: DefaultRules.yaml) }
            guard let data = FileManager.default.contents(atPath: name) else {
                let reason = FileManager.default.fileExists(atPath: name) ? "cannot read the rule file"
                    : "the rule file does not exist (use 'default' for the built-in rules)"
                throw ShrikeError(FileManager.default.fileExists(atPath: name) ? .io : .notFound, reason, input: name)
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw ShrikeError(.malformed, "the rule file is not UTF-8 text", input: name)
            }
            return RuleSource(name: name, text: text)
        }
    }

    static func load(_ files: [String]) throws -> (CompiledRuleSet, RuleCatalog) {
        let catalog = try RuleCatalog(sources: try sources(files))
        return (try CompiledRuleSet(catalog: catalog), catalog)
    }
}

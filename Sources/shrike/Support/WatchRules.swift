import ShrikeRules

/// Turns `--rules` arguments into a compiled ruleset: no files means the default ruleset, and the name `default`
/// stands for it among files (`--rules default --rules mine.yaml` extends it).
enum WatchRules {
    static func load(_ files: [String]) throws -> (CompiledRuleSet, RuleCatalog) {
        let ruleSet = try CompiledRuleSet.forWatch(paths: files)
        return (ruleSet, ruleSet.catalog)
    }
}

import ShrikeRules

/// Turns `--rules` arguments into a compiled ruleset: no files means the default ruleset, and the name `default`
/// stands for it among files (`--rules default --rules mine.yaml` extends it).
public enum WatchRules {
    /// The compiled ruleset and its catalog.
    /// - Throws: `ShrikeError` naming the rule file (and line) that does not load.
    public static func load(_ files: [String]) throws -> (CompiledRuleSet, RuleCatalog) {
        let ruleSet = try CompiledRuleSet.forWatch(paths: files)
        return (ruleSet, ruleSet.catalog)
    }
}

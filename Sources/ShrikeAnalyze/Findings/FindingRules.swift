/// Runs every finding rule over an analysis and orders the findings by the bytes at stake.
enum FindingRules {
    static func evaluate(_ context: FindingContext) -> [Finding] {
        var findings: [Finding] = []
        findings += pathFindings(PackageCacheRules.all, context)
        findings += pathFindings(DocumentationRules.all, context)
        findings += toolchain(context)
        let metadata = LayerWasteRules.metadataOnly(context)
        findings += metadata
        findings += LayerWasteRules.removedLater(context)
        findings += LayerWasteRules.overwrittenLater(context, metadataLayers: Set(metadata.flatMap(\.layers)))
        if let base = SmallerBases.finding(context) { findings.append(base) }
        return findings.sorted { $0.bytes != $1.bytes ? $0.bytes > $1.bytes : $0.rule < $1.rule }
    }

    /// One finding per rule that matches files of the final tree; each file counts for the first rule it matches.
    static func pathFindings(_ rules: [PathRule], _ context: FindingContext) -> [Finding] {
        var matches = Array(repeating: PathMatches(capacity: context.limits.pathsPerFinding), count: rules.count)
        for entry in context.tree.entries.values where entry.kind == .regular && mayMatch(entry.path) {
            if let index = rules.firstIndex(where: { $0.matches(entry.path) }) { matches[index].add(entry) }
        }
        return zip(rules, matches).compactMap { rule, match in
            guard match.files > 0 else { return nil }
            let layers = match.layers.sorted()
            let inBase = layers.allSatisfy(context.isBase)
            let layerText = layers.map { context.command(of: $0) }.joined(separator: ", ")
            return Finding(kind: rule.kind, rule: rule.id,
                           title: "\(match.files) file(s) of \(rule.what) left in \(layerText)",
                           fix: inBase ? "the base image brings these: pick a slimmer variant of it, or \(rule.fix)" : rule.fix,
                           bytes: match.bytes, layers: layers, paths: match.largest.items.map(\.path), inBase: inBase)
        }
    }

    /// A cheap first test: every path rule matches below /var, /usr, /root, /home or /etc, or a `__pycache__` or
    /// `go/pkg/mod` directory, so the rules need not run on the rest (most of a large tree).
    static func mayMatch(_ path: String) -> Bool {
        for prefix in ["/var/", "/usr/", "/root/", "/home/", "/etc/"] where path.hasPrefix(prefix) { return true }
        return path.contains("/__pycache__/") || path.contains("/go/pkg/mod/")
    }

    /// Compilers and headers in the final tree, naming the build packages the package database lists.
    static func toolchain(_ context: FindingContext) -> [Finding] {
        var match = PathMatches(capacity: context.limits.pathsPerFinding)
        for entry in context.tree.entries.values where entry.kind == .regular && ToolchainRules.isToolchainPath(entry.path) {
            match.add(entry)
        }
        let packages = context.packages.filter { ToolchainRules.isBuildPackage($0.name) }
        guard match.files > 0 || !packages.isEmpty else { return [] }
        let packageBytes = packages.reduce(Int64(0)) { $0 + ($1.installedBytes ?? 0) }
        let names = packages.map(\.name).sorted()
        let shown = names.prefix(12).joined(separator: ", ") + (names.count > 12 ? " and \(names.count - 12) more" : "")
        let layers = match.layers.sorted()
        var title = "a build toolchain is in the final image"
        if match.files > 0 { title += ": \(match.files) compiler/header file(s)" }
        if !names.isEmpty { title += "; build packages installed: \(shown)" }
        return [Finding(kind: .buildToolchain, rule: "toolchain", title: title, fix: ToolchainRules.fix,
                        bytes: max(match.bytes, packageBytes), layers: layers, paths: match.largest.items.map(\.path),
                        inBase: !layers.isEmpty && layers.allSatisfy(context.isBase))]
    }
}

/// Findings about bytes one layer wrote and a later one removed or rewrote.
enum LayerWasteRules {
    /// Files added by one user layer and deleted (or hidden) by a later one: one finding per pair of layers.
    static func removedLater(_ context: FindingContext) -> [Finding] {
        grouped(context, causes: [.deleted, .hiddenByOpaqueDirectory]).map { pair, items in
            finding(.removedInLaterLayer, rule: "same-run", pair: pair, items: items, context: context,
                    title: "\(context.command(of: pair.added)) adds \(files(items)) file(s) that \(context.command(of: pair.removed)) removes: the bytes stay in the image",
                    fix: "create and remove them in the same RUN (`… && rm -rf …`), or build them in another stage and copy only what is kept")
        }
    }

    /// Files written by one layer and written again by a later one (not counting metadata-only rewrites).
    static func overwrittenLater(_ context: FindingContext, metadataLayers: Set<Int>) -> [Finding] {
        grouped(context, causes: [.overwritten]).compactMap { pair, items in
            guard !metadataLayers.contains(pair.removed), pair.added != pair.removed else { return nil }
            return finding(.overwrittenInLaterLayer, rule: "write-once", pair: pair, items: items, context: context,
                           title: "\(context.command(of: pair.removed)) replaces \(files(items)) file(s) that \(context.command(of: pair.added)) wrote",
                           fix: "write each file once: change it in the step that creates it, or order the COPY steps so later ones do not replace earlier files")
        }
    }

    private static func finding(_ kind: Finding.Kind, rule: String, pair: Pair, items: [WasteItem], context: FindingContext,
                                title: String, fix: String) -> Finding {
        let sample = items.sorted { $0.bytes != $1.bytes ? $0.bytes > $1.bytes : $0.path < $1.path }
            .prefix(context.limits.pathsPerFinding).map(\.path)
        return Finding(kind: kind, rule: rule, title: title, fix: fix, bytes: items.reduce(Int64(0)) { $0 + $1.bytes },
                       layers: [pair.added, pair.removed], paths: sample, inBase: false)
    }

    private static func files(_ items: [WasteItem]) -> Int { items.reduce(0) { $0 + $1.files } }

    /// User layers that mostly re-write files with unchanged content (a `chmod -R`/`chown -R` in its own RUN).
    static func metadataOnly(_ context: FindingContext) -> [Finding] {
        context.layers.compactMap { layer in
            guard !layer.inBase, layer.metadataOnlyBytes > 0, layer.metadataOnlyBytes * 2 >= layer.contentBytes else { return nil }
            return Finding(
                kind: .metadataOnlyLayer, rule: "chown-chmod-layer",
                title: "\(context.command(of: layer.index)) copies \(layer.metadataOnlyFiles) unchanged file(s) only to change their owner or mode",
                fix: "set ownership and mode where the files are created: `COPY --chown=USER:GROUP --chmod=MODE …`, or run chown/chmod in the RUN that writes them",
                bytes: layer.metadataOnlyBytes, layers: [layer.index], paths: [], inBase: false)
        }
    }

    private struct Pair: Hashable {
        var added: Int
        var removed: Int
    }

    private static func grouped(_ context: FindingContext, causes: Set<WasteCause>) -> [(Pair, [WasteItem])] {
        var groups: [Pair: [WasteItem]] = [:]
        for item in context.waste where causes.contains(item.cause) && !context.isBase(item.removedBy) {
            groups[Pair(added: item.addedBy, removed: item.removedBy), default: []].append(item)
        }
        return groups.sorted { $0.key.added != $1.key.added ? $0.key.added < $1.key.added : $0.key.removed < $1.key.removed }
            .map { ($0.key, $0.value) }
    }
}

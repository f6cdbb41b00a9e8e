import ShrikeCatalog
import ShrikeCore
import ShrikeImage

/// Turns what the ledger counted and the final tree into the report: layers, base, waste, duplicates, findings.
struct AnalysisAssembler {
    let fs: any RootFileSystem
    let source: SourceDescription
    let ledger: LayerLedger
    let baseDiffIDs: [Digest]?
    let baseName: String?
    let limits: AnalysisLimits

    func report() throws -> AnalysisReport {
        var truncated: [String] = []
        let layerInfos = fs.layers
        let history = Self.history(of: fs, layerCount: layerInfos.count)
        let sizes = SizeTree(fs.tree, largest: limits.largestEntries)
        let base = BaseDetector.detect(history: history, layerDiffIDs: layerInfos.map(\.diffID), baseDiffIDs: baseDiffIDs,
                                       baseName: baseName)
        if !layerInfos.isEmpty { ledger.touch(layerInfos.count - 1) }

        var visibleByLayer: [Int: Int64] = [:]
        for entry in fs.tree.entries.values where entry.kind == .regular {
            visibleByLayer[entry.layer, default: 0] += LayerLedger.contentBytes(of: entry)
        }
        let layers = layerInfos.map { info in
            let tally = ledger.tallies[info.index]
            return LayerReport(index: info.index, digest: info.digest.description, diffID: info.diffID.description,
                               createdBy: history.first { $0.layer == info.index }?.createdBy ?? info.createdBy,
                               blobSize: info.size, contentBytes: tally.contentBytes, added: tally.added,
                               modified: tally.modified, deleted: tally.deleted, visibleBytes: visibleByLayer[info.index] ?? 0,
                               metadataOnlyFiles: tally.metadataOnlyFiles, metadataOnlyBytes: tally.metadataOnlyBytes,
                               inBase: info.index < base.layers, largest: tally.largest.items)
        }
        let baseBytes = layers.prefix(base.layers).reduce(Int64(0)) { $0 + $1.contentBytes }

        let allWaste = ledger.waste.map { key, total in
            WasteItem(path: key.root, bytes: total.bytes, files: total.files, cause: key.cause, addedBy: key.addedBy,
                      removedBy: key.removedBy, inBase: key.removedBy < base.layers)
        }.sorted(by: Self.wasteOrder)
        if ledger.wasteOverflowed {
            truncated.append("waste past \(limits.wasteRecords) distinct paths is summed per pair of layers under '\(LayerLedger.overflowPath)'")
        }
        if allWaste.count > limits.wasteItems {
            truncated.append("waste lists the \(limits.wasteItems) largest of \(allWaste.count) items (totals count them all)")
        }

        var summary: WasteSummary?
        if !layerInfos.isEmpty {
            var byCause = Dictionary(uniqueKeysWithValues: WasteCause.allCases.map { ($0.rawValue, Int64(0)) })
            var baseWaste: Int64 = 0, userWaste: Int64 = 0
            for item in allWaste {
                byCause[item.cause.rawValue, default: 0] += item.bytes
                if item.inBase { baseWaste += item.bytes } else { userWaste += item.bytes }
            }
            summary = WasteSummary(totalBytes: ledger.totalBytes, visibleBytes: sizes.totalBytes, baseWastedBytes: baseWaste,
                                   userWastedBytes: userWaste, byCause: byCause)
            let gap = ledger.totalBytes - sizes.totalBytes - baseWaste - userWaste
            if gap != 0 {
                truncated.append("\(gap) bytes are counted as wasted but still reachable through hard links whose first name was removed")
            }
        }

        let duplicates = Self.duplicates(fs.tree, digests: ledger.digests, limits: limits)
        if ledger.hashingStopped {
            truncated.append("only the first \(limits.hashedPaths) paths were hashed: duplicates and metadata-only layers may be missed past them")
        }
        if duplicates.count > limits.duplicateGroups {
            truncated.append("duplicates lists the \(limits.duplicateGroups) groups that waste most of \(duplicates.count)")
        }

        let distro = try DistroDetector.detect(fs)
        let context = FindingContext(tree: fs.tree, sizes: sizes, waste: allWaste, layers: layers, baseLayers: base.layers,
                                     baseBytes: baseBytes, distro: distro?.id, distroVersion: distro?.versionID,
                                     packages: try Self.packages(fs), limits: limits)
        let view = sizes.view(budget: limits.treeNodes)
        if !view.complete {
            truncated.append("the tree view shows at most \(limits.treeNodes) nodes; smaller entries are folded into '… N more' nodes")
        }
        return AnalysisReport(
            source: source, distro: distro?.id, distroVersion: distro?.versionID, history: history, layers: layers,
            base: BaseImageReport(method: base.method, layerCount: base.layers, bytes: baseBytes, evidence: base.evidence),
            summary: summary, waste: Array(allWaste.prefix(limits.wasteItems)),
            duplicates: Array(duplicates.prefix(limits.duplicateGroups)), findings: FindingRules.evaluate(context),
            largestFiles: sizes.largestFiles.items, largestDirectories: sizes.largestDirectories(limits.largestEntries),
            tree: view.root, finalFiles: sizes.totalFiles, finalBytes: sizes.totalBytes, truncated: truncated)
    }

    static func wasteOrder(_ a: WasteItem, _ b: WasteItem) -> Bool {
        if a.bytes != b.bytes { return a.bytes > b.bytes }
        if a.path != b.path { return a.path < b.path }
        if a.addedBy != b.addedBy { return a.addedBy < b.addedBy }
        return a.removedBy < b.removedBy
    }

    /// The config's history with each step that made a layer matched to it, in order. When the non-empty steps do
    /// not line up one to one with the layers, no step gets a layer (guessing would name the wrong command).
    static func history(of fs: any RootFileSystem, layerCount: Int) -> [HistoryStep] {
        guard let image = fs as? ImageFileSystem else { return [] }
        let lineUp = image.history.filter { !$0.emptyLayer }.count == layerCount
        var next = 0
        return image.history.map { entry in
            var layer: Int?
            if !entry.emptyLayer, lineUp {
                layer = next
                next += 1
            }
            return HistoryStep(createdBy: entry.createdBy ?? "", emptyLayer: entry.emptyLayer, layer: layer,
                               created: entry.created)
        }
    }

    /// Files of the final tree with equal size and equal content under different paths, wasting most first.
    static func duplicates(_ tree: FileTree, digests: [String: Digest], limits: AnalysisLimits) -> [DuplicateGroup] {
        struct Key: Hashable {
            var size: Int64
            var digest: Digest
        }
        var groups: [Key: [FileEntry]] = [:]
        for entry in tree.entries.values where entry.kind == .regular && entry.hardlinkTo == nil && entry.size > 0 {
            guard let digest = digests[entry.path] else { continue }
            groups[Key(size: entry.size, digest: digest), default: []].append(entry)
        }
        return groups.compactMap { key, entries -> DuplicateGroup? in
            guard entries.count > 1 else { return nil }
            let paths = entries.map(\.path).sorted()
            return DuplicateGroup(digest: key.digest.description, size: key.size,
                                  paths: Array(paths.prefix(limits.pathsPerDuplicateGroup)), count: entries.count,
                                  layers: Array(Set(entries.map(\.layer))).sorted())
        }.sorted { $0.reclaimableBytes != $1.reclaimableBytes ? $0.reclaimableBytes > $1.reclaimableBytes : $0.digest < $1.digest }
    }

    /// Installed packages from the dpkg or apk database of the final tree.
    static func packages(_ fs: any RootFileSystem) throws -> [InstalledPackage] {
        if let status = try fs.contents(of: "/var/lib/dpkg/status") {
            return DpkgStatusParser.stanzas(String(decoding: status, as: UTF8.self)).compactMap { fields in
                guard let name = fields["package"],
                      DpkgStatusEntry(package: name, version: "", status: fields["status"]).isInstalled else { return nil }
                let kib = fields["installed-size"].flatMap { Int64($0) }
                return InstalledPackage(name: name, installedBytes: kib.map { $0 * 1024 })
            }
        }
        if let installed = try fs.contents(of: "/lib/apk/db/installed") {
            return ApkInstalledParser.parse(installed).map { InstalledPackage(name: $0.name, installedBytes: nil) }
        }
        return []
    }
}

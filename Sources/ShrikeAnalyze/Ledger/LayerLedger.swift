import ShrikeCore
import ShrikeImage

/// Counts bytes layer by layer while an image is read: what each layer wrote, and which bytes later layers removed
/// or replaced (the waste), grouped by the path the removal named.
///
/// A pure state machine fed by `FileTreeBuilder` (as its `TreeChangeObserver`); it does no I/O. Memory is bounded by
/// `AnalysisLimits`: past `wasteRecords` groups, new groups are summed per layer pair under one placeholder path, and
/// past `hashedPaths` no new path is hashed. Totals stay exact either way.
// @unchecked Sendable: the builder calls it from the one thread that reads the image, and the analyzer reads it only
// after that read has returned; it is never shared between threads at the same time.
final class LayerLedger: TreeChangeObserver, @unchecked Sendable {
    static let overflowPath = "(other paths past the record limit)"

    let limits: AnalysisLimits
    private(set) var tallies: [LayerTally] = []
    private(set) var waste: [WasteKey: WasteTotal] = [:]
    private(set) var wasteOverflowed = false
    private(set) var hashingStopped = false
    /// The content digest of every hashed path as the tree holds it now.
    private(set) var digests: [String: Digest] = [:]
    private(set) var totalBytes: Int64 = 0

    init(limits: AnalysisLimits) { self.limits = limits }

    // MARK: - TreeChangeObserver

    func wantsDigest(path: String, size: Int64, layer: Int) -> Bool {
        guard size >= limits.minimumHashedSize else { return false }
        if digests.count < limits.hashedPaths || digests[path] != nil { return true }
        hashingStopped = true
        return false
    }

    func wrote(_ entry: FileEntry, previous: FileEntry?, digest: Digest?) {
        touch(entry.layer)
        guard entry.kind != .directory else { return }
        let bytes = Self.contentBytes(of: entry)
        totalBytes += bytes
        tallies[entry.layer].contentBytes += bytes
        if let previous, previous.kind != .directory {
            tallies[entry.layer].modified += 1
        } else {
            tallies[entry.layer].added += 1
        }
        guard entry.kind == .regular else {
            digests.removeValue(forKey: entry.path)
            return
        }
        if bytes > 0 {
            tallies[entry.layer].largest.offer(SizedPath(path: entry.path, size: bytes, layer: entry.layer))
        }
        let old = digests[entry.path]
        if let digest {
            digests[entry.path] = digest
        } else {
            digests.removeValue(forKey: entry.path)
        }
        if let previous, previous.kind == .regular, previous.layer < entry.layer, previous.size == entry.size,
           let old, let digest, old == digest {
            tallies[entry.layer].metadataOnlyFiles += 1
            tallies[entry.layer].metadataOnlyBytes += bytes
        }
    }

    func removed(_ entry: FileEntry, by layer: Int, cause: TreeRemovalCause, root: String) {
        touch(layer)
        let replacedInPlace = cause == .replaced && root == entry.path
        if entry.kind != .directory && !replacedInPlace { tallies[layer].deleted += 1 }
        // A copy replaced in place keeps its digest until `wrote` compares it with the new copy's.
        if !replacedInPlace { digests.removeValue(forKey: entry.path) }
        let bytes = Self.contentBytes(of: entry)
        guard bytes > 0 else { return }
        let wasteCause: WasteCause = switch cause {
        case .replaced: .overwritten
        case .whiteout: .deleted
        case .opaqueDirectory: .hiddenByOpaqueDirectory
        }
        var key = WasteKey(root: root, cause: wasteCause, addedBy: entry.layer, removedBy: layer)
        if waste[key] == nil && waste.count >= limits.wasteRecords {
            wasteOverflowed = true
            key.root = Self.overflowPath
        }
        waste[key, default: WasteTotal()].bytes += bytes
        waste[key, default: WasteTotal()].files += 1
    }

    // MARK: - Helpers

    /// Bytes a tree entry stored in its layer: a regular file's content; a hard link stores none of its own.
    static func contentBytes(of entry: FileEntry) -> Int64 {
        entry.kind == .regular && entry.hardlinkTo == nil ? entry.size : 0
    }

    /// Makes sure `layer` has a tally (layers that write nothing still get one when the analyzer asks).
    func touch(_ layer: Int) {
        while tallies.count <= layer { tallies.append(LayerTally(largest: limits.largestEntries)) }
    }
}

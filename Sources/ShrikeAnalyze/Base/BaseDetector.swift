import Foundation
import ShrikeCore
import ShrikeImage

/// Decides which layers came from the base image.
///
/// With the base's diff ids (`--base IMAGE`), the base is the longest common prefix of both lists. Otherwise the
/// history says: a base image's Dockerfile ends with `CMD`/`ENTRYPOINT` (`/bin/sh -c #(nop)  CMD ["bash"]`, or
/// `CMD ["bash"]` from BuildKit), so the last such step that more layers follow marks where the user's Dockerfile
/// began; its `FROM` does not appear in the history. Failing that, a first layer that adds a whole root file system
/// (`ADD file:… in /`) is the base. Unlike dive, which always takes layer 0 alone, a multi-layer base is found whole.
enum BaseDetector {
    static func detect(history: [HistoryStep], layerDiffIDs: [Digest], baseDiffIDs: [Digest]?, baseName: String?)
        -> (method: BaseImageReport.Method, layers: Int, evidence: String?) {
        if let baseDiffIDs {
            let common = zip(layerDiffIDs, baseDiffIDs).prefix { $0 == $1 }.count
            return (.diffIDs, common, baseName)
        }
        let aligned = history.contains { $0.layer != nil }
        guard aligned else { return (.none, 0, nil) }
        var boundary: (layers: Int, step: String)?
        var layersSoFar = 0
        for (index, step) in history.enumerated() {
            if step.layer != nil { layersSoFar += 1 }
            guard isEndOfDockerfile(step.createdBy) else { continue }
            let layersAfter = history[(index + 1)...].contains { $0.layer != nil }
            if layersAfter, layersSoFar > 0 { boundary = (layersSoFar, step.createdBy) }
        }
        if let boundary { return (.historyBoundary, boundary.layers, boundary.step) }
        if let first = history.first(where: { $0.layer != nil }), first.layer == 0, addsRootFileSystem(first.createdBy),
           layerDiffIDs.count > 1 {
            return (.rootFileSystemLayer, 1, first.createdBy)
        }
        return (.none, 0, nil)
    }

    /// `CMD` or `ENTRYPOINT`, as the classic builder (`#(nop)`), BuildKit and buildah record them.
    static func isEndOfDockerfile(_ createdBy: String) -> Bool {
        var text = createdBy.trimmingCharacters(in: .whitespaces)
        if let nop = text.range(of: "#(nop)") { text = String(text[nop.upperBound...]).trimmingCharacters(in: .whitespaces) }
        return text.hasPrefix("CMD ") || text.hasPrefix("CMD[") || text.hasPrefix("ENTRYPOINT ") || text.hasPrefix("ENTRYPOINT[")
    }

    /// `ADD file:<hash> in /` (the classic and BuildKit record of a base's root file system tarball) or `ADD x.tar… /`.
    static func addsRootFileSystem(_ createdBy: String) -> Bool {
        var text = createdBy.trimmingCharacters(in: .whitespaces)
        if let nop = text.range(of: "#(nop)") { text = String(text[nop.upperBound...]).trimmingCharacters(in: .whitespaces) }
        guard text.hasPrefix("ADD ") else { return false }
        return text.hasSuffix(" in /") || (text.contains(".tar") && text.hasSuffix(" /"))
    }
}

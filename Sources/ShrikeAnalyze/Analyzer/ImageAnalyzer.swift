import ShrikeCatalog
import ShrikeCore
import ShrikeImage

/// `shrike analyze`: where an image's bytes go, which are wasted, in which layer, and what to change.
public enum ImageAnalyzer {
    /// Package databases and release files whose contents the analysis reads.
    static let keptPaths: Set<String> = DistroDetector.wantedPaths.union(["/var/lib/dpkg/status", "/lib/apk/db/installed"])

    /// Reads `target` once (layers streamed and verified, nothing extracted) and analyses it.
    ///
    /// Throws the `ShrikeError`s of reading the image (and of the `--base` image), naming the target at fault.
    public static func analyze(_ target: Target, options: AnalysisOptions = AnalysisOptions()) throws -> AnalysisReport {
        let ledger = LayerLedger(limits: options.limits)
        var read = options.read
        read.changeObserver = ledger
        let kept = keptPaths
        read.selector = { path, size in kept.contains(path) && size <= 256 << 20 }
        let (fs, source) = try ImageLoader.open(target, options: read)
        let baseDiffIDs: [Digest]?
        switch options.base {
        case .auto:
            baseDiffIDs = nil
        case .image(let base):
            var baseRead = options.read
            baseRead.selector = nil
            baseDiffIDs = try ImageLoader.open(base, options: baseRead).1.layers
        }
        let baseName: String? = if case .image(let base) = options.base { base.description } else { nil }
        return try AnalysisAssembler(fs: fs, source: source, ledger: ledger, baseDiffIDs: baseDiffIDs, baseName: baseName,
                                     limits: options.limits).report()
    }
}

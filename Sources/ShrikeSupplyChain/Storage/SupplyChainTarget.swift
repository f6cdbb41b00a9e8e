import ShrikeCore
import ShrikeImage

/// Opens a target string as an `ArtifactStore` plus the tag it names.
///
/// Supports `oci-dir:PATH[:TAG]` (and a bare path to a layout) now. The lead adds `registry:HOST/REPO[:TAG|@DIGEST]`
/// here once ShrikeImage's registry client exists: return a registry-backed `ArtifactStore` and the tag.
public enum SupplyChainTarget {
    public static func open(_ target: String) throws -> (store: any ArtifactStore, tag: String?) {
        let parsed = try TargetParser.parse(target)
        switch parsed {
        case .ociDirectory(let path, let tag):
            return (try OCILayoutStore(root: path), tag)
        default:
            throw ShrikeError(.unsupportedFormat,
                              "signatures, attestations and tag locks work on OCI layouts (oci-dir:PATH[:TAG]) for now; convert with `skopeo copy \(parsed.typeName):… oci:DIR:TAG`",
                              input: target)
        }
    }

    /// Opens and resolves in one step.
    public static func resolve(_ target: String) throws -> ResolvedImage {
        let (store, tag) = try open(target)
        return try ResolvedImage.resolve(in: store, tag: tag)
    }
}

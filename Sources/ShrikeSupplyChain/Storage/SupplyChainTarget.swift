import ShrikeCore
import ShrikeImage

/// Opens a target string as an `ArtifactStore` plus the tag it names.
///
/// Supports `oci-dir:PATH[:TAG]` (and a bare path to a layout) and `registry:HOST/REPO[:TAG|@DIGEST]`. For a
/// registry the tag returned is the one the user wrote (nil for `HOST/REPO` or `HOST/REPO@DIGEST`; the store then
/// resolves `latest` or the digest); a pinned digest wins over a tag written with it.
public enum SupplyChainTarget {
    /// Opens `target`; `registry` says how to reach a registry (ignored for layouts). Throws `unsupportedFormat`
    /// for archives and directories, `badTarget` for a malformed target. Nothing is read yet.
    public static func open(_ target: String, registry: RegistryOptions = RegistryOptions()) throws -> (store: any ArtifactStore, tag: String?) {
        let parsed = try TargetParser.parse(target)
        switch parsed {
        case .ociDirectory(let path, let tag):
            return (try OCILayoutStore(root: path), tag)
        case .registry:
            let store = try RegistryArtifactStore(reference: String(target.dropFirst("registry:".count)), options: registry)
            return (store, store.explicitTag)
        default:
            throw ShrikeError(.unsupportedFormat,
                              "signatures, attestations and tag locks work on OCI layouts (oci-dir:PATH[:TAG]) and registries (registry:HOST/REPO[:TAG]); convert with `skopeo copy \(parsed.typeName):… oci:DIR:TAG`",
                              input: target)
        }
    }

    /// Opens and resolves in one step.
    public static func resolve(_ target: String, registry: RegistryOptions = RegistryOptions()) throws -> ResolvedImage {
        let (store, tag) = try open(target, registry: registry)
        return try ResolvedImage.resolve(in: store, tag: tag)
    }
}

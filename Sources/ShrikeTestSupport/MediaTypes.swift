/// Media type strings the fixtures write.
public enum MediaType {
    public static let ociLayout = "1.0.0"
    public static let ociIndex = "application/vnd.oci.image.index.v1+json"
    public static let ociManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let ociConfig = "application/vnd.oci.image.config.v1+json"
    public static let ociLayer = "application/vnd.oci.image.layer.v1.tar"
    public static let ociLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip"
    public static let ociLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd"
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    public static let dockerConfig = "application/vnd.docker.container.image.v1+json"
    public static let dockerLayer = "application/vnd.docker.image.rootfs.diff.tar"
    public static let dockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip"
    /// The OCI ref-name annotation key that names a tag in an OCI layout's `index.json`.
    public static let refNameAnnotation = "org.opencontainers.image.ref.name"

    /// The layer media type for a compression in a family. Docker v2 has no zstd type, so zstd layers always
    /// get the OCI one.
    public static func layer(_ compression: LayerCompression, _ family: FixtureMediaTypes) -> String {
        switch (compression, family) {
        case (.none, .oci): return ociLayer
        case (.gzip, .oci): return ociLayerGzip
        case (.none, .docker): return dockerLayer
        case (.gzip, .docker): return dockerLayerGzip
        case (.zstd, _): return ociLayerZstd
        }
    }

    public static func manifest(_ family: FixtureMediaTypes) -> String { family == .oci ? ociManifest : dockerManifest }
    public static func config(_ family: FixtureMediaTypes) -> String { family == .oci ? ociConfig : dockerConfig }
    public static func index(_ family: FixtureMediaTypes) -> String { family == .oci ? ociIndex : dockerManifestList }
}

/// The media types and annotations cosign, Sigstore and OCI use for signatures and attestations.
public enum OCIMediaTypes {
    public static let imageManifest = "application/vnd.oci.image.manifest.v1+json"
    public static let imageIndex = "application/vnd.oci.image.index.v1+json"
    public static let imageConfig = "application/vnd.oci.image.config.v1+json"
    public static let emptyConfig = "application/vnd.oci.empty.v1+json"
    public static let dockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
    public static let dockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json"
    /// The layer media type of a cosign simple-signing payload.
    public static let simpleSigning = "application/vnd.dev.cosign.simplesigning.v1+json"
    /// The layer media type of a cosign attestation (a DSSE envelope).
    public static let dsseEnvelope = "application/vnd.dsse.envelope.v1+json"
    /// cosign v3's Sigstore bundle, attached as an OCI 1.1 referrer.
    public static let sigstoreBundle = "application/vnd.dev.sigstore.bundle.v0.3+json"
    public static let signatureAnnotation = "dev.cosignproject.cosign/signature"
    public static let certificateAnnotation = "dev.sigstore.cosign/certificate"
    public static let bundleAnnotation = "dev.sigstore.cosign/bundle"
    public static let predicateTypeAnnotation = "predicateType"
    public static let refNameAnnotation = "org.opencontainers.image.ref.name"
    public static let containerdNameAnnotation = "io.containerd.image.name"
}

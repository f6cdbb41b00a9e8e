import ShrikeCore

/// An OCI content descriptor as the supply-chain code reads and writes it (ShrikeImage's `Descriptor` has no public
/// initializer and no `artifactType`).
public struct OCIDescriptor: Codable, Sendable, Equatable {
    public var mediaType: String
    public var digest: Digest
    public var size: Int64
    public var annotations: [String: String]?
    public var artifactType: String?

    public init(mediaType: String, digest: Digest, size: Int64, annotations: [String: String]? = nil,
                artifactType: String? = nil) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.annotations = annotations
        self.artifactType = artifactType
    }

    /// A descriptor for `bytes`, its sha256 digest computed here.
    public init(mediaType: String, bytes: [UInt8], annotations: [String: String]? = nil) {
        self.init(mediaType: mediaType, digest: SupplyChainDigest.sha256(bytes), size: Int64(bytes.count),
                  annotations: annotations)
    }

    /// The tag an OCI layout records for this descriptor (`org.opencontainers.image.ref.name`).
    public var refName: String? { annotations?[OCIMediaTypes.refNameAnnotation] }

    /// The descriptor in the key order go-containerregistry (and so cosign) marshals: mediaType, size, digest,
    /// annotations (sorted), artifactType.
    func writeJSON(_ writer: inout CanonicalJSONWriter) {
        writer.beginObject()
        writer.key("mediaType"); writer.string(mediaType)
        writer.key("size"); writer.number(size)
        writer.key("digest"); writer.string(digest.description)
        if let annotations, !annotations.isEmpty {
            writer.key("annotations"); writer.stringMap(annotations)
        }
        if let artifactType {
            writer.key("artifactType"); writer.string(artifactType)
        }
        writer.endObject()
    }
}

import Foundation
import ShrikeCore

/// The image manifest cosign stores at `sha256-<hex>.sig` (or `.att`): one layer per signature (or attestation),
/// a config that lists the layers as diff ids, as go-containerregistry builds it.
///
/// `bytes` reproduces cosign's documents byte for byte: for one payload of 245 bytes, the config is cosign's
/// 233-byte one and the manifest has the same key order.
public struct SignatureManifest: Sendable {
    public var layers: [OCIDescriptor]

    public init(layers: [OCIDescriptor]) {
        self.layers = layers
    }

    /// Reads a stored signature manifest. Throws `malformed` when it is not an image manifest with layers.
    public init(parsing bytes: [UInt8], input: String? = nil) throws {
        struct Document: Decodable { var layers: [OCIDescriptor]? }
        guard let document = try? JSONDecoder().decode(Document.self, from: Data(bytes)), let layers = document.layers else {
            throw ShrikeError(.malformed, "the signature manifest is not an OCI image manifest with layers", input: input)
        }
        self.layers = layers
    }

    /// The config blob: go-containerregistry's empty config with one diff id and one history entry per layer.
    public var config: [UInt8] {
        var writer = CanonicalJSONWriter()
        writer.beginObject()
        writer.key("architecture"); writer.string("")
        writer.key("created"); writer.string("0001-01-01T00:00:00Z")
        writer.key("history")
        writer.beginArray()
        for _ in layers {
            writer.beginObject()
            writer.key("created"); writer.string("0001-01-01T00:00:00Z")
            writer.endObject()
        }
        writer.endArray()
        writer.key("os"); writer.string("")
        writer.key("rootfs")
        writer.beginObject()
        writer.key("type"); writer.string("layers")
        writer.key("diff_ids")
        writer.beginArray()
        for layer in layers { writer.string(layer.digest.description) }
        writer.endArray()
        writer.endObject()
        writer.key("config")
        writer.beginObject()
        writer.endObject()
        writer.endObject()
        return writer.bytes
    }

    /// The manifest bytes (the config's digest computed from `config`).
    public var bytes: [UInt8] {
        let config = self.config
        var writer = CanonicalJSONWriter()
        writer.beginObject()
        writer.key("schemaVersion"); writer.number(2)
        writer.key("mediaType"); writer.string(OCIMediaTypes.imageManifest)
        writer.key("config")
        OCIDescriptor(mediaType: OCIMediaTypes.imageConfig, bytes: config).writeJSON(&writer)
        writer.key("layers")
        writer.beginArray()
        for layer in layers { layer.writeJSON(&writer) }
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }

    /// Stores the config, `blobs` (the layers' contents) and the manifest under `tag`.
    func push(to store: any ArtifactStore, blobs: [[UInt8]], tag: String) throws -> OCIDescriptor {
        for blob in blobs { try store.pushBlob(blob) }
        try store.pushBlob(config)
        return try store.pushManifest(bytes, mediaType: OCIMediaTypes.imageManifest, tag: tag)
    }
}

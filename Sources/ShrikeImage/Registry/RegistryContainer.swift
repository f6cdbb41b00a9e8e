import Foundation
import ShrikeCore

/// Presents a registry image as an OCI layout so `OCILayoutReader` (platform selection, config, layer pipeline)
/// reads it unchanged: `index.json` is synthesised around the manifest the reference names, manifests are fetched
/// once and kept in memory, and every other blob streams straight from HTTP into the layer pipeline (no spooling:
/// the pipeline reads each layer once, front to back). Sizes reported for blobs are the manifests' descriptor
/// sizes, so the pipeline checks the registry's bytes against the manifest, not against its own Content-Length.
final class RegistryContainer: ImageContainer {
    let client: RegistryClient
    let reference: ImageReference
    let top: RegistryManifest
    private var manifests: [Digest: [UInt8]] = [:]
    private var manifestDigests: Set<Digest> = []
    private var blobSizes: [Digest: Int64] = [:]
    var location: String { "registry:\(reference)" }

    init(client: RegistryClient, reference: ImageReference, options: ImageReadOptions) throws {
        self.client = client
        self.reference = reference
        top = try client.manifest(reference.reference, limit: options.maxMetadataSize)
        if let pinned = reference.digest, pinned != top.digest {
            throw ShrikeError(.digestMismatch, "expected manifest \(pinned), the registry serves \(top.digest)", input: "registry:\(reference)")
        }
        remember(top.bytes, digest: top.digest)
    }

    func open(_ name: String) throws -> (stream: any ByteStream, size: Int64)? {
        switch name {
        case "oci-layout":
            return memory(Array(#"{"imageLayoutVersion":"1.0.0"}"#.utf8))
        case "index.json":
            var annotations: [String: String] = [:]
            if let tag = reference.tag { annotations[OCILayoutReader.refNameAnnotation] = tag }
            let index = ImageIndex(schemaVersion: 2, mediaType: MediaType.ociIndex,
                                   manifests: [Descriptor(mediaType: top.mediaType, digest: top.digest,
                                                          size: Int64(top.bytes.count), annotations: annotations)])
            return memory(Array(try JSONEncoder().encode(index)))
        default:
            break
        }
        let parts = name.split(separator: "/")
        guard parts.count == 3, parts[0] == "blobs", let algorithm = Digest.Algorithm(rawValue: String(parts[1])) else {
            return nil
        }
        let digest = try Digest(algorithm: algorithm, hex: String(parts[2]))
        if let bytes = manifests[digest] { return memory(bytes) }
        if manifestDigests.contains(digest) {
            let manifest = try client.manifest(digest.description)
            remember(manifest.bytes, digest: digest)
            return memory(manifest.bytes)
        }
        let (stream, served) = try client.openBlob(digest)
        let expected = blobSizes[digest]
        if let expected, let served, expected != served {
            throw ShrikeError(.digestMismatch, "size mismatch: the manifest says \(expected) bytes, the registry serves \(served)",
                              input: "\(location): blob \(digest)")
        }
        guard let size = expected ?? served else {
            throw ShrikeError(.io, "the registry sent blob \(digest) without a Content-Length", input: location)
        }
        return (stream, size)
    }

    private func memory(_ bytes: [UInt8]) -> (stream: any ByteStream, size: Int64) {
        (MemoryByteStream(bytes), Int64(bytes.count))
    }

    /// Keeps a fetched manifest, and learns which digests it names are manifests (index children) and which blobs.
    private func remember(_ bytes: [UInt8], digest: Digest) {
        manifests[digest] = bytes
        if let index = try? JSONDecoder().decode(ImageIndex.self, from: Data(bytes)) {
            for child in index.manifests { manifestDigests.insert(child.digest) }
        } else if let manifest = try? JSONDecoder().decode(ImageManifest.self, from: Data(bytes)) {
            blobSizes[manifest.config.digest] = manifest.config.size
            for layer in manifest.layers { blobSizes[layer.digest] = layer.size }
        }
    }
}

import Foundation
import ShrikeCore

/// Signs images the way `cosign sign --key` does (legacy `.sig` tag format, no transparency log upload).
public struct ImageSigner: Sendable {
    public let key: SigningKey

    public init(key: SigningKey) {
        self.key = key
    }

    /// What one signing did.
    public struct Result: Sendable {
        /// `sha256-<hex>.sig`.
        public var tag: String
        public var signatureManifest: OCIDescriptor
        public var payload: [UInt8]
        /// The base64 DER signature stored in the layer's annotation.
        public var signature: String
        /// Signatures now attached, this one included.
        public var signatureCount: Int
    }

    /// Signs `image` claiming `identity` as its `docker-reference`, appending a layer to the image's signature
    /// manifest (earlier signatures are kept, as cosign keeps them).
    ///
    /// Throws when the store cannot be written or an existing signature manifest cannot be read.
    public func sign(_ image: ResolvedImage, identity: String, annotations: [String: String]? = nil) throws -> Result {
        let store = image.store
        let payload = SimpleSigningPayload(dockerReference: identity, manifestDigest: image.digest, optional: annotations).bytes
        let signature = Data(try key.sign(payload)).base64EncodedString()
        let tag = CosignTags.signature(for: image.digest)

        var layers: [OCIDescriptor] = []
        if store.tagExists(tag), let existing = try store.manifest(try store.descriptor(forTag: tag).digest) {
            layers = try SignatureManifest(parsing: existing, input: "\(store.location): \(tag)").layers
        }
        let layer = OCIDescriptor(mediaType: OCIMediaTypes.simpleSigning, bytes: payload,
                                  annotations: [OCIMediaTypes.signatureAnnotation: signature])
        layers.append(layer)
        let manifest = SignatureManifest(layers: layers)
        let descriptor = try manifest.push(to: store, blobs: [payload], tag: tag)
        return Result(tag: tag, signatureManifest: descriptor, payload: payload, signature: signature,
                      signatureCount: layers.count)
    }
}

extension ArtifactStore {
    /// True when `tag` exists (errors reading the tag list count as absent).
    func tagExists(_ tag: String) -> Bool {
        ((try? tags()) ?? []).contains(tag)
    }
}

import Foundation
import ShrikeCore

/// Attaches signed in-toto attestations to images the way `cosign attest --key` does: a DSSE envelope layer
/// (`application/vnd.dsse.envelope.v1+json`, annotated with its `predicateType`) on the `sha256-<hex>.att` manifest.
public struct Attestor: Sendable {
    public let key: SigningKey

    public init(key: SigningKey) {
        self.key = key
    }

    public struct Result: Sendable {
        public var tag: String
        public var manifest: OCIDescriptor
        public var envelope: DSSEEnvelope
        public var statement: InTotoStatement
        /// Attestations now attached, this one included.
        public var attestationCount: Int
    }

    /// Signs a statement about `image` (subject `identity` at the image's manifest digest) carrying `predicate`
    /// (JSON) of `predicateType`, and appends it to the image's `.att` manifest.
    public func attest(_ image: ResolvedImage, identity: String, predicateType: String, predicate: [UInt8]) throws -> Result {
        let statement = try InTotoStatement(image: identity, digest: image.digest, predicateType: predicateType,
                                            predicate: predicate)
        let envelope = try DSSEEnvelope.sign(payload: statement.bytes, payloadType: DSSEEnvelope.inTotoPayloadType, key: key)
        let envelopeBytes = envelope.bytes
        let store = image.store
        let tag = CosignTags.attestation(for: image.digest)
        var layers: [OCIDescriptor] = []
        if store.tagExists(tag), let existing = try store.manifest(try store.descriptor(forTag: tag).digest) {
            layers = try SignatureManifest(parsing: existing, input: "\(store.location): \(tag)").layers
        }
        // cosign writes an empty signature annotation on attestation layers (the signature lives in the envelope).
        layers.append(OCIDescriptor(mediaType: OCIMediaTypes.dsseEnvelope, bytes: envelopeBytes,
                                    annotations: [OCIMediaTypes.signatureAnnotation: "",
                                                  OCIMediaTypes.predicateTypeAnnotation: predicateType]))
        let manifest = SignatureManifest(layers: layers)
        let descriptor = try manifest.push(to: store, blobs: [envelopeBytes], tag: tag)
        return Result(tag: tag, manifest: descriptor, envelope: envelope, statement: statement,
                      attestationCount: layers.count)
    }
}

import ShrikeCore

/// Why one signature was not accepted. Every case reads as a sentence for the user.
public enum SignatureRejection: Sendable, Equatable, CustomStringConvertible {
    /// The signature layer names a payload blob the store does not have.
    case payloadMissing(Digest)
    /// The payload blob's bytes do not hash to the digest its layer descriptor names.
    case payloadDigestMismatch(descriptor: Digest, actual: Digest)
    /// The layer's descriptor announces a payload far larger than any signature payload.
    case payloadTooLarge(Int64)
    /// The layer has no `dev.cosignproject.cosign/signature` annotation.
    case missingSignature
    /// The annotation is not base64.
    case badSignatureEncoding
    /// No given key verifies the signature over the payload (wrong key, or payload and signature do not belong together).
    case noMatchingKey
    /// The signature verifies but the payload is not a cosign simple-signing document (or in-toto statement).
    case unparsablePayload(String)
    /// The payload is signed for another manifest digest: the image's manifest was modified or the signature was copied.
    case manifestDigestMismatch(signed: String, image: Digest)
    /// A Fulcio certificate / Rekor (keyless) signature: not verified by this version.
    case keylessNotSupported
    /// A Sigstore bundle Shrike cannot read.
    case unsupportedBundle(String)

    public var description: String {
        switch self {
        case .payloadMissing(let digest):
            "the payload blob \(digest) is missing"
        case .payloadDigestMismatch(let descriptor, let actual):
            "the payload does not match its layer descriptor (descriptor says \(descriptor), the blob hashes to \(actual))"
        case .payloadTooLarge(let size):
            "the payload is \(size) bytes, too large for a signature payload (limit \(SignatureVerifier.maxPayloadSize))"
        case .missingSignature:
            "the layer carries no dev.cosignproject.cosign/signature annotation"
        case .badSignatureEncoding:
            "the signature annotation is not valid base64"
        case .noMatchingKey:
            "the signature does not verify with the given key(s) (wrong key, or the payload was changed)"
        case .unparsablePayload(let reason):
            "the signature is valid but its payload cannot be used: \(reason)"
        case .manifestDigestMismatch(let signed, let image):
            "the signature is for manifest \(signed), but the image's manifest is \(image) (the manifest was modified or the signature belongs to another image)"
        case .keylessNotSupported:
            "keyless (Fulcio certificate / Rekor) verification is not supported yet; verify with a key-based signature"
        case .unsupportedBundle(let reason):
            "unsupported Sigstore bundle: \(reason)"
        }
    }
}

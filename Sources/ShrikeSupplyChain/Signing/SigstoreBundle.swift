import Foundation
import ShrikeCore

/// The parts of a Sigstore bundle (`application/vnd.dev.sigstore.bundle.v0.3+json` and earlier versions) that
/// key-based verification needs.
public struct SigstoreBundle: Sendable {
    public enum Content: Sendable {
        /// A signature over an artifact's SHA-256 digest.
        case messageSignature(digest: [UInt8], signature: [UInt8])
        case envelope(DSSEEnvelope)
    }

    public var mediaType: String
    /// True when the verification material is a public key hint (not a Fulcio certificate chain).
    public var isKeyBased: Bool
    public var content: Content

    public init(parsing bytes: [UInt8]) throws {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw ShrikeError(.malformed, "the bundle is not a JSON object")
        }
        mediaType = object["mediaType"] as? String ?? ""
        guard mediaType.hasPrefix("application/vnd.dev.sigstore.bundle") else {
            throw ShrikeError(.malformed, "media type '\(mediaType)' is not a Sigstore bundle")
        }
        let material = object["verificationMaterial"] as? [String: Any] ?? [:]
        isKeyBased = material["publicKey"] != nil && material["certificate"] == nil && material["x509CertificateChain"] == nil
        if let message = object["messageSignature"] as? [String: Any] {
            guard let digestObject = message["messageDigest"] as? [String: Any],
                  (digestObject["algorithm"] as? String) == "SHA2_256",
                  let digest = (digestObject["digest"] as? String).flatMap({ Data(base64Encoded: $0) }),
                  let signature = (message["signature"] as? String).flatMap({ Data(base64Encoded: $0) }) else {
                throw ShrikeError(.malformed, "messageSignature needs a SHA2_256 messageDigest and a base64 signature")
            }
            content = .messageSignature(digest: Array(digest), signature: Array(signature))
        } else if let envelope = object["dsseEnvelope"] {
            let data = try JSONSerialization.data(withJSONObject: envelope)
            content = .envelope(try DSSEEnvelope(parsing: Array(data)))
        } else {
            throw ShrikeError(.malformed, "the bundle has neither messageSignature nor dsseEnvelope")
        }
    }

    /// A key-based v0.3 bundle holding `envelope` (for tests and for attaching Shrike's own bundles).
    public static func keyBased(envelope: DSSEEnvelope, keyHint: String) -> [UInt8] {
        var writer = CanonicalJSONWriter()
        writer.beginObject()
        writer.key("dsseEnvelope"); envelope.writeJSON(&writer)
        writer.key("mediaType"); writer.string(OCIMediaTypes.sigstoreBundle)
        writer.key("verificationMaterial")
        writer.beginObject()
        writer.key("publicKey"); writer.stringMap(["hint": keyHint])
        writer.endObject()
        writer.endObject()
        return writer.bytes
    }
}

import Foundation
import ShrikeCore

/// A DSSE envelope (github.com/secure-systems-lab/dsse): a payload, its type, and signatures over the
/// pre-authentication encoding `PAE(type, payload)`.
public struct DSSEEnvelope: Sendable, Equatable {
    public struct Signature: Sendable, Equatable {
        public var keyid: String
        /// Base64 of the raw (for ECDSA: ASN.1 DER) signature.
        public var sig: String

        public init(keyid: String, sig: String) {
            self.keyid = keyid
            self.sig = sig
        }
    }

    public static let inTotoPayloadType = "application/vnd.in-toto+json"

    public var payloadType: String
    /// Base64 of the payload, as stored.
    public var payload: String
    public var signatures: [Signature]

    public init(payloadType: String, payload: String, signatures: [Signature]) {
        self.payloadType = payloadType
        self.payload = payload
        self.signatures = signatures
    }

    /// DSSE v1 pre-authentication encoding: `"DSSEv1" SP LEN(type) SP type SP LEN(body) SP body`, lengths as
    /// ASCII decimal byte counts.
    public static func pae(payloadType: String, payload: [UInt8]) -> [UInt8] {
        let type = Array(payloadType.utf8)
        return Array("DSSEv1 \(type.count) ".utf8) + type + Array(" \(payload.count) ".utf8) + payload
    }

    /// Signs `payload` with `key`; the signature's `keyid` is the key's fingerprint hex.
    public static func sign(payload: [UInt8], payloadType: String, key: SigningKey) throws -> DSSEEnvelope {
        let signature = try key.sign(pae(payloadType: payloadType, payload: payload))
        let keyid = String(key.verificationKey.fingerprint.dropFirst("sha256:".count))
        return DSSEEnvelope(payloadType: payloadType, payload: Data(payload).base64EncodedString(),
                            signatures: [Signature(keyid: keyid, sig: Data(signature).base64EncodedString())])
    }

    /// The decoded payload (standard or URL-safe base64, as the DSSE spec allows); nil when it is neither.
    public var payloadBytes: [UInt8]? { Self.decodeBase64(payload) }

    /// The first of `keys` that verifies some signature over the PAE, or nil.
    public func verifyingKey(among keys: [VerificationKey]) -> VerificationKey? {
        guard let body = payloadBytes else { return nil }
        let message = Self.pae(payloadType: payloadType, payload: body)
        for signature in signatures {
            guard let raw = Self.decodeBase64(signature.sig) else { continue }
            if let key = keys.first(where: { $0.isValid(signature: raw, for: message) }) { return key }
        }
        return nil
    }

    /// Reads an envelope. Throws `malformed` when `payloadType`, `payload` or `signatures` is missing.
    public init(parsing bytes: [UInt8]) throws {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw ShrikeError(.malformed, "the DSSE envelope is not a JSON object")
        }
        guard let type = object["payloadType"] as? String, let payload = object["payload"] as? String,
              let signatures = object["signatures"] as? [[String: Any]] else {
            throw ShrikeError(.malformed, "the DSSE envelope needs payloadType, payload and signatures")
        }
        payloadType = type
        self.payload = payload
        self.signatures = signatures.compactMap { entry in
            guard let sig = entry["sig"] as? String else { return nil }
            return Signature(keyid: entry["keyid"] as? String ?? "", sig: sig)
        }
    }

    /// The envelope as cosign writes it: payloadType, payload, signatures[{keyid, sig}].
    public var bytes: [UInt8] {
        var writer = CanonicalJSONWriter()
        writeJSON(&writer)
        return writer.bytes
    }

    func writeJSON(_ writer: inout CanonicalJSONWriter) {
        writer.beginObject()
        writer.key("payloadType"); writer.string(payloadType)
        writer.key("payload"); writer.string(payload)
        writer.key("signatures")
        writer.beginArray()
        for signature in signatures {
            writer.beginObject()
            writer.key("keyid"); writer.string(signature.keyid)
            writer.key("sig"); writer.string(signature.sig)
            writer.endObject()
        }
        writer.endArray()
        writer.endObject()
    }

    static func decodeBase64(_ text: String) -> [UInt8]? {
        if let data = Data(base64Encoded: text) { return Array(data) }
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard.append("=") }
        return Data(base64Encoded: standard).map(Array.init)
    }
}

import Foundation
import ShrikeCore

/// cosign's "simple signing" payload: the document a cosign image signature signs.
///
/// `bytes` is exactly what cosign writes (`{"critical":{"identity":{"docker-reference":…},"image":
/// {"docker-manifest-digest":…},"type":"cosign container image signature"},"optional":null}`), so a signature made
/// here is indistinguishable from cosign's.
public struct SimpleSigningPayload: Sendable, Equatable {
    public static let signatureType = "cosign container image signature"

    public var dockerReference: String
    public var manifestDigest: String
    /// `optional` entries (cosign's `-a key=value` annotations); nil writes `"optional":null` as cosign does.
    public var optional: [String: String]?

    public init(dockerReference: String, manifestDigest: Digest, optional: [String: String]? = nil) {
        self.dockerReference = dockerReference
        self.manifestDigest = manifestDigest.description
        self.optional = optional
    }

    /// The payload bytes cosign would write.
    public var bytes: [UInt8] {
        var writer = CanonicalJSONWriter()
        writer.beginObject()
        writer.key("critical")
        writer.beginObject()
        writer.key("identity"); writer.stringMap(["docker-reference": dockerReference])
        writer.key("image"); writer.stringMap(["docker-manifest-digest": manifestDigest])
        writer.key("type"); writer.string(Self.signatureType)
        writer.endObject()
        writer.key("optional")
        if let optional { writer.stringMap(optional) } else { writer.null() }
        writer.endObject()
        return writer.bytes
    }

    /// Parses a payload strictly enough to trust its digest claim: `critical` must hold `identity.docker-reference`,
    /// `image.docker-manifest-digest` and the cosign `type`. Throws `malformed` with what is wrong.
    public init(parsing bytes: [UInt8]) throws {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw ShrikeError(.malformed, "the payload is not a JSON object")
        }
        guard let critical = object["critical"] as? [String: Any] else {
            throw ShrikeError(.malformed, "the payload has no 'critical' object")
        }
        guard critical["type"] as? String == Self.signatureType else {
            throw ShrikeError(.malformed, "the payload's critical.type is not '\(Self.signatureType)'")
        }
        guard let image = critical["image"] as? [String: Any], let digest = image["docker-manifest-digest"] as? String else {
            throw ShrikeError(.malformed, "the payload has no critical.image.docker-manifest-digest")
        }
        guard let identity = critical["identity"] as? [String: Any], let reference = identity["docker-reference"] as? String else {
            throw ShrikeError(.malformed, "the payload has no critical.identity.docker-reference")
        }
        dockerReference = reference
        manifestDigest = digest
        if let optional = object["optional"] as? [String: Any] {
            self.optional = optional.compactMapValues { $0 as? String }
        } else {
            self.optional = nil
        }
    }
}

import Foundation
import ShrikeCore

/// Checks cosign signatures of an image against public keys: the legacy `sha256-<hex>.sig` manifest and cosign v3's
/// Sigstore bundles attached as OCI 1.1 referrers.
///
/// Each signature is checked in cosign's order: the payload must match its descriptor, the signature must verify
/// with one of the keys, the payload must parse, and it must name the image's manifest digest. The claimed
/// `docker-reference` is reported but not enforced (mirrors rename images).
public struct SignatureVerifier: Sendable {
    public let keys: [VerificationKey]

    public init(keys: [VerificationKey]) {
        self.keys = keys
    }

    /// Simple-signing payloads are a few hundred bytes; anything over this is refused unread.
    public static let maxPayloadSize: Int64 = 1 << 20

    /// Every signature of `image` and its outcome. Throws only when the store itself cannot be read.
    public func verify(_ image: ResolvedImage) throws -> SignatureReport {
        let store = image.store
        var checks: [SignatureCheck] = []
        let tag = CosignTags.signature(for: image.digest)
        if store.tagExists(tag) {
            let descriptor = try store.descriptor(forTag: tag)
            guard let manifest = try store.manifest(descriptor.digest) else {
                throw ShrikeError(.notFound, "signature manifest \(descriptor.digest) (\(tag)) is missing", input: store.location)
            }
            checks += try verify(image: image.digest, signatureManifest: manifest, tag: tag) { try store.blob($0) }
        }
        for referrer in try store.referrers(of: image.digest)
        where referrer.artifactType == OCIMediaTypes.sigstoreBundle {
            checks.append(try verifyBundleReferrer(referrer, image: image.digest, store: store))
        }
        return SignatureReport(image: image.digest, checks: checks)
    }

    /// Checks every layer of a `.sig` manifest. `blob` returns a blob's stored bytes (nil when absent).
    public func verify(image: Digest, signatureManifest: [UInt8], tag: String,
                       blob: (Digest) throws -> [UInt8]?) throws -> [SignatureCheck] {
        let manifest = try SignatureManifest(parsing: signatureManifest, input: tag)
        return try manifest.layers.filter { $0.mediaType == OCIMediaTypes.simpleSigning }.map { layer in
            let source = SignatureCheck.Source.cosignTag(tag: tag, payload: layer.digest)
            guard layer.size <= Self.maxPayloadSize else {
                return SignatureCheck(source: source, outcome: .rejected(.payloadTooLarge(layer.size)))
            }
            guard let payload = try blob(layer.digest) else {
                return SignatureCheck(source: source, outcome: .rejected(.payloadMissing(layer.digest)))
            }
            return verifyLayer(layer, payload: payload, image: image, source: source)
        }
    }

    /// Checks one simple-signing layer whose payload bytes are known.
    public func verifyLayer(_ layer: OCIDescriptor, payload: [UInt8], image: Digest,
                            source: SignatureCheck.Source) -> SignatureCheck {
        func reject(_ reason: SignatureRejection, reference: String? = nil) -> SignatureCheck {
            SignatureCheck(source: source, outcome: .rejected(reason), claimedReference: reference)
        }
        guard SupplyChainDigest.matches(payload, layer.digest) else {
            return reject(.payloadDigestMismatch(descriptor: layer.digest, actual: SupplyChainDigest.sha256(payload)))
        }
        guard let encoded = layer.annotations?[OCIMediaTypes.signatureAnnotation] else { return reject(.missingSignature) }
        if layer.annotations?[OCIMediaTypes.certificateAnnotation] != nil, keys.isEmpty { return reject(.keylessNotSupported) }
        guard let signature = Data(base64Encoded: encoded) else { return reject(.badSignatureEncoding) }
        guard let key = keys.first(where: { $0.isValid(signature: Array(signature), for: payload) }) else {
            if layer.annotations?[OCIMediaTypes.certificateAnnotation] != nil { return reject(.keylessNotSupported) }
            return reject(.noMatchingKey)
        }
        let parsed: SimpleSigningPayload
        do {
            parsed = try SimpleSigningPayload(parsing: payload)
        } catch let error as ShrikeError {
            return reject(.unparsablePayload(error.message))
        } catch {
            return reject(.unparsablePayload("\(error)"))
        }
        guard parsed.manifestDigest == image.description else {
            return reject(.manifestDigestMismatch(signed: parsed.manifestDigest, image: image), reference: parsed.dockerReference)
        }
        return SignatureCheck(source: source, outcome: .verified(keyFingerprint: key.fingerprint),
                              claimedReference: parsed.dockerReference)
    }

    private func verifyBundleReferrer(_ referrer: OCIDescriptor, image: Digest, store: any ArtifactStore) throws -> SignatureCheck {
        let source = SignatureCheck.Source.bundle(referrer.digest)
        guard let manifestBytes = try store.manifest(referrer.digest),
              let manifest = try? SignatureManifest(parsing: manifestBytes),
              let layer = manifest.layers.first(where: { $0.mediaType == OCIMediaTypes.sigstoreBundle }) ?? manifest.layers.first else {
            return SignatureCheck(source: source, outcome: .rejected(.unsupportedBundle("the referrer manifest has no bundle layer")))
        }
        guard let bundle = try store.blob(layer.digest) else {
            return SignatureCheck(source: source, outcome: .rejected(.payloadMissing(layer.digest)))
        }
        guard SupplyChainDigest.matches(bundle, layer.digest) else {
            return SignatureCheck(source: source, outcome: .rejected(.payloadDigestMismatch(descriptor: layer.digest, actual: SupplyChainDigest.sha256(bundle))))
        }
        return verifyBundle(bundle, image: image, source: source)
    }

    /// Checks a Sigstore bundle (v0.1–v0.3 JSON) for `image`: key-based message signatures and DSSE envelopes are
    /// verified; certificate-based (keyless) bundles are reported as not supported.
    public func verifyBundle(_ bytes: [UInt8], image: Digest, source: SignatureCheck.Source) -> SignatureCheck {
        func result(_ outcome: SignatureCheck.Outcome, _ reference: String? = nil) -> SignatureCheck {
            SignatureCheck(source: source, outcome: outcome, claimedReference: reference)
        }
        let bundle: SigstoreBundle
        do {
            bundle = try SigstoreBundle(parsing: bytes)
        } catch let error as ShrikeError {
            return result(.rejected(.unsupportedBundle(error.message)))
        } catch {
            return result(.rejected(.unsupportedBundle("\(error)")))
        }
        guard bundle.isKeyBased else { return result(.rejected(.keylessNotSupported)) }
        switch bundle.content {
        case .messageSignature(let digest, let signature):
            guard let key = keys.first(where: { $0.isValid(signature: signature, forSHA256: digest) }) else {
                return result(.rejected(.noMatchingKey))
            }
            let signed = "sha256:" + digest.map { String(format: "%02x", $0) }.joined()
            guard image.algorithm == .sha256, signed == image.description else {
                return result(.rejected(.manifestDigestMismatch(signed: signed, image: image)))
            }
            return result(.verified(keyFingerprint: key.fingerprint))
        case .envelope(let envelope):
            guard let key = envelope.verifyingKey(among: keys) else { return result(.rejected(.noMatchingKey)) }
            guard let payload = envelope.payloadBytes else { return result(.rejected(.unparsablePayload("the DSSE payload is not base64"))) }
            if envelope.payloadType == OCIMediaTypes.simpleSigning {
                guard let parsed = try? SimpleSigningPayload(parsing: payload) else {
                    return result(.rejected(.unparsablePayload("not a cosign simple-signing document")))
                }
                guard parsed.manifestDigest == image.description else {
                    return result(.rejected(.manifestDigestMismatch(signed: parsed.manifestDigest, image: image)), parsed.dockerReference)
                }
                return result(.verified(keyFingerprint: key.fingerprint), parsed.dockerReference)
            }
            guard let statement = try? InTotoStatement(parsing: payload) else {
                return result(.rejected(.unparsablePayload("payload type \(envelope.payloadType) is neither simple signing nor an in-toto statement")))
            }
            guard statement.covers(image) else {
                let signed = statement.subjects.compactMap { $0.digest["sha256"] }.map { "sha256:" + $0 }.joined(separator: ", ")
                return result(.rejected(.manifestDigestMismatch(signed: signed.isEmpty ? "(no sha256 subject)" : signed, image: image)))
            }
            return result(.verified(keyFingerprint: key.fingerprint), statement.subjects.first?.name)
        }
    }
}

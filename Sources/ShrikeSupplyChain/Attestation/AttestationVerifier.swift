import Foundation
import ShrikeCore

/// Checks an image's attestations of one predicate type: envelope, DSSE signature (over the PAE) and subject digest.
public struct AttestationVerifier: Sendable {
    public let keys: [VerificationKey]

    public init(keys: [VerificationKey]) {
        self.keys = keys
    }

    /// Why one attestation was not accepted.
    public enum Rejection: Sendable, Equatable, CustomStringConvertible {
        case blobMissing(Digest)
        case blobDigestMismatch(descriptor: Digest, actual: Digest)
        case notAnEnvelope(String)
        case wrongPayloadType(String)
        case noMatchingKey
        case unparsableStatement(String)
        case otherPredicateType(String)
        case subjectMismatch(image: Digest, subjects: [String])

        public var description: String {
            switch self {
            case .blobMissing(let digest): "the envelope blob \(digest) is missing"
            case .blobDigestMismatch(let descriptor, let actual):
                "the envelope does not match its layer descriptor (descriptor says \(descriptor), the blob hashes to \(actual))"
            case .notAnEnvelope(let reason): "not a DSSE envelope: \(reason)"
            case .wrongPayloadType(let type): "payload type is '\(type)', not \(DSSEEnvelope.inTotoPayloadType)"
            case .noMatchingKey: "the envelope's signature does not verify with the given key(s)"
            case .unparsableStatement(let reason): "the signed statement cannot be read: \(reason)"
            case .otherPredicateType(let type): "predicate type is \(type)"
            case .subjectMismatch(let image, let subjects):
                "the statement's subject (\(subjects.isEmpty ? "none" : subjects.joined(separator: ", "))) is not the image \(image)"
            }
        }
    }

    public struct Check: Sendable, Equatable {
        public var layer: Digest
        public var predicateType: String?
        /// The fingerprint of the verifying key, or why it was rejected.
        public var outcome: Result<String, RejectionBox>

        public var isVerified: Bool {
            if case .success = outcome { return true }
            return false
        }
    }

    /// `Rejection` as an `Error`, so `Check.outcome` can be a `Result`.
    public struct RejectionBox: Error, Sendable, Equatable {
        public var rejection: Rejection
    }

    public struct Report: Sendable {
        public var image: Digest
        public var predicateType: String
        public var checks: [Check]

        /// At least one attestation of the wanted type verified.
        public var passed: Bool { checks.contains { $0.isVerified && $0.predicateType == predicateType } }

        public var lines: [String] {
            if checks.isEmpty { return ["no attestations found for \(image)"] }
            return checks.map { check in
                switch check.outcome {
                case .success(let fingerprint):
                    "ok: attestation \(check.layer) (\(check.predicateType ?? "?")) verified by key \(fingerprint)"
                case .failure(let box):
                    if case .otherPredicateType = box.rejection {
                        "skipped: attestation \(check.layer): \(box.rejection)"
                    } else {
                        "rejected: attestation \(check.layer): \(box.rejection)"
                    }
                }
            }
        }
    }

    /// Checks every layer of the image's `.att` manifest; layers of other predicate types are reported as such.
    public func verify(_ image: ResolvedImage, predicateType: String) throws -> Report {
        let store = image.store
        let tag = CosignTags.attestation(for: image.digest)
        var checks: [Check] = []
        if store.tagExists(tag) {
            let descriptor = try store.descriptor(forTag: tag)
            guard let manifestBytes = try store.manifest(descriptor.digest) else {
                throw ShrikeError(.notFound, "attestation manifest \(descriptor.digest) (\(tag)) is missing", input: store.location)
            }
            let manifest = try SignatureManifest(parsing: manifestBytes, input: tag)
            for layer in manifest.layers where layer.mediaType == OCIMediaTypes.dsseEnvelope {
                checks.append(check(layer, blob: try store.blob(layer.digest), image: image.digest, predicateType: predicateType))
            }
        }
        return Report(image: image.digest, predicateType: predicateType, checks: checks)
    }

    /// Checks one attestation layer whose blob is `blob` (nil when missing).
    public func check(_ layer: OCIDescriptor, blob: [UInt8]?, image: Digest, predicateType wanted: String) -> Check {
        let annotated = layer.annotations?[OCIMediaTypes.predicateTypeAnnotation]
        func reject(_ rejection: Rejection, type: String? = annotated) -> Check {
            Check(layer: layer.digest, predicateType: type, outcome: .failure(RejectionBox(rejection: rejection)))
        }
        guard let blob else { return reject(.blobMissing(layer.digest)) }
        guard SupplyChainDigest.matches(blob, layer.digest) else {
            return reject(.blobDigestMismatch(descriptor: layer.digest, actual: SupplyChainDigest.sha256(blob)))
        }
        let envelope: DSSEEnvelope
        do {
            envelope = try DSSEEnvelope(parsing: blob)
        } catch let error as ShrikeError {
            return reject(.notAnEnvelope(error.message))
        } catch {
            return reject(.notAnEnvelope("\(error)"))
        }
        guard envelope.payloadType == DSSEEnvelope.inTotoPayloadType else { return reject(.wrongPayloadType(envelope.payloadType)) }
        guard let key = envelope.verifyingKey(among: keys) else { return reject(.noMatchingKey) }
        let statement: InTotoStatement
        do {
            statement = try InTotoStatement(parsing: envelope.payloadBytes ?? [])
        } catch let error as ShrikeError {
            return reject(.unparsableStatement(error.message))
        } catch {
            return reject(.unparsableStatement("\(error)"))
        }
        // The signed statement, not the unsigned annotation, decides the type.
        guard statement.predicateType == wanted else {
            return reject(.otherPredicateType(statement.predicateType), type: statement.predicateType)
        }
        guard statement.covers(image) else {
            let subjects = statement.subjects.flatMap { subject in subject.digest.map { "\($0.key):\($0.value)" } }
            return reject(.subjectMismatch(image: image, subjects: subjects), type: statement.predicateType)
        }
        return Check(layer: layer.digest, predicateType: statement.predicateType, outcome: .success(key.fingerprint))
    }
}

import ShrikeCore

/// The result of checking one signature (one `.sig` layer or one Sigstore bundle).
public struct SignatureCheck: Sendable, Equatable {
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        /// A layer of the `sha256-<hex>.sig` manifest, by its payload digest.
        case cosignTag(tag: String, payload: Digest)
        /// A Sigstore bundle attached as an OCI 1.1 referrer, by the referrer manifest's digest.
        case bundle(Digest)

        public var description: String {
            switch self {
            case .cosignTag(let tag, let payload): "\(tag) layer \(payload)"
            case .bundle(let digest): "sigstore bundle \(digest)"
            }
        }
    }

    public enum Outcome: Sendable, Equatable {
        /// Verified by the key with this fingerprint (`sha256:<hex>` of its SPKI DER).
        case verified(keyFingerprint: String)
        case rejected(SignatureRejection)
    }

    public var source: Source
    public var outcome: Outcome
    /// The `docker-reference` the payload claims (informational: copies and mirrors rename images).
    public var claimedReference: String?

    public var isVerified: Bool {
        if case .verified = outcome { return true }
        return false
    }
}

import ShrikeCore

/// Every signature found for an image and what became of each.
public struct SignatureReport: Sendable {
    public var image: Digest
    public var checks: [SignatureCheck]

    public init(image: Digest, checks: [SignatureCheck]) {
        self.image = image
        self.checks = checks
    }

    /// At least one signature verified.
    public var passed: Bool { checks.contains(where: \.isVerified) }

    /// Fingerprints of the keys that verified at least one signature.
    public var verifiedKeys: Set<String> {
        Set(checks.compactMap { check in
            if case .verified(let fingerprint) = check.outcome { return fingerprint }
            return nil
        })
    }

    /// One line per signature, for terminals and CI logs.
    public var lines: [String] {
        if checks.isEmpty { return ["no signatures found for \(image)"] }
        return checks.map { check in
            switch check.outcome {
            case .verified(let fingerprint): "ok: \(check.source) verified by key \(fingerprint)"
            case .rejected(let reason): "rejected: \(check.source): \(reason)"
            }
        }
    }
}

import ShrikeCore

/// cosign's tag scheme for things attached to an image: `sha256-<hex>.sig`, `.att`, `.sbom`, and the OCI 1.1
/// referrers tag-schema fallback `sha256-<hex>`.
public enum CosignTags {
    public static func signature(for digest: Digest) -> String { "\(digest.algorithm.rawValue)-\(digest.hex).sig" }
    public static func attestation(for digest: Digest) -> String { "\(digest.algorithm.rawValue)-\(digest.hex).att" }
    public static func referrersFallback(for digest: Digest) -> String { "\(digest.algorithm.rawValue)-\(digest.hex)" }

    /// True for tags cosign or the referrers fallback use, which never name an image a user runs.
    public static func isArtifactTag(_ tag: String) -> Bool {
        for algorithm in ["sha256-", "sha512-"] where tag.hasPrefix(algorithm) {
            let rest = tag.dropFirst(algorithm.count)
            let hex = rest.prefix { $0.isHexDigit }
            guard hex.count == 64 || hex.count == 128 else { continue }
            let suffix = rest.dropFirst(hex.count)
            if suffix.isEmpty || suffix.hasPrefix(".") { return true }
        }
        return false
    }
}

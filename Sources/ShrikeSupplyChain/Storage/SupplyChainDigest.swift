import Crypto
import ShrikeCore

/// sha256 of byte arrays as ShrikeCore `Digest`s.
public enum SupplyChainDigest {
    public static func sha256(_ bytes: [UInt8]) -> ShrikeCore.Digest {
        ShrikeCore.Digest(sha256Bytes: SHA256.hash(data: bytes))
    }

    static func sha256Raw(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }

    /// True when `bytes` hash to `digest` (sha256 or sha512).
    public static func matches(_ bytes: [UInt8], _ digest: ShrikeCore.Digest) -> Bool {
        switch digest.algorithm {
        case .sha256: return sha256(bytes) == digest
        case .sha512:
            let hex = SHA512.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            return hex == digest.hex
        }
    }
}

import Crypto
import ShrikeCore

/// SHA-256 of `bytes` as a `Digest`.
func fixtureSHA256(_ bytes: [UInt8]) throws -> ShrikeCore.Digest {
    let hex = SHA256.hash(data: bytes).map { byte in
        let digits = String(byte, radix: 16)
        return digits.count == 1 ? "0" + digits : digits
    }.joined()
    return try ShrikeCore.Digest(algorithm: .sha256, hex: hex)
}

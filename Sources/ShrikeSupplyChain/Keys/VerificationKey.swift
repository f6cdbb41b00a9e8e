import Crypto
import Foundation
import ShrikeCore

/// An ECDSA P-256 public key that checks signatures: what `cosign.pub` and `shrike key generate`'s `.pub` hold.
public struct VerificationKey: Sendable, Hashable {
    let key: P256.Signing.PublicKey

    init(_ key: P256.Signing.PublicKey) {
        self.key = key
    }

    /// Reads a `PUBLIC KEY` (SubjectPublicKeyInfo) PEM. Throws `unsupportedFormat` for keys that are not P-256 and
    /// `malformed` for anything that is not a public key PEM; `input` names the file in messages.
    public init(pem text: String, input: String? = nil) throws {
        let block = try PEMBlock(parsing: text, input: input)
        guard block.type == "PUBLIC KEY" else {
            throw ShrikeError(.malformed, "holds a '\(block.type)' PEM block, not a PUBLIC KEY", input: input)
        }
        do {
            key = try P256.Signing.PublicKey(derRepresentation: block.bytes)
        } catch {
            throw ShrikeError(.unsupportedFormat, "is not an ECDSA P-256 public key (only P-256 keys, cosign's default, are supported)", input: input)
        }
    }

    /// Reads a public key file.
    public static func load(path: String) throws -> VerificationKey {
        try VerificationKey(pem: try FileAccess.readText(path, what: "public key"), input: path)
    }

    /// The PEM text (`-----BEGIN PUBLIC KEY-----`, SPKI), as cosign writes it.
    public var pem: String { PEMBlock(type: "PUBLIC KEY", bytes: spki).text }

    /// The DER SubjectPublicKeyInfo.
    public var spki: [UInt8] { Array(key.derRepresentation) }

    /// `sha256:<hex>` of the DER SubjectPublicKeyInfo: the key's identity in lock files, policy results and DSSE key ids.
    public var fingerprint: String { "sha256:" + ShrikeCore.Digest(sha256Bytes: SHA256.hash(data: spki)).hex }

    /// True when `signature` (ASN.1 DER ECDSA) is valid for SHA-256 of `message`.
    public func isValid(signature: [UInt8], for message: [UInt8]) -> Bool {
        guard let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
        return key.isValidSignature(parsed, for: message)
    }

    /// True when `signature` is valid for an already computed SHA-256 digest (Sigstore bundles' message signatures).
    public func isValid(signature: [UInt8], forSHA256 digest: [UInt8]) -> Bool {
        guard digest.count == 32, let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
        return key.isValidSignature(parsed, for: PrehashedSHA256(bytes: digest))
    }

    public static func == (lhs: VerificationKey, rhs: VerificationKey) -> Bool { lhs.spki == rhs.spki }
    public func hash(into hasher: inout Hasher) { hasher.combine(spki) }
}

/// A SHA-256 digest computed elsewhere, handed to swift-crypto's `Digest`-taking verify.
struct PrehashedSHA256: Crypto.Digest {
    static let byteCount = 32
    let bytes: [UInt8]

    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes(body)
    }

    func makeIterator() -> Array<UInt8>.Iterator { bytes.makeIterator() }
    var description: String { bytes.map { String(format: "%02x", $0) }.joined() }
}

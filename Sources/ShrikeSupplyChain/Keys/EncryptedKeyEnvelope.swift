import Crypto
import CryptoExtras
import Foundation
import ShrikeCore

/// go-securesystemslib's `encrypted` format, the body of cosign's `ENCRYPTED SIGSTORE PRIVATE KEY` PEM blocks:
/// `{"kdf":{"name":"scrypt","params":{"N":…,"r":8,"p":1},"salt":…},"cipher":{"name":"nacl/secretbox","nonce":…},
/// "ciphertext":…}` with base64 salt (32 bytes), nonce (24 bytes) and secretbox output.
///
/// Only the three scrypt parameter sets go-securesystemslib itself writes are accepted when reading, so a hostile
/// file cannot ask for gigabytes of memory.
public enum EncryptedKeyEnvelope {
    /// scrypt cost parameters.
    public struct ScryptParameters: Sendable, Equatable {
        public var n: Int
        public var r: Int
        public var p: Int

        public init(n: Int, r: Int, p: Int) {
            self.n = n
            self.r = r
            self.p = p
        }

        /// What cosign writes today (`encrypted.Standard`).
        public static let standard = ScryptParameters(n: 65536, r: 8, p: 1)
        /// Older cosign keys.
        public static let legacy = ScryptParameters(n: 32768, r: 8, p: 1)
        public static let owasp = ScryptParameters(n: 131072, r: 8, p: 1)
        static let accepted: [ScryptParameters] = [.legacy, .standard, .owasp]
    }

    /// Encrypts `plaintext` under `password` with a fresh random salt and nonce; returns the JSON document's bytes.
    public static func encrypt(_ plaintext: [UInt8], password: [UInt8],
                               parameters: ScryptParameters = .standard) throws -> [UInt8] {
        let salt = randomBytes(32)
        let nonce = randomBytes(SecretBox.nonceSize)
        let key = try deriveKey(password: password, salt: salt, parameters: parameters)
        let ciphertext = try SecretBox.seal(plaintext, key: key, nonce: nonce)
        // Field order and spelling exactly as Go's encoding/json writes go-securesystemslib's structs.
        let json = "{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":\(parameters.n),\"r\":\(parameters.r),\"p\":\(parameters.p)},"
            + "\"salt\":\"\(base64(salt))\"},\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\"\(base64(nonce))\"},"
            + "\"ciphertext\":\"\(base64(ciphertext))\"}"
        return Array(json.utf8)
    }

    /// Decrypts a document written by `encrypt` or by go-securesystemslib.
    ///
    /// Throws `malformed` for unreadable JSON and for a wrong password (the secretbox tag does not match), and
    /// `unsupportedFormat` for other KDFs, ciphers or scrypt parameters.
    public static func decrypt(_ document: [UInt8], password: [UInt8], input: String? = nil) throws -> [UInt8] {
        struct Document: Decodable {
            struct KDF: Decodable {
                struct Params: Decodable {
                    var N: Int
                    var r: Int
                    var p: Int
                }
                var name: String
                var params: Params
                var salt: String
            }
            struct Cipher: Decodable {
                var name: String
                var nonce: String
            }
            var kdf: KDF
            var cipher: Cipher
            var ciphertext: String
        }
        let parsed: Document
        do {
            parsed = try JSONDecoder().decode(Document.self, from: Data(document))
        } catch {
            throw ShrikeError(.malformed, "the encrypted key is not go-securesystemslib's JSON envelope (kdf, cipher, ciphertext)", input: input)
        }
        guard parsed.kdf.name == "scrypt" else {
            throw ShrikeError(.unsupportedFormat, "key derivation '\(parsed.kdf.name)' is not supported (only scrypt)", input: input)
        }
        guard parsed.cipher.name == "nacl/secretbox" else {
            throw ShrikeError(.unsupportedFormat, "cipher '\(parsed.cipher.name)' is not supported (only nacl/secretbox)", input: input)
        }
        let parameters = ScryptParameters(n: parsed.kdf.params.N, r: parsed.kdf.params.r, p: parsed.kdf.params.p)
        guard ScryptParameters.accepted.contains(parameters) else {
            throw ShrikeError(.unsupportedFormat, "unsupported scrypt parameters N=\(parameters.n) r=\(parameters.r) p=\(parameters.p)", input: input)
        }
        guard let salt = Data(base64Encoded: parsed.kdf.salt), let nonce = Data(base64Encoded: parsed.cipher.nonce),
              let ciphertext = Data(base64Encoded: parsed.ciphertext) else {
            throw ShrikeError(.malformed, "salt, nonce or ciphertext is not valid base64", input: input)
        }
        let key = try deriveKey(password: password, salt: Array(salt), parameters: parameters)
        do {
            return try SecretBox.open(Array(ciphertext), key: key, nonce: Array(nonce))
        } catch {
            throw ShrikeError(.malformed, "cannot decrypt the private key: wrong password (or the key file was changed)", input: input)
        }
    }

    static func deriveKey(password: [UInt8], salt: [UInt8], parameters: ScryptParameters) throws -> [UInt8] {
        // swift-crypto hands the password's base address to BoringSSL unconditionally; give an empty password a
        // real (zero-length) buffer by way of a one-byte array's prefix.
        let key: SymmetricKey
        do {
            if password.isEmpty {
                let storage: [UInt8] = [0]
                key = try storage.withUnsafeBufferPointer { buffer in
                    try KDF.Scrypt.deriveKey(from: UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(buffer)[0..<0]),
                                             salt: salt, outputByteCount: 32, rounds: parameters.n,
                                             blockSize: parameters.r, parallelism: parameters.p)
                }
            } else {
                key = try KDF.Scrypt.deriveKey(from: password, salt: salt, outputByteCount: 32, rounds: parameters.n,
                                               blockSize: parameters.r, parallelism: parameters.p)
            }
        } catch {
            throw ShrikeError(.io, "scrypt key derivation failed (N=\(parameters.n), r=\(parameters.r)): \(error)")
        }
        return key.withUnsafeBytes { Array($0) }
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    private static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
}

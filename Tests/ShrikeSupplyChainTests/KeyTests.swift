import Foundation
import ShrikeCore
import Testing
@testable import ShrikeSupplyChain

@Suite("Keys: cosign's encrypted format, plain PEMs, public keys")
struct KeyTests {
    @Test("generate → encrypt → decrypt gives back the same key; a wrong password is refused")
    func roundTrip() throws {
        let key = SigningKey.generate()
        let pem = try key.encryptedPEM(password: Array("correct horse".utf8), parameters: .legacy)
        #expect(pem.hasPrefix("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n"))
        let loaded = try SigningKey(pem: pem) { Array("correct horse".utf8) }
        #expect(loaded.pkcs8 == key.pkcs8)
        #expect(loaded.verificationKey == key.verificationKey)
        #expect(throws: ShrikeError.self) { try SigningKey(pem: pem) { Array("wrong".utf8) } }
    }

    @Test("the envelope is go-securesystemslib's JSON, with cosign's default scrypt cost")
    func envelopeShape() throws {
        let body = try EncryptedKeyEnvelope.encrypt(Array("x".utf8), password: [])
        let text = String(decoding: body, as: UTF8.self)
        #expect(text.hasPrefix("{\"kdf\":{\"name\":\"scrypt\",\"params\":{\"N\":65536,\"r\":8,\"p\":1},\"salt\":\""))
        #expect(text.contains("\"cipher\":{\"name\":\"nacl/secretbox\",\"nonce\":\""))
        // An empty password (cosign allows one) works both ways.
        #expect(try EncryptedKeyEnvelope.decrypt(body, password: []) == Array("x".utf8))
    }

    @Test("go-securesystemslib's published vectors decrypt", arguments: ["legacy", "standard", "owasp", "decrypt-test"])
    func securesystemslibVectors(_ name: String) throws {
        let document = try JSONSerialization.jsonObject(with: Data(try SupplyChainFixtures.bytes("securesystemslib-encrypted-vectors.json"))) as? [String: Any]
        let vectors = document?["vectors"] as? [String: Any]
        let vector = try JSONSerialization.data(withJSONObject: try #require(vectors?[name]))
        let plaintext = try EncryptedKeyEnvelope.decrypt(Array(vector), password: Array("supersecret".utf8))
        // The KDF vectors were made with encrypted.Marshal, which encrypts the JSON encoding of the byte string
        // (a quoted base64 string); TestDecrypt's document holds the raw bytes.
        let expected = name == "decrypt-test" ? "reallyimportant" : "\"" + Data("reallyimportant".utf8).base64EncodedString() + "\""
        #expect(String(decoding: plaintext, as: UTF8.self) == expected)
    }

    @Test("unsupported scrypt parameters are refused before deriving anything")
    func unsupportedParameters() throws {
        let document = try JSONSerialization.jsonObject(with: Data(try SupplyChainFixtures.bytes("securesystemslib-encrypted-vectors.json"))) as? [String: Any]
        let vector = try JSONSerialization.data(withJSONObject: try #require(document?["unsupported"]))
        let error = try #require(throws: ShrikeError.self) {
            try EncryptedKeyEnvelope.decrypt(Array(vector), password: Array("supersecret".utf8))
        }
        #expect(error.message.contains("unsupported scrypt parameters"))
    }

    @Test("cosign's published ENCRYPTED SIGSTORE PRIVATE KEY loads with its password 'hello'")
    func cosignKey() throws {
        let key = try SigningKey.load(path: SupplyChainFixtures.path("cosign-sigstore-key.pem")) { Array("hello".utf8) }
        let signature = try key.sign(Array("payload".utf8))
        #expect(key.verificationKey.isValid(signature: signature, for: Array("payload".utf8)))
        #expect(throws: ShrikeError.self) {
            try SigningKey.load(path: SupplyChainFixtures.path("cosign-sigstore-key.pem")) { Array("hell".utf8) }
        }
    }

    @Test("the older ENCRYPTED COSIGN PRIVATE KEY label loads too (here holding a SEC 1 key)")
    func cosignLegacyLabel() throws {
        let key = try SigningKey.load(path: SupplyChainFixtures.path("cosign-ec-key.pem")) { Array("hello".utf8) }
        #expect(key.verificationKey.fingerprint.hasPrefix("sha256:"))
    }

    @Test("plain EC PRIVATE KEY and PKCS#8 PEMs load without a password; P-384 is refused", arguments: [
        ("cosign-validecp256.pem", true), ("cosign-validecpkcs8.pem", true), ("cosign-validecp384.pem", false),
    ])
    func plainKeys(_ file: String, _ loads: Bool) throws {
        let load = { try SigningKey.load(path: SupplyChainFixtures.path(file)) { Issue.record("no password needed"); return [] } }
        if loads {
            _ = try load()
        } else {
            let error = try #require(throws: ShrikeError.self) { _ = try load() }
            #expect(error.code == .unsupportedFormat)
        }
    }

    @Test("public keys round-trip through PEM and have a stable fingerprint")
    func publicKeys() throws {
        let key = try SupplyChainFixtures.plainKey().verificationKey
        let reread = try VerificationKey(pem: key.pem)
        #expect(reread == key)
        #expect(reread.fingerprint == key.fingerprint)
        #expect(key.fingerprint.count == "sha256:".count + 64)
        #expect(throws: ShrikeError.self) { try VerificationKey(pem: try SupplyChainFixtures.text("cosign-validecp256.pem")) }
        // containers/image's cosign.pub is a real cosign public key.
        _ = try VerificationKey.load(path: SupplyChainFixtures.path("containers-image/cosign.pub"))
    }
}

import ShrikeCore

/// NaCl's `crypto_secretbox` (XSalsa20-Poly1305), in the layout Go's `golang.org/x/crypto/nacl/secretbox` writes:
/// the 16-byte tag followed by the ciphertext.
///
/// This is the cipher inside cosign's `ENCRYPTED SIGSTORE PRIVATE KEY` files (via go-securesystemslib's
/// `encrypted` package). Keys are 32 bytes, nonces 24 bytes; a nonce must never be reused with the same key.
public enum SecretBox {
    public static let keySize = 32
    public static let nonceSize = 24
    public static let tagSize = 16

    /// Encrypts and authenticates `plaintext`; returns tag ‖ ciphertext.
    public static func seal(_ plaintext: [UInt8], key: [UInt8], nonce: [UInt8]) throws -> [UInt8] {
        try checkSizes(key: key, nonce: nonce)
        let stream = Salsa20.xsalsa20Keystream(key: key, nonce: nonce, count: 32 + plaintext.count)
        var ciphertext = plaintext
        for i in 0..<ciphertext.count { ciphertext[i] ^= stream[32 + i] }
        return Poly1305.tag(ciphertext, key: Array(stream[0..<32])) + ciphertext
    }

    /// Checks the tag and decrypts. Throws `malformed` when the box is too short or the tag does not match (a
    /// wrong key — for key files, a wrong password — or tampered bytes).
    public static func open(_ box: [UInt8], key: [UInt8], nonce: [UInt8]) throws -> [UInt8] {
        try checkSizes(key: key, nonce: nonce)
        guard box.count >= tagSize else {
            throw ShrikeError(.malformed, "secretbox is \(box.count) bytes, shorter than its \(tagSize)-byte tag")
        }
        let ciphertext = Array(box[tagSize...])
        let stream = Salsa20.xsalsa20Keystream(key: key, nonce: nonce, count: 32 + ciphertext.count)
        let expected = Poly1305.tag(ciphertext, key: Array(stream[0..<32]))
        var difference: UInt8 = 0
        for i in 0..<tagSize { difference |= expected[i] ^ box[i] }
        guard difference == 0 else {
            throw ShrikeError(.malformed, "secretbox authentication failed (wrong key or password, or the data was changed)")
        }
        var plaintext = ciphertext
        for i in 0..<plaintext.count { plaintext[i] ^= stream[32 + i] }
        return plaintext
    }

    private static func checkSizes(key: [UInt8], nonce: [UInt8]) throws {
        guard key.count == keySize else { throw ShrikeError(.malformed, "secretbox keys are \(keySize) bytes, got \(key.count)") }
        guard nonce.count == nonceSize else { throw ShrikeError(.malformed, "secretbox nonces are \(nonceSize) bytes, got \(nonce.count)") }
    }
}

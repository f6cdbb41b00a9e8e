/// The Salsa20 family NaCl's secretbox is built from: the Salsa20/20 core, HSalsa20 (key derivation from a 16-byte
/// nonce prefix) and the XSalsa20 stream cipher (24-byte nonces).
///
/// swift-crypto offers no Salsa20, and cosign's encrypted keys need it; this is a direct transcription of the
/// reference algorithm (Bernstein, "Extending the Salsa20 nonce"), checked against NaCl's published vectors. It has
/// no data-dependent branches or table lookups.
enum Salsa20 {
    /// "expand 32-byte k" as four little-endian words.
    private static let sigma: (UInt32, UInt32, UInt32, UInt32) = (0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574)

    @inline(__always)
    private static func rotl(_ value: UInt32, _ count: UInt32) -> UInt32 { (value << count) | (value >> (32 - count)) }

    @inline(__always)
    static func loadLE(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
    }

    @inline(__always)
    static func storeLE(_ value: UInt32, into bytes: inout [UInt8], at offset: Int) {
        bytes[offset] = UInt8(truncatingIfNeeded: value)
        bytes[offset + 1] = UInt8(truncatingIfNeeded: value >> 8)
        bytes[offset + 2] = UInt8(truncatingIfNeeded: value >> 16)
        bytes[offset + 3] = UInt8(truncatingIfNeeded: value >> 24)
    }

    /// Twenty rounds (ten double rounds) over `x`, in place.
    private static func rounds(_ x: inout [UInt32]) {
        for _ in 0..<10 {
            // Column round.
            x[4] ^= rotl(x[0] &+ x[12], 7); x[8] ^= rotl(x[4] &+ x[0], 9)
            x[12] ^= rotl(x[8] &+ x[4], 13); x[0] ^= rotl(x[12] &+ x[8], 18)
            x[9] ^= rotl(x[5] &+ x[1], 7); x[13] ^= rotl(x[9] &+ x[5], 9)
            x[1] ^= rotl(x[13] &+ x[9], 13); x[5] ^= rotl(x[1] &+ x[13], 18)
            x[14] ^= rotl(x[10] &+ x[6], 7); x[2] ^= rotl(x[14] &+ x[10], 9)
            x[6] ^= rotl(x[2] &+ x[14], 13); x[10] ^= rotl(x[6] &+ x[2], 18)
            x[3] ^= rotl(x[15] &+ x[11], 7); x[7] ^= rotl(x[3] &+ x[15], 9)
            x[11] ^= rotl(x[7] &+ x[3], 13); x[15] ^= rotl(x[11] &+ x[7], 18)
            // Row round.
            x[1] ^= rotl(x[0] &+ x[3], 7); x[2] ^= rotl(x[1] &+ x[0], 9)
            x[3] ^= rotl(x[2] &+ x[1], 13); x[0] ^= rotl(x[3] &+ x[2], 18)
            x[6] ^= rotl(x[5] &+ x[4], 7); x[7] ^= rotl(x[6] &+ x[5], 9)
            x[4] ^= rotl(x[7] &+ x[6], 13); x[5] ^= rotl(x[4] &+ x[7], 18)
            x[11] ^= rotl(x[10] &+ x[9], 7); x[8] ^= rotl(x[11] &+ x[10], 9)
            x[9] ^= rotl(x[8] &+ x[11], 13); x[10] ^= rotl(x[9] &+ x[8], 18)
            x[12] ^= rotl(x[15] &+ x[14], 7); x[13] ^= rotl(x[12] &+ x[15], 9)
            x[14] ^= rotl(x[13] &+ x[12], 13); x[15] ^= rotl(x[14] &+ x[13], 18)
        }
    }

    /// The 16-word input block: constants on the diagonal, the key around them, `middle` (nonce and counter, or
    /// HSalsa20's 16-byte input) in words 6...9.
    private static func inputBlock(key: [UInt8], middle: [UInt8]) -> [UInt32] {
        var x = [UInt32](repeating: 0, count: 16)
        x[0] = sigma.0; x[5] = sigma.1; x[10] = sigma.2; x[15] = sigma.3
        for i in 0..<4 {
            x[1 + i] = loadLE(key, 4 * i)
            x[11 + i] = loadLE(key, 16 + 4 * i)
            x[6 + i] = loadLE(middle, 4 * i)
        }
        return x
    }

    /// HSalsa20: a 32-byte subkey from a 32-byte key and a 16-byte input.
    static func hsalsa20(key: [UInt8], input: [UInt8]) -> [UInt8] {
        precondition(key.count == 32 && input.count == 16)
        var x = inputBlock(key: key, middle: input)
        rounds(&x)
        var out = [UInt8](repeating: 0, count: 32)
        for (slot, word) in [0, 5, 10, 15, 6, 7, 8, 9].enumerated() { storeLE(x[word], into: &out, at: 4 * slot) }
        return out
    }

    /// One 64-byte Salsa20/20 keystream block for an 8-byte nonce and a block counter.
    static func block(key: [UInt8], nonce: [UInt8], counter: UInt64) -> [UInt8] {
        var middle = nonce
        for i in 0..<8 { middle.append(UInt8(truncatingIfNeeded: counter >> (8 * UInt64(i)))) }
        let input = inputBlock(key: key, middle: middle)
        var x = input
        rounds(&x)
        var out = [UInt8](repeating: 0, count: 64)
        for i in 0..<16 { storeLE(x[i] &+ input[i], into: &out, at: 4 * i) }
        return out
    }

    /// `count` bytes of the XSalsa20 keystream for a 32-byte key and a 24-byte nonce.
    static func xsalsa20Keystream(key: [UInt8], nonce: [UInt8], count: Int) -> [UInt8] {
        precondition(key.count == 32 && nonce.count == 24)
        let subkey = hsalsa20(key: key, input: Array(nonce[0..<16]))
        let streamNonce = Array(nonce[16..<24])
        var out: [UInt8] = []
        out.reserveCapacity(count + 64)
        var counter: UInt64 = 0
        while out.count < count {
            out.append(contentsOf: block(key: subkey, nonce: streamNonce, counter: counter))
            counter += 1
        }
        return Array(out.prefix(count))
    }

    /// `message` XORed with the XSalsa20 keystream (encryption and decryption are the same operation).
    static func xsalsa20(_ message: [UInt8], key: [UInt8], nonce: [UInt8]) -> [UInt8] {
        let stream = xsalsa20Keystream(key: key, nonce: nonce, count: message.count)
        var out = message
        for i in 0..<out.count { out[i] ^= stream[i] }
        return out
    }
}

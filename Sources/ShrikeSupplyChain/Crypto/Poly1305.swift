/// The Poly1305 one-time authenticator (RFC 8439 §2.5), in the 26-bit-limb form of poly1305-donna.
///
/// Used only inside `SecretBox`; the final reduction selects with masks rather than branches.
enum Poly1305 {
    /// The 16-byte tag of `message` under a 32-byte one-time key (r ‖ s).
    static func tag(_ message: [UInt8], key: [UInt8]) -> [UInt8] {
        precondition(key.count == 32)
        let mask26: UInt32 = 0x3ff_ffff
        let r0 = Salsa20.loadLE(key, 0) & 0x3ff_ffff
        let r1 = (Salsa20.loadLE(key, 3) >> 2) & 0x3ff_ff03
        let r2 = (Salsa20.loadLE(key, 6) >> 4) & 0x3ff_c0ff
        let r3 = (Salsa20.loadLE(key, 9) >> 6) & 0x3f0_3fff
        let r4 = (Salsa20.loadLE(key, 12) >> 8) & 0x00f_ffff
        let s1 = UInt64(r1 * 5), s2 = UInt64(r2 * 5), s3 = UInt64(r3 * 5), s4 = UInt64(r4 * 5)
        let (R0, R1, R2, R3, R4) = (UInt64(r0), UInt64(r1), UInt64(r2), UInt64(r3), UInt64(r4))

        var h0: UInt32 = 0, h1: UInt32 = 0, h2: UInt32 = 0, h3: UInt32 = 0, h4: UInt32 = 0
        var offset = 0
        while offset < message.count {
            var block = [UInt8](repeating: 0, count: 16)
            let length = min(16, message.count - offset)
            for i in 0..<length { block[i] = message[offset + i] }
            var hibit: UInt32 = 1 << 24
            if length < 16 {
                // A short final block is padded with a single 1 byte instead of the 2^128 bit.
                block[length] = 1
                hibit = 0
            }
            offset += length

            h0 &+= Salsa20.loadLE(block, 0) & mask26
            h1 &+= (Salsa20.loadLE(block, 3) >> 2) & mask26
            h2 &+= (Salsa20.loadLE(block, 6) >> 4) & mask26
            h3 &+= (Salsa20.loadLE(block, 9) >> 6) & mask26
            h4 &+= (Salsa20.loadLE(block, 12) >> 8) | hibit

            let H0 = UInt64(h0), H1 = UInt64(h1), H2 = UInt64(h2), H3 = UInt64(h3), H4 = UInt64(h4)
            let d0 = H0 * R0 + H1 * s4 + H2 * s3 + H3 * s2 + H4 * s1
            var d1 = H0 * R1 + H1 * R0 + H2 * s4 + H3 * s3 + H4 * s2
            var d2 = H0 * R2 + H1 * R1 + H2 * R0 + H3 * s4 + H4 * s3
            var d3 = H0 * R3 + H1 * R2 + H2 * R1 + H3 * R0 + H4 * s4
            var d4 = H0 * R4 + H1 * R3 + H2 * R2 + H3 * R1 + H4 * R0

            var c = d0 >> 26; h0 = UInt32(truncatingIfNeeded: d0) & mask26
            d1 += c; c = d1 >> 26; h1 = UInt32(truncatingIfNeeded: d1) & mask26
            d2 += c; c = d2 >> 26; h2 = UInt32(truncatingIfNeeded: d2) & mask26
            d3 += c; c = d3 >> 26; h3 = UInt32(truncatingIfNeeded: d3) & mask26
            d4 += c; c = d4 >> 26; h4 = UInt32(truncatingIfNeeded: d4) & mask26
            h0 &+= UInt32(truncatingIfNeeded: c) &* 5
            let carry = h0 >> 26; h0 &= mask26
            h1 &+= carry
        }

        // Full carry, then h - p computed alongside; pick one with masks.
        var c = h1 >> 26; h1 &= mask26
        h2 &+= c; c = h2 >> 26; h2 &= mask26
        h3 &+= c; c = h3 >> 26; h3 &= mask26
        h4 &+= c; c = h4 >> 26; h4 &= mask26
        h0 &+= c &* 5; c = h0 >> 26; h0 &= mask26
        h1 &+= c

        var g0 = h0 &+ 5; c = g0 >> 26; g0 &= mask26
        var g1 = h1 &+ c; c = g1 >> 26; g1 &= mask26
        var g2 = h2 &+ c; c = g2 >> 26; g2 &= mask26
        var g3 = h3 &+ c; c = g3 >> 26; g3 &= mask26
        var g4 = h4 &+ c &- (1 << 26)

        var select = (g4 >> 31) &- 1   // all ones when h >= p (use g), zero otherwise
        g0 &= select; g1 &= select; g2 &= select; g3 &= select; g4 &= select
        select = ~select
        h0 = (h0 & select) | g0
        h1 = (h1 & select) | g1
        h2 = (h2 & select) | g2
        h3 = (h3 & select) | g3
        h4 = (h4 & select) | g4

        let w0 = h0 | (h1 << 26)
        let w1 = (h1 >> 6) | (h2 << 20)
        let w2 = (h2 >> 12) | (h3 << 14)
        let w3 = (h3 >> 18) | (h4 << 8)

        var out = [UInt8](repeating: 0, count: 16)
        var f = UInt64(w0) + UInt64(Salsa20.loadLE(key, 16))
        Salsa20.storeLE(UInt32(truncatingIfNeeded: f), into: &out, at: 0)
        f = UInt64(w1) + UInt64(Salsa20.loadLE(key, 20)) + (f >> 32)
        Salsa20.storeLE(UInt32(truncatingIfNeeded: f), into: &out, at: 4)
        f = UInt64(w2) + UInt64(Salsa20.loadLE(key, 24)) + (f >> 32)
        Salsa20.storeLE(UInt32(truncatingIfNeeded: f), into: &out, at: 8)
        f = UInt64(w3) + UInt64(Salsa20.loadLE(key, 28)) + (f >> 32)
        Salsa20.storeLE(UInt32(truncatingIfNeeded: f), into: &out, at: 12)
        return out
    }
}

import Testing
@testable import ShrikeSupplyChain

private let hex = SupplyChainFixtures.hex

/// NaCl's published secretbox vector (tests/secretbox.c): `firstkey`, the 24-byte nonce, the 131-byte message.
private enum NaClVector {
    static let key = hex("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389")
    static let nonce = hex("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37")
    static let message = hex("be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffce5ecbaaf33bd751a1ac728d45e6c61296cdc3c01233561f41db66cce314adb310e3be8250c46f06dceea3a7fa1348057e2f6556ad6b1318a024a838f21af1fde048977eb48f59ffd4924ca1c60902e52f0a089bc76897040e082f937763848645e0705")
    static let mac = hex("f3ffc7703f9400e52a7dfb4b3d3305d9")
    static let ciphertext = hex("8e993b9f48681273c29650ba32fc76ce48332ea7164d96a4476fb8c531a1186ac0dfc17c98dce87b4da7f011ec48c97271d2c20f9b928fe2270d6fb863d51738b48eeee314a7cc8ab932164548e526ae90224368517acfeabd6bb3732bc0e9da99832b61ca01b6de56244a9e88d5f9b37973f622a43d14a6599b1f654cb45a74e355a5")
    /// The first 32 keystream bytes: the Poly1305 key of this box.
    static let polyKey = hex("eea6a7251c1e72916d11c2cb214d3c252539121d8e234e652d651fa4c8cff880")
}

struct PolyVector: Sendable, CustomStringConvertible {
    var name: String
    var key: String
    var message: String
    var tag: String
    var description: String { name }
}

@Suite("Crypto primitives against published vectors")
struct CryptoPrimitiveTests {
    @Test("HSalsa20: NaCl core1 derives firstkey from the shared secret and a zero input")
    func hsalsa20() {
        let shared = hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742")
        let out = Salsa20.hsalsa20(key: shared, input: [UInt8](repeating: 0, count: 16))
        #expect(out == NaClVector.key)
    }

    @Test("XSalsa20: the first keystream block of NaCl's secretbox vector")
    func xsalsa20Keystream() {
        let stream = Salsa20.xsalsa20Keystream(key: NaClVector.key, nonce: NaClVector.nonce, count: 32 + 131)
        #expect(Array(stream[0..<32]) == NaClVector.polyKey)
        let ciphertext = zip(NaClVector.message, stream[32...]).map { $0 ^ $1 }
        #expect(ciphertext == NaClVector.ciphertext)
    }

    @Test("secretbox seal gives NaCl's MAC and ciphertext; open returns the message")
    func secretbox() throws {
        let box = try SecretBox.seal(NaClVector.message, key: NaClVector.key, nonce: NaClVector.nonce)
        #expect(box == NaClVector.mac + NaClVector.ciphertext)
        #expect(try SecretBox.open(box, key: NaClVector.key, nonce: NaClVector.nonce) == NaClVector.message)
    }

    @Test("secretbox open refuses a flipped bit in the tag, the ciphertext, or a wrong key")
    func secretboxTamper() throws {
        let box = NaClVector.mac + NaClVector.ciphertext
        for position in [0, 15, 16, box.count - 1] {
            var tampered = box
            tampered[position] ^= 0x01
            #expect(throws: (any Error).self) { try SecretBox.open(tampered, key: NaClVector.key, nonce: NaClVector.nonce) }
        }
        var wrongKey = NaClVector.key
        wrongKey[0] ^= 0x80
        #expect(throws: (any Error).self) { try SecretBox.open(box, key: wrongKey, nonce: NaClVector.nonce) }
        #expect(throws: (any Error).self) { try SecretBox.open(Array(box.prefix(10)), key: NaClVector.key, nonce: NaClVector.nonce) }
    }

    static let polyVectors: [PolyVector] = [
        PolyVector(name: "RFC 8439 2.5.2", key: "85d6be7857556d337f4452fe42d506a80103808afb0db2fd4abff6af4149f51b",
                   message: SupplyChainFixtures.hexString(Array("Cryptographic Forum Research Group".utf8)),
                   tag: "a8061dc1305136c6c22b8baf0c0127a9"),
        PolyVector(name: "RFC 8439 A.3 #5", key: "02" + String(repeating: "00", count: 31),
                   message: String(repeating: "ff", count: 16), tag: "03" + String(repeating: "00", count: 15)),
        PolyVector(name: "RFC 8439 A.3 #6", key: "02" + String(repeating: "00", count: 15) + String(repeating: "ff", count: 16),
                   message: "02" + String(repeating: "00", count: 15), tag: "03" + String(repeating: "00", count: 15)),
        PolyVector(name: "RFC 8439 A.3 #7", key: "01" + String(repeating: "00", count: 31),
                   message: String(repeating: "ff", count: 16) + "f0" + String(repeating: "ff", count: 15) + "11" + String(repeating: "00", count: 15),
                   tag: "05" + String(repeating: "00", count: 15)),
        PolyVector(name: "RFC 8439 A.3 #8", key: "01" + String(repeating: "00", count: 31),
                   message: String(repeating: "ff", count: 16) + "fb" + String(repeating: "fe", count: 15) + String(repeating: "01", count: 16),
                   tag: String(repeating: "00", count: 16)),
        PolyVector(name: "RFC 8439 A.3 #9", key: "02" + String(repeating: "00", count: 31),
                   message: "fd" + String(repeating: "ff", count: 15), tag: "fa" + String(repeating: "ff", count: 15)),
        PolyVector(name: "RFC 8439 A.3 #10", key: "01" + String(repeating: "00", count: 7) + "04" + String(repeating: "00", count: 23),
                   message: "e33594d7505e43b9" + String(repeating: "00", count: 8) + "3394d7505e4379cd01" + String(repeating: "00", count: 7)
                       + String(repeating: "00", count: 16) + "01" + String(repeating: "00", count: 15),
                   tag: "14000000000000005500000000000000"),
        PolyVector(name: "RFC 8439 A.3 #11", key: "01" + String(repeating: "00", count: 7) + "04" + String(repeating: "00", count: 23),
                   message: "e33594d7505e43b9" + String(repeating: "00", count: 8) + "3394d7505e4379cd01" + String(repeating: "00", count: 7)
                       + String(repeating: "00", count: 16),
                   tag: "13000000000000000000000000000000"),
        PolyVector(name: "NaCl secretbox authenticator", key: SupplyChainFixtures.hexString(NaClVector.polyKey),
                   message: SupplyChainFixtures.hexString(NaClVector.ciphertext), tag: SupplyChainFixtures.hexString(NaClVector.mac)),
    ]

    @Test("Poly1305 tags", arguments: polyVectors)
    func poly1305(_ vector: PolyVector) {
        #expect(Poly1305.tag(hex(vector.message), key: hex(vector.key)) == hex(vector.tag))
    }

    @Test("PEM blocks round-trip with 64-character lines, as Go writes them")
    func pem() throws {
        let block = PEMBlock(type: "TEST BLOCK", bytes: Array(0..<100))
        #expect(block.text.split(separator: "\n")[1].count == 64)
        #expect(try PEMBlock(parsing: "leading text\n" + block.text) == block)
        #expect(throws: (any Error).self) { try PEMBlock(parsing: "-----BEGIN X-----\n!!!!\n-----END X-----\n") }
        #expect(throws: (any Error).self) { try PEMBlock(parsing: "-----BEGIN X-----\nAAAA\n") }
    }
}

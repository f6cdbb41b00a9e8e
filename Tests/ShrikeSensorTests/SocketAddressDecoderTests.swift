import Testing
@testable import ShrikeSensor

@Suite("Socket address decoding")
struct SocketAddressDecoderTests {
    @Test func ipv4() {
        // AF_INET, port 8080 (network order), 127.0.0.1, zero padding.
        let bytes: [UInt8] = [2, 0, 0x1f, 0x90, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]
        #expect(SocketAddressDecoder.decode(bytes) == .init(family: .inet, address: "127.0.0.1", port: 8080))
    }

    @Test(arguments: [
        ([UInt8](repeating: 0, count: 15) + [1], "::1"),
        ([0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1], "2001:db8::1"),
        ([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1], "2001:db8:0:1::1"),
        ([UInt8](repeating: 0, count: 10) + [0xff, 0xff, 10, 0, 0, 7], "::ffff:10.0.0.7"),
        ([0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0, 0, 0, 0, 0xab, 0xcd], "fe80::1234:0:0:abcd"),
    ])
    func ipv6(address: [UInt8], text: String) {
        // AF_INET6 = 10, port 443, flowinfo 0, address, scope 0.
        let bytes: [UInt8] = [10, 0, 0x01, 0xbb, 0, 0, 0, 0] + address + [0, 0, 0, 0]
        #expect(SocketAddressDecoder.decode(bytes) == .init(family: .inet6, address: text, port: 443))
    }

    @Test func unixPathAndAbstract() {
        let path: [UInt8] = [1, 0] + Array("/run/app.sock".utf8) + [0, 0, 0]
        #expect(SocketAddressDecoder.decode(path) == .init(family: .unix, address: "/run/app.sock"))
        let abstract: [UInt8] = [1, 0, 0] + Array("dbus-x".utf8)
        #expect(SocketAddressDecoder.decode(abstract) == .init(family: .unix, address: "@dbus-x"))
    }

    @Test func truncatedInputsDoNotCrash() {
        #expect(SocketAddressDecoder.decode([]) == nil)
        #expect(SocketAddressDecoder.decode([2]) == nil)
        #expect(SocketAddressDecoder.decode([2, 0, 0x1f]) == .init(family: .inet))
        #expect(SocketAddressDecoder.decode([10, 0, 1, 2, 3]) == .init(family: .inet6))
        #expect(SocketAddressDecoder.decode([16, 0, 1, 2]) == .init(family: .netlink))
    }
}

/// Decodes the raw sockaddr bytes the kernel side copied (IPv4, IPv6, unix).
enum SocketAddressDecoder {
    struct Decoded: Equatable {
        var family: SocketFamily
        var address: String?
        var port: UInt16?
    }

    static func decode(_ bytes: [UInt8]) -> Decoded? {
        guard bytes.count >= 2 else { return nil }
        let family = SocketFamily(rawValue: Int(UInt16(bytes[0]) | UInt16(bytes[1]) << 8))
        switch family {
        case .inet:
            guard bytes.count >= 8 else { return Decoded(family: family) }
            let port = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
            return Decoded(family: family, address: bytes[4..<8].map(String.init).joined(separator: "."), port: port)
        case .inet6:
            guard bytes.count >= 24 else { return Decoded(family: family) }
            let port = UInt16(bytes[2]) << 8 | UInt16(bytes[3])
            return Decoded(family: family, address: ipv6String(Array(bytes[8..<24])), port: port)
        case .unix:
            let path = bytes.dropFirst(2)
            guard let first = path.first else { return Decoded(family: family, address: "") }
            if first == 0 {
                // Abstract socket: the name is every byte after the leading NUL (shown with `@` like ss does).
                let name = path.dropFirst().prefix { $0 != 0 }
                return Decoded(family: family, address: "@" + String(decoding: name, as: UTF8.self))
            }
            return Decoded(family: family, address: String(decoding: path.prefix { $0 != 0 }, as: UTF8.self))
        default:
            return Decoded(family: family)
        }
    }

    /// RFC 5952 text form: lowercase, leading zeros dropped, the longest run of zero groups as `::`, and IPv4-mapped
    /// addresses as `::ffff:a.b.c.d`.
    static func ipv6String(_ bytes: [UInt8]) -> String {
        guard bytes.count == 16 else { return "" }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xff && bytes[11] == 0xff {
            return "::ffff:" + bytes[12..<16].map(String.init).joined(separator: ".")
        }
        let groups = (0..<8).map { UInt16(bytes[$0 * 2]) << 8 | UInt16(bytes[$0 * 2 + 1]) }
        var bestStart = -1, bestLength = 0, runStart = -1
        for index in 0...8 {
            if index < 8 && groups[index] == 0 {
                if runStart < 0 { runStart = index }
            } else if runStart >= 0 {
                let length = index - runStart
                if length > bestLength && length >= 2 { bestStart = runStart; bestLength = length }
                runStart = -1
            }
        }
        func hex(_ range: Range<Int>) -> String {
            groups[range].map { String($0, radix: 16) }.joined(separator: ":")
        }
        guard bestStart >= 0 else { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLength)..<8)
    }
}

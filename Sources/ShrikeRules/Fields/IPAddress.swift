#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 address as 128 bits (IPv4 mapped into ::ffff:0:0/96), so one comparison serves both.
public struct IPAddress: Sendable, Hashable {
    public var high: UInt64
    public var low: UInt64
    public var isV4: Bool

    /// Parses dotted IPv4 or textual IPv6 (brackets allowed); nil otherwise.
    public init?(_ text: String) {
        var text = text
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            let value = UInt32(bigEndian: v4.s_addr)
            high = 0
            low = 0x0000_FFFF_0000_0000 | UInt64(value)
            isV4 = true
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 16)
        withUnsafeBytes(of: &v6) { raw in for index in 0..<16 { bytes[index] = raw[index] } }
        var h: UInt64 = 0, l: UInt64 = 0
        for index in 0..<8 { h = h << 8 | UInt64(bytes[index]) }
        for index in 8..<16 { l = l << 8 | UInt64(bytes[index]) }
        high = h
        low = l
        isV4 = h == 0 && (l >> 32) == 0xFFFF
    }
}

/// A CIDR network (`10.0.0.0/8`, `fd00::/8`); a bare address is a /32 or /128.
public struct IPNetwork: Sendable, Hashable {
    public var address: IPAddress
    /// Prefix length in the 128-bit space (an IPv4 /8 is 104).
    public var prefix: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let first = parts.first, let address = IPAddress(first) else { return nil }
        var length = address.isV4 ? 32 : 128
        if parts.count == 2 {
            guard let value = Int(parts[1]), value >= 0, value <= length else { return nil }
            length = value
        }
        self.address = address
        prefix = address.isV4 ? length + 96 : length
    }

    public func contains(_ other: IPAddress) -> Bool {
        let (maskHigh, maskLow) = Self.mask(prefix)
        return other.high & maskHigh == address.high & maskHigh && other.low & maskLow == address.low & maskLow
    }

    private static func mask(_ prefix: Int) -> (UInt64, UInt64) {
        if prefix <= 0 { return (0, 0) }
        if prefix >= 128 { return (.max, .max) }
        if prefix <= 64 { return (prefix == 64 ? .max : ~(UInt64.max >> UInt64(prefix)), 0) }
        return (.max, ~(UInt64.max >> UInt64(prefix - 64)))
    }
}

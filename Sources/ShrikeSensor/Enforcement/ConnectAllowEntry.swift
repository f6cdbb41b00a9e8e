#if canImport(Glibc)
import Glibc
#endif
import ShrikeCore

/// One destination a `deny-connect` policy lets through: an address prefix and optionally a port.
///
/// Written `ADDRESS[/BITS][:PORT]`, IPv6 in brackets when a port follows: `127.0.0.1`, `10.0.0.0/8`,
/// `192.168.1.5:443`, `::1`, `[fd00::]/8:53`, `[::1]:8080`. A bare address is a host (/32 or /128); no port means
/// every port.
public struct ConnectAllowEntry: Sendable, Equatable, CustomStringConvertible {
    /// 2 (AF_INET) or 10 (AF_INET6).
    public var family: UInt32
    /// The address in network byte order: 4 bytes for IPv4, 16 for IPv6.
    public var address: [UInt8]
    public var prefixLength: Int
    /// nil: every port.
    public var port: UInt16?

    public init(family: UInt32, address: [UInt8], prefixLength: Int, port: UInt16?) {
        self.family = family
        self.address = address
        self.prefixLength = prefixLength
        self.port = port
    }

    /// Parses one entry; throws a `malformed` ShrikeError naming it.
    public init(parsing text: String) throws {
        let trimmed = text.trimmingCharactersInSpaces()
        var rest = Substring(trimmed)
        var port: UInt16?
        var host: Substring
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw Self.failure(text, "an opening '[' has no ']'") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            rest = rest[rest.index(after: close)...]
            var bits: Substring = ""
            if rest.hasPrefix("/") {
                let end = rest.firstIndex(of: ":") ?? rest.endIndex
                bits = rest[rest.startIndex..<end]
                rest = rest[end...]
            }
            if rest.hasPrefix(":") {
                guard let value = UInt16(rest.dropFirst()), value > 0 else { throw Self.failure(text, "bad port") }
                port = value
            } else if !rest.isEmpty {
                throw Self.failure(text, "unexpected '\(rest)' after the address")
            }
            host += bits
        } else if rest.filter({ $0 == ":" }).count == 1 {
            // IPv4 with a port (an IPv6 address has at least two colons).
            let colon = rest.firstIndex(of: ":") ?? rest.endIndex
            guard let value = UInt16(rest[rest.index(after: colon)...]), value > 0 else {
                throw Self.failure(text, "bad port")
            }
            port = value
            host = rest[rest.startIndex..<colon]
        } else {
            host = rest
        }
        var bits: Int?
        if let slash = host.firstIndex(of: "/") {
            guard let value = Int(host[host.index(after: slash)...]) else { throw Self.failure(text, "bad prefix length") }
            bits = value
            host = host[host.startIndex..<slash]
        }
        var v4 = in_addr()
        var v6 = in6_addr()
        if inet_pton(AF_INET, String(host), &v4) == 1 {
            family = 2
            address = withUnsafeBytes(of: &v4) { Array($0) }
        } else if inet_pton(AF_INET6, String(host), &v6) == 1 {
            family = 10
            address = withUnsafeBytes(of: &v6) { Array($0) }
        } else {
            throw Self.failure(text, "'\(host)' is not an IPv4 or IPv6 address")
        }
        let maximum = address.count * 8
        prefixLength = bits ?? maximum
        guard (0...maximum).contains(prefixLength) else {
            throw Self.failure(text, "the prefix length must be 0...\(maximum)")
        }
        self.port = port
    }

    private static func failure(_ text: String, _ reason: String) -> ShrikeError {
        ShrikeError(.malformed, "not an allow-list entry (\(reason)): write ADDRESS[/BITS][:PORT], e.g. 10.0.0.0/8, "
                    + "127.0.0.1:8080 or [::1]:53", input: text)
    }

    /// True when a connect to `address` (network byte order, 4 or 16 bytes) and `port` is let through.
    public func allows(family: UInt32, address other: [UInt8], port: UInt16) -> Bool {
        guard family == self.family, other.count == address.count else { return false }
        if let wanted = self.port, wanted != port { return false }
        var remaining = prefixLength
        for index in 0..<address.count where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xff : UInt8(truncatingIfNeeded: 0xff << (8 - remaining))
            if address[index] & mask != other[index] & mask { return false }
            remaining -= 8
        }
        return true
    }

    public var description: String {
        var buffer = [CChar](repeating: 0, count: 64)
        let text: String = address.withUnsafeBytes { raw in
            guard inet_ntop(family == 2 ? AF_INET : AF_INET6, raw.baseAddress, &buffer, 64) != nil else { return "?" }
            return String(cString: buffer)
        }
        let host = prefixLength == address.count * 8 ? text : "\(text)/\(prefixLength)"
        guard let port else { return host }
        return family == 10 ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}

extension String {
    fileprivate func trimmingCharactersInSpaces() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

/// A package URL (`pkg:type/namespace/name@version?qualifiers#subpath`) built as the purl specification says:
/// lower-case type, each namespace segment and the name percent-encoded, qualifiers sorted by key, empty values dropped.
public struct PackageURL: Hashable, Sendable, CustomStringConvertible, Codable {
    public var type: String
    public var namespace: String?
    public var name: String
    public var version: String?
    public var qualifiers: [String: String]
    public var subpath: String?

    public init(type: String, namespace: String? = nil, name: String, version: String? = nil,
                qualifiers: [String: String] = [:], subpath: String? = nil) {
        self.type = type.lowercased()
        self.namespace = namespace
        self.name = name
        self.version = version
        self.qualifiers = qualifiers
        self.subpath = subpath
    }

    public var description: String {
        var out = "pkg:" + type + "/"
        if let namespace, !namespace.isEmpty {
            out += namespace.split(separator: "/").map { Self.encode(String($0)) }.joined(separator: "/") + "/"
        }
        out += Self.encode(name)
        if let version, !version.isEmpty { out += "@" + Self.encode(version) }
        let kept = qualifiers.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }
        if !kept.isEmpty {
            out += "?" + kept.map { $0.key.lowercased() + "=" + Self.encode($0.value) }.joined(separator: "&")
        }
        if let subpath, !subpath.isEmpty {
            out += "#" + subpath.split(separator: "/").map { Self.encode(String($0)) }.joined(separator: "/")
        }
        return out
    }

    public init(from decoder: any Decoder) throws {
        // Shrike only writes purls; decoding keeps the string as the name so round-trips of our own JSON work.
        let string = try decoder.singleValueContainer().decode(String.self)
        self.init(type: "generic", name: string)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Percent-encodes everything outside the unreserved set (RFC 3986), as purl implementations do, except `:`,
    /// which the purl spec says is unambiguous everywhere and must stay unencoded (`1:2.38.1` epochs).
    static func encode(_ string: String) -> String {
        var out = ""
        out.reserveCapacity(string.utf8.count)
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: ":"):
                out.append(":")
            default:
                let hex = Array("0123456789ABCDEF")
                out.append("%")
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0f)])
            }
        }
        return out
    }
}

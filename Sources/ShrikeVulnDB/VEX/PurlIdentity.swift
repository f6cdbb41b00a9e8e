import Foundation
import ShrikeCore

/// A package URL reduced to what OpenVEX tooling compares: type, namespace, name and version; qualifiers and subpath
/// are ignored (a statement about `pkg:apk/alpine/musl@1.1.20-r4` covers every arch and distro qualifier).
public struct PurlIdentity: Sendable, Hashable {
    public var type: String
    public var namespace: String?
    public var name: String
    public var version: String?

    /// Parses `pkg:type/namespace/name@version?qualifiers#subpath`; nil when `string` is not a purl.
    public init?(parsing string: String) {
        guard string.lowercased().hasPrefix("pkg:") else { return nil }
        var rest = Substring(string.dropFirst(4))
        while rest.hasPrefix("/") { rest = rest.dropFirst() }
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        if let question = rest.firstIndex(of: "?") { rest = rest[..<question] }
        var version: String?
        // The version follows the last `@` after the last `/` (npm scopes put `@` in the namespace).
        let lastSlash = rest.lastIndex(of: "/") ?? rest.startIndex
        if let at = rest[lastSlash...].lastIndex(of: "@") {
            version = Self.decode(rest[rest.index(after: at)...])
            rest = rest[..<at]
        }
        var segments = rest.split(separator: "/").map { Self.decode($0) }
        guard segments.count >= 2, let type = segments.first, let name = segments.last, !name.isEmpty else { return nil }
        segments.removeFirst()
        segments.removeLast()
        self.type = type.lowercased()
        self.namespace = segments.isEmpty ? nil : segments.joined(separator: "/")
        self.name = name
        self.version = version.flatMap { $0.isEmpty ? nil : $0 }
    }

    public init(_ purl: PackageURL) {
        type = purl.type.lowercased()
        namespace = purl.namespace.flatMap { $0.isEmpty ? nil : $0 }
        name = purl.name
        version = purl.version.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// True when this identity (from a VEX statement) covers `other` (a package): same type, namespace and name, and
    /// the same version unless this identity names none.
    public func covers(_ other: PurlIdentity) -> Bool {
        guard type == other.type, namespace == other.namespace, name == other.name else { return false }
        guard let version else { return true }
        return version == other.version
    }

    private static func decode(_ text: Substring) -> String {
        String(text).removingPercentEncoding ?? String(text)
    }
}

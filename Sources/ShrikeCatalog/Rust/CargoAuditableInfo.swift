import Foundation
import ShrikeCore

/// The dependency list `cargo auditable` embeds in a Rust binary: the `.dep-v0` section, zlib-compressed JSON
/// `{"packages": [{"name", "version", "source", "kind", "dependencies", "root"}]}`.
public struct CargoAuditableInfo: Sendable, Equatable, Decodable {
    public struct Package: Sendable, Equatable, Decodable {
        public var name: String
        public var version: String
        /// `crates.io`, `local`, `git`, `registry`, or another registry's name.
        public var source: String
        /// `runtime` (linked into the binary) or `build` (build scripts and proc-macros only).
        public var kind: String
        /// Indexes into `packages`.
        public var dependencies: [Int]
        /// True for the crate the binary was built from.
        public var root: Bool

        enum CodingKeys: String, CodingKey { case name, version, source, kind, dependencies, root }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            name = try c.decode(String.self, forKey: .name)
            version = try c.decode(String.self, forKey: .version)
            source = try c.decodeIfPresent(String.self, forKey: .source) ?? "local"
            // The format omits default values: kind `runtime`, no dependencies, not root.
            kind = try c.decodeIfPresent(String.self, forKey: .kind) ?? "runtime"
            dependencies = try c.decodeIfPresent([Int].self, forKey: .dependencies) ?? []
            root = try c.decodeIfPresent(Bool.self, forKey: .root) ?? false
        }
    }

    public var packages: [Package]

    /// The section name cargo-auditable writes.
    public static let sectionName = ".dep-v0"
    /// Largest compressed section and decompressed JSON accepted (real ones are a few KiB).
    static let maxCompressed = 8 << 20
    static let maxJSON = 64 << 20

    /// Decodes the section's bytes. Throws `malformed` for corrupt zlib or JSON, `limitExceeded` for bombs.
    public init(section: [UInt8], what: String) throws {
        guard section.count <= Self.maxCompressed else {
            throw ShrikeError(.limitExceeded, "\(Self.sectionName) is \(section.count) bytes", input: what)
        }
        let json = try ZlibInflater.inflate(section, limit: Self.maxJSON, what: what)
        do {
            self = try JSONDecoder().decode(CargoAuditableInfo.self, from: Data(json))
        } catch {
            throw ShrikeError(.malformed, "\(Self.sectionName) is not cargo-auditable JSON: \(error)", input: what)
        }
    }

    enum CodingKeys: String, CodingKey { case packages }
}

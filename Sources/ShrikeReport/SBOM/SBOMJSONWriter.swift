import ShrikeCatalog
import ShrikeCore
import ShrikeImage

/// Writes Shrike's own SBOM JSON (`shrike sbom -o json`), the shape DESIGN.md fixes.
///
/// `{"source": {...}, "distro": {...} | null, "packages": [...], "ownedLanguagePackages": [...]}` with sorted keys.
/// `source.digest` and `distro` are always present (null when unknown) so scripts can rely on the keys; packages keep
/// the SBOM's order. `ownedLanguagePackages` lists language packages an OS package installed, each with `ownedBy`
/// (the OS package's purl); they are not in `packages` and are not matched.
public struct SBOMJSONWriter: SBOMWriter {
    public init() {}

    public func write(_ sbom: SBOM) throws -> [UInt8] {
        try JSONOutput.encode(Document(sbom: sbom), format: "json")
    }

    private struct Document: Encodable {
        let sbom: SBOM

        enum Keys: String, CodingKey { case source, distro, packages, ownedLanguagePackages }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(Source(source: sbom.source), forKey: .source)
            if let distro = sbom.distro {
                try c.encode(DistroObject(distro: distro), forKey: .distro)
            } else {
                try c.encodeNil(forKey: .distro)
            }
            try c.encode(sbom.packages, forKey: .packages)
            try c.encode(sbom.ownedLanguagePackages, forKey: .ownedLanguagePackages)
        }
    }

    struct Source: Encodable {
        let source: SourceDescription

        enum Keys: String, CodingKey { case type, path, digest, imageID, layers, tags, architecture, os }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(source.type, forKey: .type)
            try c.encode(source.path, forKey: .path)
            if let digest = source.digest {
                try c.encode(digest, forKey: .digest)
            } else {
                try c.encodeNil(forKey: .digest)
            }
            try c.encodeIfPresent(source.imageID, forKey: .imageID)
            try c.encode(source.layers, forKey: .layers)
            try c.encode(source.tags, forKey: .tags)
            try c.encodeIfPresent(source.architecture, forKey: .architecture)
            try c.encodeIfPresent(source.os, forKey: .os)
        }
    }

    struct DistroObject: Encodable {
        let distro: Distro

        enum Keys: String, CodingKey { case id, versionID, prettyName, codename, idLike }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(distro.id, forKey: .id)
            try c.encodeIfPresent(distro.versionID, forKey: .versionID)
            try c.encodeIfPresent(distro.prettyName, forKey: .prettyName)
            try c.encodeIfPresent(distro.codename, forKey: .codename)
            if !distro.idLike.isEmpty { try c.encode(distro.idLike, forKey: .idLike) }
        }
    }
}

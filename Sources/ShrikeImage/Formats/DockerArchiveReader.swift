import ShrikeCore

/// Reads an image from `docker save` output: the classic layout (`<id>/layer.tar`, `<config hex>.json`) and the
/// newer one where `manifest.json` points into `blobs/sha256/`.
enum DockerArchiveReader {
    static func read(_ container: TarContainer, tag: String?, path: String, options: ImageReadOptions) throws -> ImageFileSystem {
        guard let manifestBytes = try container.readSmall("manifest.json", limit: options.maxMetadataSize) else {
            throw ShrikeError(.badTarget, "has no manifest.json: not a docker-archive", input: container.location)
        }
        let entries = try JSONDecoding.decode([DockerArchiveManifestEntry].self, from: manifestBytes,
                                              what: "\(container.location): manifest.json")
        let entry = try choose(entries, tag: tag, location: container.location)

        let configDigest = digestNamed(by: entry.Config)
        let configBytes: [UInt8]
        if let configDigest {
            configBytes = try container.readVerified(entry.Config, digest: configDigest, size: nil,
                                                     limit: options.maxMetadataSize, what: "config \(entry.Config)")
        } else {
            guard let bytes = try container.readSmall(entry.Config, limit: options.maxMetadataSize) else {
                throw ShrikeError(.notFound, "config \(entry.Config) is missing from the archive", input: container.location)
            }
            configBytes = bytes
        }
        let layers = entry.Layers.map {
            ImageAssembler.LayerSource(member: $0, blobDigest: $0.hasPrefix("blobs/") ? digestNamed(by: $0) : nil, mediaType: nil)
        }
        let imageID = configDigest ?? Digest.sha256(of: configBytes)
        let source = SourceDescription(type: "docker-archive", path: path, digest: imageID, imageID: imageID,
                                       tags: entry.RepoTags ?? [])
        return try ImageAssembler.build(container: container, configBytes: configBytes, configName: entry.Config,
                                        layers: layers, source: source, options: options)
    }

    private static func choose(_ entries: [DockerArchiveManifestEntry], tag: String?, location: String) throws -> DockerArchiveManifestEntry {
        if let tag {
            let matching = entries.filter { ($0.RepoTags ?? []).contains { $0 == tag || $0.hasSuffix(":" + tag) || $0.hasSuffix("/" + tag) } }
            guard let first = matching.first else {
                let known = entries.flatMap { $0.RepoTags ?? [] }
                throw ShrikeError(.notFound, "no image tagged '\(tag)' (tags here: \(known.isEmpty ? "none" : known.joined(separator: ", ")))", input: location)
            }
            return first
        }
        guard let first = entries.first else {
            throw ShrikeError(.malformed, "manifest.json lists no images", input: location)
        }
        if entries.count > 1 {
            let tags = entries.flatMap { $0.RepoTags ?? [] }
            throw ShrikeError(.badTarget, "holds \(entries.count) images; name one as docker-archive:PATH:TAG (\(tags.joined(separator: ", ")))", input: location)
        }
        return first
    }

    /// The digest a member's name encodes: `blobs/sha256/<hex>` or `<hex>.json` (classic config names).
    static func digestNamed(by member: String) -> Digest? {
        let base = PathNormalizer.baseName(of: member)
        let hex = base.hasSuffix(".json") ? String(base.dropLast(5)) : base
        if member.contains("sha512/") { return try? Digest(algorithm: .sha512, hex: hex) }
        return try? Digest(algorithm: .sha256, hex: hex)
    }
}


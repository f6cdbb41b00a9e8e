import Foundation
import ShrikeCore

/// Reads an image from an OCI image layout (a directory or an `oci-archive` tar of one).
enum OCILayoutReader {
    static let refNameAnnotation = "org.opencontainers.image.ref.name"

    static func read(_ container: any ImageContainer, tag: String?, sourceType: String, path: String,
                     options: ImageReadOptions) throws -> ImageFileSystem {
        guard let layoutBytes = try container.readSmall("oci-layout", limit: 4096) else {
            throw ShrikeError(.badTarget, "has no oci-layout file: not an OCI image layout", input: container.location)
        }
        _ = layoutBytes
        guard let indexBytes = try container.readSmall("index.json", limit: options.maxMetadataSize) else {
            throw ShrikeError(.badTarget, "has no index.json: not an OCI image layout", input: container.location)
        }
        let index = try JSONDecoding.decode(ImageIndex.self, from: indexBytes, what: "\(container.location): index.json")
        let chosen = try choose(from: index, in: container, tag: tag, options: options)
        return try ImageAssembler.assemble(container: container, manifestDescriptor: chosen.descriptor,
                                           manifest: chosen.manifest, tags: chosen.tags, sourceType: sourceType,
                                           path: path, options: options)
    }

    struct Candidate {
        var descriptor: Descriptor
        var manifest: ImageManifest
        var platform: Platform?
        var tags: [String]
    }

    /// Picks the one manifest the user means: by tag when given, then by platform.
    static func choose(from index: ImageIndex, in container: any ImageContainer, tag: String?,
                       options: ImageReadOptions) throws -> Candidate {
        var top = index.manifests
        if let tag {
            top = top.filter { descriptorTags($0).contains(tag) }
            if top.isEmpty {
                let known = Set(index.manifests.flatMap(descriptorTags)).sorted()
                throw ShrikeError(.notFound, "no image tagged '\(tag)' (tags here: \(known.isEmpty ? "none" : known.joined(separator: ", ")))",
                                  input: container.location)
            }
        }
        var candidates: [Candidate] = []
        for descriptor in top {
            try collect(descriptor, tags: descriptorTags(descriptor), depth: 0, container: container,
                        options: options, into: &candidates)
        }
        // Attestation and signature manifests (platform unknown/unknown) are not images to read.
        candidates.removeAll { $0.platform?.os == "unknown" }
        if candidates.isEmpty {
            throw ShrikeError(.notFound, "holds no image manifest", input: container.location)
        }
        let distinctPlatforms = Set(candidates.compactMap { $0.platform?.description })
        if distinctPlatforms.count > 1 || options.platformIsExplicit {
            let matching = candidates.filter { $0.platform.map(options.platform.accepts) ?? !options.platformIsExplicit }
            if matching.isEmpty {
                throw ShrikeError(.notFound, "has no \(options.platform) image (platforms here: \(distinctPlatforms.sorted().joined(separator: ", "))); choose one with --platform",
                                  input: container.location)
            }
            candidates = matching
        }
        let distinct = Dictionary(grouping: candidates, by: { $0.descriptor.digest })
        if distinct.count > 1 {
            let tags = Set(candidates.flatMap(\.tags)).sorted()
            throw ShrikeError(.badTarget,
                              "holds \(distinct.count) images; name one with a tag (\(tags.isEmpty ? "no tags recorded" : tags.joined(separator: ", "))) or --platform",
                              input: container.location)
        }
        guard var first = candidates.first else {
            throw ShrikeError(.notFound, "holds no image manifest", input: container.location)
        }
        first.tags = Array(Set(candidates.flatMap(\.tags))).sorted()
        return first
    }

    private static func descriptorTags(_ descriptor: Descriptor) -> [String] {
        var tags: [String] = []
        if let ref = descriptor.annotations?[refNameAnnotation] { tags.append(ref) }
        if let name = descriptor.annotations?["io.containerd.image.name"] {
            tags.append(name)
            // containerd writes the full name; accept the bare tag after the last ':' too.
            if let colon = name.lastIndex(of: ":"), !name[name.index(after: colon)...].contains("/") {
                tags.append(String(name[name.index(after: colon)...]))
            }
        }
        return tags
    }

    private static func collect(_ descriptor: Descriptor, tags: [String], depth: Int, container: any ImageContainer,
                                options: ImageReadOptions, into candidates: inout [Candidate]) throws {
        guard depth < 4 else {
            throw ShrikeError(.malformed, "image indexes nest more than 4 deep", input: container.location)
        }
        let bytes = try container.readBlob(descriptor.digest, size: descriptor.size, limit: options.maxMetadataSize,
                                           what: "manifest")
        let what = "\(container.location): manifest \(descriptor.digest)"
        let isIndex = MediaType.isIndex(descriptor.mediaType) || (descriptor.mediaType == nil && looksLikeIndex(bytes))
        if isIndex {
            let nested = try JSONDecoding.decode(ImageIndex.self, from: bytes, what: what)
            for child in nested.manifests {
                try collect(child, tags: tags, depth: depth + 1, container: container, options: options, into: &candidates)
            }
            return
        }
        if let type = descriptor.mediaType, !MediaType.isManifest(type) {
            return  // Not an image (an artifact such as a signature or SBOM): skip it.
        }
        let manifest = try JSONDecoding.decode(ImageManifest.self, from: bytes, what: what)
        var platform = descriptor.platform
        if platform == nil {
            // Single-image layouts rarely annotate a platform: the config says what the image is built for.
            let configBytes = try container.readBlob(manifest.config.digest, size: manifest.config.size,
                                                     limit: options.maxMetadataSize, what: "config")
            let config = try JSONDecoding.decode(ImageConfig.self, from: configBytes,
                                                 what: "\(container.location): config \(manifest.config.digest)")
            if let os = config.os, let architecture = config.architecture {
                platform = Platform(os: os, architecture: architecture, variant: config.variant)
            }
        }
        candidates.append(Candidate(descriptor: descriptor, manifest: manifest, platform: platform, tags: tags))
    }

    private static func looksLikeIndex(_ bytes: [UInt8]) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else { return false }
        return object["manifests"] != nil && object["config"] == nil
    }
}

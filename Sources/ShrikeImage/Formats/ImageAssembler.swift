import ShrikeCore

/// Turns a chosen manifest (or docker-archive entry) into an `ImageFileSystem`: reads and verifies the config,
/// then streams every layer into one squashed tree.
enum ImageAssembler {
    struct LayerSource {
        var member: String
        var blobDigest: Digest?
        var mediaType: String?
    }

    static func assemble(container: any ImageContainer, manifestDescriptor: Descriptor, manifest: ImageManifest,
                         tags: [String], sourceType: String, path: String,
                         options: ImageReadOptions) throws -> ImageFileSystem {
        let configBytes = try container.readBlob(manifest.config.digest, size: manifest.config.size,
                                                 limit: options.maxMetadataSize, what: "config")
        let layers = manifest.layers.map {
            LayerSource(member: containerBlobPath($0.digest), blobDigest: $0.digest, mediaType: $0.mediaType)
        }
        let source = SourceDescription(type: sourceType, path: path, digest: manifestDescriptor.digest,
                                       imageID: manifest.config.digest, tags: tags)
        return try build(container: container, configBytes: configBytes, configName: "config \(manifest.config.digest)",
                         layers: layers, source: source, options: options)
    }

    static func containerBlobPath(_ digest: Digest) -> String { "blobs/\(digest.algorithm.rawValue)/\(digest.hex)" }

    static func build(container: any ImageContainer, configBytes: [UInt8], configName: String, layers: [LayerSource],
                      source: SourceDescription, options: ImageReadOptions) throws -> ImageFileSystem {
        let config = try JSONDecoding.decode(ImageConfig.self, from: configBytes, what: "\(container.location): \(configName)")
        let diffIDs = config.rootfs.diff_ids
        guard diffIDs.count == layers.count else {
            throw ShrikeError(.malformed, "the config lists \(diffIDs.count) layer diff ids but the manifest has \(layers.count) layers",
                              input: container.location)
        }
        // A docker-archive has no index to pick a platform from, so an explicit --platform is checked against the
        // config; reading another platform's packages without a word would mislead.
        if options.platformIsExplicit, let os = config.os, let architecture = config.architecture,
           !options.platform.accepts(Platform(os: os, architecture: architecture, variant: config.variant)) {
            let found = Platform(os: os, architecture: architecture, variant: config.variant)
            throw ShrikeError(.notFound, "is a \(found) image, not \(options.platform); drop --platform or pick another image",
                              input: container.location)
        }
        let instructions = config.layerInstructions(count: layers.count)
        let scratch = try ScratchDirectory(parent: options.scratchParent)
        let builder = FileTreeBuilder(selector: options.selector, store: ContentStore(scratch: scratch),
                                      observer: options.changeObserver)
        var infos: [LayerInfo] = []
        for (index, layer) in layers.enumerated() {
            guard let (stream, size) = try container.open(layer.member) else {
                throw ShrikeError(.notFound, "layer \(index + 1) (\(layer.blobDigest?.description ?? layer.member)) is missing from the image",
                                  input: container.location)
            }
            options.progress.begin("layer \(index + 1)/\(layers.count)", total: size)
            try LayerApplier.apply(stream: stream, size: size, blobDigest: layer.blobDigest, diffID: diffIDs[index],
                                   mediaType: layer.mediaType, index: index, into: builder, options: options,
                                   location: container.location)
            options.progress.end()
            infos.append(LayerInfo(index: index, digest: layer.blobDigest ?? diffIDs[index], diffID: diffIDs[index],
                                   mediaType: layer.mediaType ?? MediaType.ociLayerTar, size: size,
                                   createdBy: instructions[index]))
        }
        var described = source
        described.layers = diffIDs
        described.architecture = config.architecture
        described.os = config.os
        let history = (config.history ?? []).map {
            ImageHistoryEntry(createdBy: $0.created_by, emptyLayer: $0.empty_layer ?? false, created: $0.created,
                              comment: $0.comment)
        }
        return ImageFileSystem(tree: builder.build(), layers: infos, source: described, kept: builder.history,
                               scratch: scratch, history: history)
    }
}

import ShrikeCore
import ShrikeImage

/// One layer after building: its tar, its blob as stored in an OCI layout, and the digests that name them.
public struct BuiltLayer: Sendable, Equatable {
    /// The uncompressed tar; nil for a layer given as a ready-made blob.
    public let tar: [UInt8]?
    /// The blob as an OCI layout stores it (compressed as the layer says), before any corruption.
    public let blob: [UInt8]
    /// Digest of `blob`, as the manifest names it.
    public let digest: Digest
    /// Digest of the uncompressed tar (the true diff id; the config may lie, see `BuiltImage.diffIDs`).
    public let diffID: Digest
    public let mediaType: String
    public let compression: LayerCompression
}

/// An image after building: config, manifest and layers with their digests, ready to be written in any layout.
public struct BuiltImage: Sendable, Equatable {
    public let fixture: ImageFixture
    public let layers: [BuiltLayer]
    /// The config blob; its digest is the image id.
    public let config: [UInt8]
    public let configDigest: Digest
    /// The diff ids as the config lists them (differs from the layers' true ones under `wrongDiffID`).
    public let diffIDs: [Digest]
    /// The image manifest as an OCI layout stores it (layers compressed as the fixture says).
    public let manifest: [UInt8]
    public let manifestDigest: Digest

    /// The image id (`sha256:` of the config), as `docker images --digests` shows it.
    public var imageID: Digest { configDigest }

    init(_ fixture: ImageFixture) throws {
        self.fixture = fixture
        var layers: [BuiltLayer] = []
        for layer in fixture.layers {
            let mediaType = MediaType.layer(layer.compression, fixture.mediaTypes)
            if let tar = layer.tarBytes() {
                let blob = try FixtureCompression.compress(tar, layer.compression)
                layers.append(BuiltLayer(tar: tar, blob: blob, digest: ShrikeCore.Digest.sha256(of: blob), diffID: ShrikeCore.Digest.sha256(of: tar),
                                         mediaType: mediaType, compression: layer.compression))
            } else if case .blob(let blob, let diffID) = layer.content {
                let digest = ShrikeCore.Digest.sha256(of: blob)
                layers.append(BuiltLayer(tar: nil, blob: blob, digest: digest, diffID: diffID ?? digest,
                                         mediaType: mediaType, compression: layer.compression))
            }
        }
        self.layers = layers

        var diffIDs = layers.map(\.diffID)
        for case .wrongDiffID(let index) in fixture.corruptions where diffIDs.indices.contains(index) {
            diffIDs[index] = ShrikeCore.Digest.sha256(of: Array("not the diff id of layer \(index)".utf8))
        }
        self.diffIDs = diffIDs

        let config = ImageConfigJSON(
            architecture: fixture.architecture, os: fixture.os, variant: fixture.variant, created: fixture.created,
            config: ContainerConfigJSON(env: fixture.env, cmd: fixture.cmd, entrypoint: fixture.entrypoint, user: fixture.user,
                                        workingDir: fixture.workingDir, labels: fixture.labels.isEmpty ? nil : fixture.labels),
            rootfs: RootFSJSON(diffIDs: diffIDs.map(\.description)),
            history: fixture.layers.flatMap { layer in
                [HistoryJSON(created: fixture.created, createdBy: layer.createdBy)]
                    + layer.emptyStepsAfter.map { HistoryJSON(created: fixture.created, createdBy: $0, emptyLayer: true) }
            })
        self.config = try FixtureJSON.encode(config)
        self.configDigest = ShrikeCore.Digest.sha256(of: self.config)
        self.manifest = try Self.manifestBytes(fixture: fixture, config: self.config, configDigest: configDigest,
                                               layers: layers.map { ($0.digest, $0.blob.count, $0.mediaType) })
        self.manifestDigest = ShrikeCore.Digest.sha256(of: manifest)
    }

    /// The platform descriptor field of this image.
    var platform: PlatformJSON {
        PlatformJSON(architecture: fixture.architecture, os: fixture.os, variant: fixture.variant)
    }

    static func manifestBytes(fixture: ImageFixture, config: [UInt8], configDigest: Digest,
                              layers: [(digest: Digest, size: Int, mediaType: String)]) throws -> [UInt8] {
        let manifest = ManifestJSON(
            mediaType: MediaType.manifest(fixture.mediaTypes),
            config: DescriptorJSON(mediaType: MediaType.config(fixture.mediaTypes), digest: configDigest.description,
                                   size: config.count),
            layers: layers.map { DescriptorJSON(mediaType: $0.mediaType, digest: $0.digest.description, size: $0.size) })
        return try FixtureJSON.encode(manifest)
    }

    /// The bytes to store for layer `index` given the fixture's corruptions, or nil when the blob must be missing.
    func storedLayer(_ index: Int, _ bytes: [UInt8]) -> [UInt8]? {
        var bytes = bytes
        for corruption in fixture.corruptions {
            switch corruption {
            case .missingBlob(let layer) where layer == index:
                return nil
            case .wrongLayerDigest(let layer) where layer == index:
                if bytes.isEmpty { bytes = [0] } else { bytes[bytes.count / 2] ^= 0xff }
            case .truncatedBlob(let layer) where layer == index:
                bytes = Array(bytes.prefix(bytes.count / 2))
            default:
                continue
            }
        }
        return bytes
    }

    var configMissing: Bool { fixture.corruptions.contains(.missingConfig) }

    var storedManifest: [UInt8] {
        fixture.corruptions.contains(.wrongManifestDigest) ? manifest + [UInt8(ascii: " ")] : manifest
    }

    var hugeManifestSize: Int? {
        fixture.corruptions.compactMap { if case .hugeManifest(let bytes) = $0 { return bytes } else { return nil } }.max()
    }
}

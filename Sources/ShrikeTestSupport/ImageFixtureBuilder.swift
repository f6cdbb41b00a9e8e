import Foundation
import ShrikeCore
import ShrikeImage

/// One file of a written image, by its path inside the layout or archive (`blobs/sha256/ab…`, `manifest.json`).
public struct FixtureFile: Sendable, Equatable {
    public var path: String
    public var bytes: [UInt8]
    public init(path: String, bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }
}

/// Which docker-archive layout `docker save` would have written.
public enum DockerArchiveLayout: Sendable, Equatable {
    /// Docker < 25: `manifest.json` with `Config: "<hex>.json"` and `Layers: ["<id>/layer.tar"]`, plus
    /// `<id>/VERSION`, `<id>/json` and `repositories`.
    case classic
    /// Docker ≥ 25: `manifest.json` pointing into `blobs/sha256/<hex>`, next to `oci-layout` and `index.json`
    /// (OCI media types, uncompressed layers), plus `repositories`.
    case ociBlobs
}

/// Builds an image (or a multi-platform set) from `ImageFixture`s and writes it as an OCI layout, an OCI archive
/// or a docker-archive, applying each fixture's corruptions.
///
/// Building computes every blob and digest once; the writers only lay them out. All output is deterministic.
public struct ImageFixtureBuilder: Sendable {
    /// The built images, one per platform (one for a single-platform builder).
    public let images: [BuiltImage]
    /// For a multi-platform builder, the image index blob that lists `images` with their platforms.
    public let index: [UInt8]?
    public let indexDigest: Digest?
    /// Tags of the whole (multi-platform) image in an OCI layout; for a single image, its fixture's tags.
    public let tags: [String]

    /// The first (or only) image.
    public var image: BuiltImage { images[0] }

    /// A single-platform image.
    public init(_ fixture: ImageFixture) throws {
        images = [try BuiltImage(fixture)]
        index = nil
        indexDigest = nil
        tags = fixture.tags
    }

    /// A multi-platform image: an OCI image index (Docker manifest list when the first fixture uses Docker media
    /// types) listing one manifest per fixture with its platform. In an OCI layout `index.json` points at that
    /// index under `tags`; in a docker-archive each platform's image is written as its own entry with its own tags.
    public init(platforms: [ImageFixture], tags: [String] = ["shrike/fixture:latest"]) throws {
        precondition(!platforms.isEmpty, "a multi-platform fixture needs at least one platform")
        let images = try platforms.map(BuiltImage.init)
        self.images = images
        let family = platforms[0].mediaTypes
        let document = IndexJSON(mediaType: MediaType.index(family), manifests: images.map {
            DescriptorJSON(mediaType: MediaType.manifest($0.fixture.mediaTypes), digest: $0.manifestDigest.description,
                           size: $0.manifest.count, platform: $0.platform)
        })
        let index = try FixtureJSON.encode(document)
        self.index = index
        self.indexDigest = ShrikeCore.Digest.sha256(of: index)
        self.tags = tags
    }

    // MARK: - OCI layout and archive

    /// The files of an OCI image layout: `oci-layout`, `index.json` (one descriptor per tag, annotated with
    /// `org.opencontainers.image.ref.name`), and `blobs/sha256/<hex>` for every blob not removed by a corruption.
    public func ociLayoutFiles() throws -> [FixtureFile] {
        var files = FileSet()
        for image in images { addBlobs(of: image, to: &files) }
        let top: DescriptorJSON
        if let index, let indexDigest {
            files.add("blobs/sha256/\(indexDigest.hex)", index)
            top = DescriptorJSON(mediaType: MediaType.index(image.fixture.mediaTypes), digest: indexDigest.description,
                                 size: index.count)
        } else {
            top = DescriptorJSON(mediaType: MediaType.manifest(image.fixture.mediaTypes),
                                 digest: image.manifestDigest.description, size: image.manifest.count)
        }
        var descriptors: [DescriptorJSON] = []
        for tag in tags {
            var descriptor = top
            descriptor.annotations = [MediaType.refNameAnnotation: ImageFixture.refName(for: tag)]
            descriptors.append(descriptor)
        }
        if tags.isEmpty { descriptors.append(top) }
        let indexJSON = try FixtureJSON.encode(IndexJSON(mediaType: MediaType.ociIndex, manifests: descriptors))
        return [
            FixtureFile(path: "oci-layout", bytes: try FixtureJSON.encode(OCILayoutJSON())),
            FixtureFile(path: "index.json", bytes: padded(indexJSON)),
        ] + files.files
    }

    /// Writes the OCI layout into `directory` (created if needed).
    public func writeOCILayout(to directory: String) throws {
        try Self.write(try ociLayoutFiles(), into: directory)
    }

    /// The OCI layout as a tar archive (`oci-archive:`), directories included, names without `./`.
    public func ociArchive() throws -> [UInt8] {
        Self.tar(try ociLayoutFiles())
    }

    public func writeOCIArchive(to path: String) throws {
        try Self.writeFile(try ociArchive(), to: path)
    }

    // MARK: - docker-archive

    /// The files of a docker-archive. Layers are stored uncompressed, as `docker save` does, unless
    /// `keepCompression` is set (or the layer is a ready-made blob, which is stored as given).
    public func dockerArchiveFiles(layout: DockerArchiveLayout = .classic, keepCompression: Bool = false) throws -> [FixtureFile] {
        var files = FileSet()
        var entries: [DockerManifestEntryJSON] = []
        var repositories: [String: [String: String]] = [:]
        var ociDescriptors: [DescriptorJSON] = []
        for image in images {
            let stored = image.layers.map { layer -> (bytes: [UInt8], mediaType: String) in
                if let tar = layer.tar, !keepCompression {
                    return (tar, MediaType.layer(.none, image.fixture.mediaTypes))
                }
                return (layer.blob, layer.mediaType)
            }
            var layerPaths: [String] = []
            var topLayerID = ""
            let configPath: String
            switch layout {
            case .classic:
                var parent: String?
                for (index, layer) in stored.enumerated() {
                    // A v1 layer id, derived from the chain so far as Docker's are; only its stability matters.
                    let id = ShrikeCore.Digest.sha256(of: Array(((parent ?? "") + image.diffIDs[index].description).utf8)).hex
                    files.add("\(id)/VERSION", Array("1.0".utf8))
                    files.add("\(id)/json", try FixtureJSON.encode(LegacyLayerJSON(id: id, parent: parent, created: image.fixture.created)))
                    if let bytes = image.storedLayer(index, layer.bytes) { files.add("\(id)/layer.tar", bytes) }
                    layerPaths.append("\(id)/layer.tar")
                    parent = id
                    topLayerID = id
                }
                configPath = "\(image.configDigest.hex).json"
                if !image.configMissing { files.add(configPath, image.config) }
            case .ociBlobs:
                var descriptors: [(digest: Digest, size: Int, mediaType: String)] = []
                for (index, layer) in stored.enumerated() {
                    let digest = ShrikeCore.Digest.sha256(of: layer.bytes)
                    descriptors.append((digest, layer.bytes.count, layer.mediaType))
                    if let bytes = image.storedLayer(index, layer.bytes) { files.add("blobs/sha256/\(digest.hex)", bytes) }
                    layerPaths.append("blobs/sha256/\(digest.hex)")
                    topLayerID = digest.hex
                }
                configPath = "blobs/sha256/\(image.configDigest.hex)"
                if !image.configMissing { files.add(configPath, image.config) }
                let manifest = try BuiltImage.manifestBytes(fixture: image.fixture, config: image.config,
                                                            configDigest: image.configDigest, layers: descriptors)
                let manifestDigest = ShrikeCore.Digest.sha256(of: manifest)
                files.add("blobs/sha256/\(manifestDigest.hex)", image.fixture.corruptions.contains(.wrongManifestDigest)
                          ? manifest + [UInt8(ascii: " ")] : manifest)
                for tag in image.fixture.tags {
                    ociDescriptors.append(DescriptorJSON(
                        mediaType: MediaType.manifest(image.fixture.mediaTypes), digest: manifestDigest.description,
                        size: manifest.count,
                        annotations: ["io.containerd.image.name": tag, MediaType.refNameAnnotation: ImageFixture.refName(for: tag)]))
                }
            }
            entries.append(DockerManifestEntryJSON(config: configPath, repoTags: image.fixture.tags.isEmpty ? nil : image.fixture.tags,
                                                   layers: layerPaths))
            for tag in image.fixture.tags {
                repositories[ImageFixture.repository(of: tag), default: [:]][ImageFixture.refName(for: tag)] = topLayerID
            }
        }
        var result = files.files
        if layout == .ociBlobs {
            result.append(FixtureFile(path: "index.json", bytes: try FixtureJSON.encode(IndexJSON(mediaType: MediaType.ociIndex,
                                                                                                   manifests: ociDescriptors))))
        }
        result.append(FixtureFile(path: "manifest.json", bytes: padded(try FixtureJSON.encode(entries))))
        if layout == .ociBlobs {
            result.append(FixtureFile(path: "oci-layout", bytes: try FixtureJSON.encode(OCILayoutJSON())))
        }
        if !repositories.isEmpty {
            result.append(FixtureFile(path: "repositories", bytes: try FixtureJSON.encode(repositories)))
        }
        return result
    }

    /// The docker-archive as a tar (what `docker save` writes to a file).
    public func dockerArchive(layout: DockerArchiveLayout = .classic, keepCompression: Bool = false) throws -> [UInt8] {
        Self.tar(try dockerArchiveFiles(layout: layout, keepCompression: keepCompression))
    }

    public func writeDockerArchive(to path: String, layout: DockerArchiveLayout = .classic, keepCompression: Bool = false) throws {
        try Self.writeFile(try dockerArchive(layout: layout, keepCompression: keepCompression), to: path)
    }

    // MARK: - Writing

    /// Tars files, adding each parent directory once before the first file under it.
    public static func tar(_ files: [FixtureFile]) -> [UInt8] {
        var writer = TarWriter()
        var directories: Set<String> = []
        for file in files {
            let components = file.path.split(separator: "/").dropLast()
            var path = ""
            for component in components {
                path += component + "/"
                if directories.insert(path).inserted { writer.append(.directory(path)) }
            }
            writer.append(.file(file.path, bytes: file.bytes))
        }
        writer.finish()
        return writer.bytes
    }

    /// Writes files under `directory`, creating parent directories.
    public static func write(_ files: [FixtureFile], into directory: String) throws {
        let manager = FileManager.default
        for file in files {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(file.path)
            do {
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            } catch {
                throw ShrikeError(.io, "cannot create directory: \(error)", input: url.deletingLastPathComponent().path)
            }
            try writeFile(file.bytes, to: url.path)
        }
    }

    public static func writeFile(_ bytes: [UInt8], to path: String) throws {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        } catch {
            throw ShrikeError(.io, "cannot write fixture file: \(error)", input: path)
        }
    }

    // MARK: - Private

    private func addBlobs(of image: BuiltImage, to files: inout FileSet) {
        for (index, layer) in image.layers.enumerated() {
            if let bytes = image.storedLayer(index, layer.blob) { files.add("blobs/sha256/\(layer.digest.hex)", bytes) }
        }
        if !image.configMissing { files.add("blobs/sha256/\(image.configDigest.hex)", image.config) }
        files.add("blobs/sha256/\(image.manifestDigest.hex)", image.storedManifest)
    }

    /// Pads a JSON document with trailing spaces (still valid JSON) when a fixture asks for a huge manifest.
    private func padded(_ json: [UInt8]) -> [UInt8] {
        guard let size = images.compactMap(\.hugeManifestSize).max(), size > json.count else { return json }
        return json + [UInt8](repeating: UInt8(ascii: " "), count: size - json.count)
    }
}

/// Files in insertion order, each path once (identical layers share one blob).
private struct FileSet {
    var files: [FixtureFile] = []
    var seen: Set<String> = []
    mutating func add(_ path: String, _ bytes: [UInt8]) {
        if seen.insert(path).inserted { files.append(FixtureFile(path: path, bytes: bytes)) }
    }
}

import Crypto
import Foundation
import ShrikeCore

/// Checks an image's integrity end to end: every digest and size from the index (all platforms) through manifests
/// to configs and layers, each blob read in full and hashed. Nothing is unpacked.
///
/// Works on OCI layouts (`oci-dir:`), OCI archives, docker-archives (configs by their digest names, layers against
/// the config's diff ids) and registries. Returns a report whose `failure` names the first blob that does not match;
/// throws `ShrikeError` only when the target cannot be read at all (missing file, unreachable registry, JSON that
/// matches its digest but cannot be parsed).
public enum ImageVerifier {
    public static func verify(_ target: Target, options: ImageReadOptions = ImageReadOptions()) throws -> VerificationReport {
        let walk = VerificationWalk(options: options)
        var client: RegistryClient?
        var report: VerificationReport
        do {
            switch target {
            case .ociDirectory(let path, let tag):
                guard TargetParser.isDirectory(path) else {
                    throw ShrikeError(.badTarget, "is not a directory (for an OCI archive file use oci-archive:)", input: path)
                }
                try walk.layout(DirectoryContainer(root: path), tag: tag)
            case .ociArchive(let path, let tag):
                try walk.layout(try TarContainer(path: path), tag: tag)
            case .dockerArchive(let path, let tag):
                try walk.dockerArchive(try TarContainer(path: path), tag: tag)
            case .registry(let reference):
                let registry = try RegistryClient(reference: reference, options: options.registry)
                client = registry
                try walk.registry(registry, reference: reference)
            case .directory(let path):
                throw ShrikeError(.usage, "a dir: target has no digests to verify; verify an image (oci-dir:, oci-archive:, docker-archive:, registry:)", input: path)
            }
            report = VerificationReport(target: target.description, verified: true, blobs: walk.blobs, bytes: walk.bytes,
                                        diffIDs: walk.diffIDs)
        } catch let mismatch as VerificationWalk.Mismatch {
            report = VerificationReport(target: target.description, verified: false, blobs: walk.blobs, bytes: walk.bytes,
                                        diffIDs: walk.diffIDs, failure: mismatch.failure)
        }
        report.requests = client?.roundTrips
        return report
    }
}

/// Where blobs come from: an image container (layout directory or tar) or a registry repository.
protocol VerificationStore {
    var location: String { get }
    /// Opens a manifest or index by digest; nil when absent.
    func openManifest(_ digest: ShrikeCore.Digest) throws -> (any ByteStream)?
    /// Opens a blob (config, layer) by digest; nil when absent.
    func openBlob(_ digest: ShrikeCore.Digest) throws -> (any ByteStream)?
}

struct ContainerStore: VerificationStore {
    let container: any ImageContainer
    var location: String { container.location }
    func openManifest(_ digest: ShrikeCore.Digest) throws -> (any ByteStream)? { try openBlob(digest) }
    func openBlob(_ digest: ShrikeCore.Digest) throws -> (any ByteStream)? {
        try container.open(ImageAssembler.containerBlobPath(digest))?.stream
    }
}

struct RegistryStore: VerificationStore {
    let client: RegistryClient
    var location: String { "registry:\(client.host)/\(client.repository)" }
    func openManifest(_ digest: ShrikeCore.Digest) throws -> (any ByteStream)? { try client.openManifestRaw(digest) }
    func openBlob(_ digest: ShrikeCore.Digest) throws -> (any ByteStream)? { try client.openBlobRaw(digest) }
}

/// One verification run's state: what was hashed, and the walk from the top down.
final class VerificationWalk {
    struct Mismatch: Error { var failure: VerificationFailure }

    let options: ImageReadOptions
    private(set) var blobs = 0
    private(set) var bytes: Int64 = 0
    private(set) var diffIDs = 0
    private var seen: Set<ShrikeCore.Digest> = []
    /// 1 MiB reads keep hashing near the speed of `sha256sum` on the same files.
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)

    init(options: ImageReadOptions) { self.options = options }
    deinit { buffer.deallocate() }

    // MARK: OCI layouts and registries

    func layout(_ container: any ImageContainer, tag: String?) throws {
        guard try container.readSmall("oci-layout", limit: 4096) != nil else {
            throw ShrikeError(.badTarget, "has no oci-layout file: not an OCI image layout", input: container.location)
        }
        guard let indexBytes = try container.readSmall("index.json", limit: options.maxMetadataSize) else {
            throw ShrikeError(.badTarget, "has no index.json: not an OCI image layout", input: container.location)
        }
        let index = try JSONDecoding.decode(ImageIndex.self, from: indexBytes, what: "\(container.location): index.json")
        var top = index.manifests
        if let tag {
            top = top.filter { $0.annotations?[OCILayoutReader.refNameAnnotation] == tag }
            guard !top.isEmpty else { throw ShrikeError(.notFound, "no image tagged '\(tag)'", input: container.location) }
        }
        let store = ContainerStore(container: container)
        for (position, descriptor) in top.enumerated() {
            let name = descriptor.annotations?[OCILayoutReader.refNameAnnotation].map { "'\($0)'" } ?? "\(position + 1)"
            try manifest(descriptor, role: "manifest \(name) of index.json", store: store, depth: 0)
        }
    }

    func registry(_ client: RegistryClient, reference: ImageReference) throws {
        let store = RegistryStore(client: client)
        if let digest = reference.digest {
            try manifest(Descriptor(mediaType: nil, digest: digest, size: -1), role: "manifest", store: store, depth: 0)
            return
        }
        // A tag names no digest: the manifest's own bytes define it; its children are checked against it.
        let top = try client.manifest(reference.reference, limit: options.maxMetadataSize)
        count(top.digest, size: Int64(top.bytes.count))
        try children(of: top.bytes, digest: top.digest, mediaType: top.mediaType, store: store, depth: 0)
    }

    private func manifest(_ descriptor: Descriptor, role: String, store: any VerificationStore, depth: Int) throws {
        guard depth < 8 else { throw ShrikeError(.malformed, "image indexes nest more than 8 deep", input: store.location) }
        guard !seen.contains(descriptor.digest) else { return }
        guard let stream = try store.openManifest(descriptor.digest) else { throw missing(descriptor, role: role) }
        let content = try hash(stream, descriptor: descriptor, role: role, keep: options.maxMetadataSize)
        try children(of: content, digest: descriptor.digest, mediaType: descriptor.mediaType, store: store, depth: depth)
    }

    private func children(of bytes: [UInt8], digest: ShrikeCore.Digest, mediaType: String?, store: any VerificationStore, depth: Int) throws {
        struct Probe: Decodable {
            var mediaType: String?
            var manifests: [Descriptor]?
            var config: Descriptor?
            var layers: [Descriptor]?
            var blobs: [Descriptor]?
        }
        let what = "\(store.location): manifest \(digest)"
        let probe = try JSONDecoding.decode(Probe.self, from: bytes, what: what)
        if let manifests = probe.manifests, probe.config == nil {
            for child in manifests {
                let platform = child.platform.map { " (\($0))" } ?? ""
                try manifest(child, role: "manifest\(platform) of index \(digest)", store: store, depth: depth + 1)
            }
            return
        }
        if let config = probe.config {
            try blob(config, role: "config of manifest \(digest)", store: store)
        }
        let layers: [Descriptor] = probe.layers ?? probe.blobs ?? []
        for (position, layer) in layers.enumerated() {
            try blob(layer, role: "layer \(position + 1) of manifest \(digest)", store: store)
        }
    }

    private func blob(_ descriptor: Descriptor, role: String, store: any VerificationStore) throws {
        guard !seen.contains(descriptor.digest) else { return }
        // The OCI "empty" descriptor's data may be inlined; registries still serve it, layouts hold it.
        guard let stream = try store.openBlob(descriptor.digest) else { throw missing(descriptor, role: role) }
        _ = try hash(stream, descriptor: descriptor, role: role, keep: nil)
    }

    private func missing(_ descriptor: Descriptor, role: String) -> Mismatch {
        Mismatch(failure: VerificationFailure(kind: "missing", blob: descriptor.digest.description, role: role,
                                              expected: descriptor.digest.description, actual: nil))
    }

    /// Hashes a whole stream and checks size (when `descriptor.size` >= 0) then digest; returns the bytes when
    /// `keep` is given (manifests), refusing more than `keep` bytes.
    private func hash(_ stream: any ByteStream, descriptor: Descriptor, role: String, keep: Int?) throws -> [UInt8] {
        var hasher = SHA256()
        var total: Int64 = 0
        var kept: [UInt8] = []
        let large = descriptor.size > 8 << 20
        if large { options.progress.begin("verifying \(descriptor.digest.short)", total: descriptor.size) }
        defer { if large { options.progress.end() } }
        while true {
            let n = try stream.read(into: buffer)
            if n == 0 { break }
            let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<n])
            hasher.update(bufferPointer: chunk)
            total += Int64(n)
            if let keep {
                guard kept.count + n <= keep else {
                    throw ShrikeError(.limitExceeded, "\(role) is over the \(keep)-byte limit for image metadata", input: descriptor.digest.description)
                }
                kept.append(contentsOf: chunk)
            }
            if large && total & ((1 << 24) - 1) < Int64(n) { options.progress.advance(to: total) }
        }
        let actual = ShrikeCore.Digest(sha256Bytes: hasher.finalize())
        if descriptor.size >= 0, total != descriptor.size {
            throw Mismatch(failure: VerificationFailure(kind: "size", blob: descriptor.digest.description, role: role,
                                                        expected: String(descriptor.size), actual: String(total)))
        }
        if descriptor.digest.algorithm == .sha256, actual != descriptor.digest {
            throw Mismatch(failure: VerificationFailure(kind: "digest", blob: descriptor.digest.description, role: role,
                                                        expected: descriptor.digest.description, actual: actual.description))
        }
        count(descriptor.digest, size: total)
        return kept
    }

    private func count(_ digest: ShrikeCore.Digest, size: Int64) {
        if seen.insert(digest).inserted {
            blobs += 1
            bytes += size
        }
    }

    // MARK: docker-archives

    func dockerArchive(_ container: TarContainer, tag: String?) throws {
        guard let manifestBytes = try container.readSmall("manifest.json", limit: options.maxMetadataSize) else {
            throw ShrikeError(.badTarget, "has no manifest.json: not a docker-archive", input: container.location)
        }
        var entries = try JSONDecoding.decode([DockerArchiveManifestEntry].self, from: manifestBytes,
                                              what: "\(container.location): manifest.json")
        if let tag {
            entries = entries.filter { ($0.RepoTags ?? []).contains { $0 == tag || $0.hasSuffix(":" + tag) } }
            guard !entries.isEmpty else { throw ShrikeError(.notFound, "no image tagged '\(tag)'", input: container.location) }
        }
        var checkedMembers: Set<String> = []
        for entry in entries {
            let image = entry.RepoTags?.first ?? entry.Config
            guard let (configStream, configSize) = try container.open(entry.Config) else {
                throw Mismatch(failure: VerificationFailure(kind: "missing", blob: entry.Config, role: "config of \(image)",
                                                            expected: entry.Config, actual: nil))
            }
            let configDigest = DockerArchiveReader.digestNamed(by: entry.Config)
            let configBytes: [UInt8]
            if let configDigest {
                configBytes = try hash(configStream, descriptor: Descriptor(mediaType: nil, digest: configDigest, size: configSize),
                                       role: "config of \(image)", keep: options.maxMetadataSize)
            } else {
                configBytes = try configStream.readAll(limit: options.maxMetadataSize, what: entry.Config)
            }
            let config = try JSONDecoding.decode(ImageConfig.self, from: configBytes, what: "\(container.location): \(entry.Config)")
            guard config.rootfs.diff_ids.count == entry.Layers.count else {
                throw ShrikeError(.malformed, "the config lists \(config.rootfs.diff_ids.count) diff ids but manifest.json \(entry.Layers.count) layers",
                                  input: container.location)
            }
            for (position, member) in entry.Layers.enumerated() where checkedMembers.insert(member).inserted {
                try dockerLayer(member, diffID: config.rootfs.diff_ids[position],
                                role: "layer \(position + 1) of \(image)", container: container)
            }
        }
    }

    /// Hashes a docker-archive layer once as stored (against its blob name, when it has one) and once uncompressed
    /// (against the config's diff id), in a single pass.
    private func dockerLayer(_ member: String, diffID: ShrikeCore.Digest, role: String, container: TarContainer) throws {
        let blobDigest = member.hasPrefix("blobs/") ? DockerArchiveReader.digestNamed(by: member) : nil
        guard let (stream, size) = try container.open(member) else {
            throw Mismatch(failure: VerificationFailure(kind: "missing", blob: member, role: role, expected: diffID.description, actual: nil))
        }
        let stored = DigestingStream(stream, expected: nil, what: member, computeAlways: true)
        let peek = PeekableStream(stored)
        let compression = Compression.sniff(try peek.peek(4))
        let uncompressed = DigestingStream(try compression.decompressing(peek, what: "\(container.location): \(member)"),
                                           expected: nil, what: member, computeAlways: compression != .none)
        let large = size > 8 << 20
        if large { options.progress.begin("verifying \(role)", total: size) }
        defer { if large { options.progress.end() } }
        while try uncompressed.read(into: buffer) > 0 {}
        let storedDigest = try stored.finish()
        let contentDigest = compression == .none ? storedDigest : try uncompressed.finish()
        if let blobDigest, storedDigest != blobDigest {
            throw Mismatch(failure: VerificationFailure(kind: "digest", blob: member, role: role,
                                                        expected: blobDigest.description, actual: storedDigest.description))
        }
        if contentDigest != diffID {
            throw Mismatch(failure: VerificationFailure(kind: "diff-id", blob: member, role: role,
                                                        expected: diffID.description, actual: contentDigest.description))
        }
        diffIDs += 1
        if seen.insert(storedDigest).inserted {
            blobs += 1
            bytes += stored.count
        }
    }
}

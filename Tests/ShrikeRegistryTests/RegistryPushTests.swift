import Foundation
import Testing
import ShrikeCore
import ShrikeImage
import ShrikeTestSupport

/// Pushing through `RegistryClient` (monolithic and chunked uploads, mounts, manifests), tag listing and the
/// referrers fallback, checked against a real registry and skopeo.
@Suite(.enabled(if: RegistryTests.haveRegistry && RegistryTests.haveSkopeo,
                "needs docker-registry and skopeo (apt-get install docker-registry skopeo)"),
       .serialized)
struct RegistryPushTests {
    /// Pushes `image` to `repository:tag` (the first layer in 1 KiB chunks) and returns the client.
    static func push(_ image: BuiltImage, to server: RegistryServer, repository: String, tag: String,
                     chunkSize: Int = 1024) throws -> RegistryClient {
        let client = try RegistryClient(host: server.host, repository: repository,
                                        options: RegistryOptions(insecure: true, chunkSize: chunkSize))
        try client.putBlob(image.config)
        for layer in image.layers { try client.putBlob(layer.blob, mediaType: layer.mediaType) }
        try client.putManifest(image.manifest, mediaType: ShrikeImage.MediaType.ociManifest, reference: tag)
        return client
    }

    @Test("blobs and a manifest pushed by the client are seen by skopeo; pulls verify")
    func pushThenInspect() throws {
        let dir = try RegistryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let big = LayerFixture([.file("big.bin", bytes: (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) })], compression: .none)
        let image = try ImageFixtureBuilder(ImageFixture(layers: [big, LayerFixture([.file("x", "x")])])).image
        #expect(image.layers[0].blob.count > 4 * 1024, "the first layer must need several chunks")
        try RegistryServer.with { server in
            let client = try Self.push(image, to: server, repository: "pushed/app", tag: "v1")
            let inspect = try RegistryTests.skopeo(["inspect", "--tls-verify=false", "docker://\(server.host)/pushed/app:v1"], in: dir)
            struct Inspect: Decodable {
                var Digest: String
                var Layers: [String]
            }
            let seen = try JSONDecoder().decode(Inspect.self, from: Data(inspect.stdout.utf8))
            #expect(seen.Digest == image.manifestDigest.description)
            #expect(seen.Layers == image.layers.map(\.digest.description))

            let manifest = try client.manifest("v1")
            #expect(manifest.bytes == image.manifest)
            #expect(manifest.digest == image.manifestDigest)
            #expect(manifest.mediaType == ShrikeImage.MediaType.ociManifest)
            #expect(try client.blobData(image.configDigest) == image.config)
            #expect(try client.exists(blob: image.layers[0].digest))
            #expect(try !client.exists(blob: Digest.sha256(of: Array("absent".utf8))))
            #expect(try client.manifestDescriptor("v1")?.digest == image.manifestDigest)
            #expect(try client.manifestDescriptor("nope") == nil)

            // A blob streamed by digest verifies itself.
            let (stream, size) = try client.blob(image.layers[0].digest)
            #expect(size == Int64(image.layers[0].blob.count))
            #expect(try stream.readAll(limit: 1 << 20, what: "layer") == image.layers[0].blob)

            let report = try ImageVerifier.verify(.registry(try ImageReference(parsing: "\(server.host)/pushed/app:v1")),
                                                  options: ImageReadOptions(registry: RegistryOptions(insecure: true)))
            #expect(report.verified)
            #expect(report.blobs == 4)
        }
    }

    @Test("a blob is mounted from another repository instead of uploaded")
    func crossRepositoryMount() throws {
        let image = try ImageFixtureBuilder(RegistryTests.smallImage()).image
        try RegistryServer.with { server in
            _ = try Self.push(image, to: server, repository: "source/app", tag: "v1")
            let target = try RegistryClient(host: server.host, repository: "target/app", options: RegistryOptions(insecure: true))
            let digest = image.layers[0].digest
            #expect(try !target.exists(blob: digest))
            #expect(try target.mountBlob(digest, from: "source/app"))
            #expect(try target.exists(blob: digest))
            #expect(try target.blobData(digest) == image.layers[0].blob)
            // A blob the source does not have cannot be mounted.
            #expect(try !target.mountBlob(Digest.sha256(of: Array("nothing".utf8)), from: "source/app"))
        }
    }

    @Test("tags are listed; a missing repository is notFound")
    func tagPagination() throws {
        let image = try ImageFixtureBuilder(RegistryTests.smallImage()).image
        try RegistryServer.with { server in
            let client = try Self.push(image, to: server, repository: "tags/app", tag: "a")
            for tag in ["b", "c", "d", "e"] { try client.putManifest(image.manifest, mediaType: ShrikeImage.MediaType.ociManifest, reference: tag) }
            // distribution 2.8 neither sorts nor paginates tag lists (see RegistryAuthTests for Link pages).
            let all = try client.tags()
            #expect(all.sorted() == ["a", "b", "c", "d", "e"])
            let missing = try RegistryClient(host: server.host, repository: "no/such", options: RegistryOptions(insecure: true))
            #expect { try missing.tags() } throws: { ($0 as? ShrikeError)?.code == .notFound }
        }
    }

    @Test("referrers fall back to the sha256-<hex> tag when the registry has no referrers API")
    func referrersFallback() throws {
        let dir = try RegistryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let image = try ImageFixtureBuilder(RegistryTests.smallImage()).image
        try RegistryServer.with { server in
            let client = try Self.push(image, to: server, repository: "ref/app", tag: "v1")
            #expect(try client.referrers(image.manifestDigest).isEmpty)

            // An artifact whose subject is the image, as `shrike sign`/`attest` will push it.
            let empty = try client.putBlob(Array("{}".utf8), mediaType: "application/vnd.oci.empty.v1+json")
            let payload = try client.putBlob(Array(#"{"hello":"world"}"#.utf8), mediaType: "application/json")
            let artifactType = "application/vnd.example.test+json"
            let artifact = """
            {"schemaVersion":2,"mediaType":"\(ShrikeImage.MediaType.ociManifest)","artifactType":"\(artifactType)",\
            "config":{"mediaType":"application/vnd.oci.empty.v1+json","digest":"\(empty.digest)","size":2},\
            "layers":[{"mediaType":"application/json","digest":"\(payload.digest)","size":\(payload.size)}],\
            "subject":{"mediaType":"\(ShrikeImage.MediaType.ociManifest)","digest":"\(image.manifestDigest)","size":\(image.manifest.count)}}
            """
            let bytes = Array(artifact.utf8)
            let digest = try client.putManifest(bytes, mediaType: ShrikeImage.MediaType.ociManifest, reference: Digest.sha256(of: bytes).description)
            let descriptor = Descriptor(mediaType: ShrikeImage.MediaType.ociManifest, digest: digest, size: Int64(bytes.count), artifactType: artifactType)
            try client.addFallbackReferrer(descriptor, subject: image.manifestDigest)
            try client.addFallbackReferrer(descriptor, subject: image.manifestDigest)

            #expect(try client.referrers(image.manifestDigest) == [descriptor])
            #expect(try client.referrers(image.manifestDigest, artifactType: artifactType) == [descriptor])
            #expect(try client.referrers(image.manifestDigest, artifactType: "application/other").isEmpty)
            #expect(try client.tags().contains(RegistryClient.referrersTag(for: image.manifestDigest)))
            // skopeo sees the fallback index under its tag.
            let raw = try RegistryTests.skopeo(["inspect", "--raw", "--tls-verify=false",
                                                "docker://\(server.host)/ref/app:\(RegistryClient.referrersTag(for: image.manifestDigest))"], in: dir)
            #expect(raw.stdout.contains(digest.description))
        }
    }
}

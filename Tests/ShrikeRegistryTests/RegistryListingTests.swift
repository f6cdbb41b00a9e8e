import Foundation
import Testing
import ShrikeCore
import ShrikeImage
import ShrikeTestSupport

/// Listing APIs a registry may or may not implement: Link-header pages of tags and the OCI 1.1 referrers API,
/// served by the token front in front of a real registry.
@Suite(.enabled(if: RegistryTests.haveRegistry && ExternalTool.find("python3") != nil,
                "needs docker-registry and python3"),
       .serialized)
struct RegistryListingTests {
    @Test("tags are listed across pages by following Link headers (through the token front, which paginates)")
    func tagPagination() throws {
        let dir = try RegistryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let image = try ImageFixtureBuilder(RegistryTests.smallImage()).image
        try RegistryServer.with { backend in
            let front = try TokenFront(backend: backend, root: dir, user: RegistryAuthTests.user)
            let client = try RegistryClient(host: "127.0.0.1:\(front.port)", repository: "paged/app", options: RegistryOptions(
                insecure: true, credentials: RegistryCredentials(username: "alice", password: "correct horse")))
            try client.putBlob(image.config)
            for layer in image.layers { try client.putBlob(layer.blob) }
            for tag in ["e", "d", "c", "b", "a"] {
                try client.putManifest(image.manifest, mediaType: ShrikeImage.MediaType.ociManifest, reference: tag)
            }
            let before = client.roundTrips
            #expect(try client.tags(pageSize: 2) == ["a", "b", "c", "d", "e"])
            #expect(client.roundTrips - before == 3, "3 pages of at most 2 tags")
        }
    }

    @Test("the referrers API is used when the registry has one (the token front answers it), with artifactType filtering")
    func referrersAPI() throws {
        let dir = try RegistryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let image = try ImageFixtureBuilder(RegistryTests.smallImage()).image
        try RegistryServer.with { backend in
            let front = try TokenFront(backend: backend, root: dir, user: RegistryAuthTests.user)
            let client = try RegistryClient(host: "127.0.0.1:\(front.port)", repository: "refapi/app", options: RegistryOptions(
                insecure: true, credentials: RegistryCredentials(username: "alice", password: "correct horse")))
            try client.putBlob(image.config)
            for layer in image.layers { try client.putBlob(layer.blob) }
            try client.putManifest(image.manifest, mediaType: ShrikeImage.MediaType.ociManifest, reference: "v1")
            let signature = Descriptor(mediaType: ShrikeImage.MediaType.ociManifest, digest: image.configDigest, size: 1,
                                       artifactType: "application/vnd.example.sig")
            let sbom = Descriptor(mediaType: ShrikeImage.MediaType.ociManifest, digest: image.layers[0].digest, size: 2,
                                  artifactType: "application/vnd.example.sbom")
            try client.addFallbackReferrer(signature, subject: image.manifestDigest)
            try client.addFallbackReferrer(sbom, subject: image.manifestDigest)

            let before = client.roundTrips
            #expect(try client.referrers(image.manifestDigest) == [signature, sbom])
            #expect(client.roundTrips - before == 1, "one GET of the referrers API, no fallback lookups")
            #expect(try client.referrers(image.manifestDigest, artifactType: "application/vnd.example.sbom") == [sbom])
            #expect(try client.referrers(Digest.sha256(of: Array("no referrers".utf8))).isEmpty)
        }
    }
}

import Foundation
import Testing
import ShrikeCore
import ShrikeImage
import ShrikeSupplyChain
import ShrikeTestSupport

/// `RegistryArtifactStore` and `SupplyChainTarget` on `registry:` references: how references resolve, what the
/// store reports missing, referrers through the tag-schema fallback, and the policy facts a reference implies.
@Suite(.enabled(if: RegistryTests.haveRegistry && RegistryTests.haveSkopeo,
                "needs docker-registry and skopeo (apt-get install docker-registry skopeo)"),
       .serialized)
struct RegistryArtifactStoreTests {
    static let insecure = RegistryOptions(insecure: true)

    /// A registry holding the small image as `team/app:1.0`; returns the image's manifest digest.
    static func withImage(_ body: (RegistryServer, Digest) throws -> Void) throws {
        let dir = try RegistryTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let builder = try ImageFixtureBuilder(RegistryTests.smallImage())
        try builder.writeOCILayout(to: dir + "/layout")
        try RegistryServer.with { server in
            try RegistryTests.skopeo(["copy", "oci:\(dir)/layout", "docker://\(server.host)/team/app:1.0",
                                      "--dest-tls-verify=false", "--preserve-digests"], in: dir)
            try body(server, builder.image.manifestDigest)
        }
    }

    @Test("a tag, a digest and tag@digest resolve to the image; facts say pinned or implied latest")
    func referencesResolve() throws {
        try Self.withImage { server, digest in
            let tagged = try SupplyChainTarget.resolve("registry:\(server.host)/team/app:1.0", registry: Self.insecure)
            #expect(tagged.digest == digest)
            #expect(tagged.tag == "1.0")
            #expect(tagged.store.repositoryName == "\(server.host)/team/app")
            #expect(tagged.identity(explicit: nil) == "\(server.host)/team/app")
            let taggedFacts = try ImageFacts.gather(tagged, identity: tagged.identity(explicit: nil))
            #expect(!taggedFacts.pinnedByDigest && !taggedFacts.impliesLatest)
            #expect(taggedFacts.repository == "\(server.host)/team/app")

            let pinned = try SupplyChainTarget.resolve("registry:\(server.host)/team/app@\(digest)", registry: Self.insecure)
            #expect(pinned.digest == digest)
            #expect(pinned.tag == nil)
            let pinnedFacts = try ImageFacts.gather(pinned, identity: pinned.identity(explicit: nil))
            #expect(pinnedFacts.pinnedByDigest && !pinnedFacts.impliesLatest)

            let both = try SupplyChainTarget.resolve("registry:\(server.host)/team/app:1.0@\(digest)", registry: Self.insecure)
            #expect(both.digest == digest)
            #expect(both.tag == "1.0")
            #expect(try ImageFacts.gather(both, identity: "x/y").pinnedByDigest)

            // No tag: the registry's `latest`, which this repository does not have.
            let (store, tag) = try SupplyChainTarget.open("registry:\(server.host)/team/app", registry: Self.insecure)
            #expect(tag == nil)
            #expect((store as? RegistryArtifactStore)?.impliesLatest == true)
            #expect((store as? RegistryArtifactStore)?.pinnedByDigest == false)
            let missing = #expect(throws: ShrikeError.self) { try store.descriptor(forTag: nil) }
            #expect(missing?.code == .notFound)
            #expect(missing?.description == "\(server.host)/team/app: no manifest tagged 'latest' (tags here: 1.0)")
        }
    }

    @Test("a missing digest or repository is notFound naming host/repo; unknown manifests and blobs read as nil")
    func missingContent() throws {
        try Self.withImage { server, _ in
            let absent = Digest.sha256(of: Array("absent".utf8))
            let store = try RegistryArtifactStore(reference: "\(server.host)/team/app:1.0", options: Self.insecure)
            #expect(try store.manifest(absent) == nil)
            #expect(try store.blob(absent) == nil)
            #expect(try store.tags() == ["1.0"])
            let pinned = try RegistryArtifactStore(reference: "\(server.host)/team/app@\(absent)", options: Self.insecure)
            let error = #expect(throws: ShrikeError.self) { try pinned.descriptor(forTag: nil) }
            #expect(error?.code == .notFound)
            #expect(error?.description == "\(server.host)/team/app: no manifest \(absent) in the repository")
            let nothing = try RegistryArtifactStore(reference: "\(server.host)/nothing/here:1", options: Self.insecure)
            let gone = #expect(throws: ShrikeError.self) { try nothing.descriptor(forTag: nil) }
            #expect(gone?.code == .notFound)
            #expect(gone?.description.hasPrefix("\(server.host)/nothing/here: no manifest tagged '1'") == true)
        }
    }

    @Test("a pushed manifest with a subject is a referrer (tag-schema fallback) with its artifactType filled")
    func referrersThroughFallback() throws {
        try Self.withImage { server, digest in
            let store = try RegistryArtifactStore(reference: "\(server.host)/team/app:1.0", options: Self.insecure)
            let image = try store.descriptor(forTag: "1.0")
            #expect(try store.referrers(of: digest).isEmpty)

            let empty = Array("{}".utf8)
            let emptyDigest = try store.pushBlob(empty)
            let sbomType = "application/vnd.example.sbom+json"
            let manifest = Array("""
            {"schemaVersion":2,"mediaType":"\(OCIMediaTypes.imageManifest)","artifactType":"\(sbomType)",\
            "config":{"mediaType":"\(OCIMediaTypes.emptyConfig)","digest":"\(emptyDigest)","size":2},\
            "layers":[{"mediaType":"\(OCIMediaTypes.emptyConfig)","digest":"\(emptyDigest)","size":2}],\
            "subject":{"mediaType":"\(image.mediaType)","digest":"\(digest)","size":\(image.size)}}
            """.utf8)
            let pushed = try store.pushManifest(manifest, mediaType: OCIMediaTypes.imageManifest, tag: nil)
            #expect(pushed.artifactType == sbomType)
            #expect(try store.manifest(pushed.digest) == manifest)

            // An entry someone else added to the fallback index without artifactType: read from its manifest.
            let bare = Array("""
            {"schemaVersion":2,"mediaType":"\(OCIMediaTypes.imageManifest)",\
            "config":{"mediaType":"application/vnd.example.note","digest":"\(emptyDigest)","size":2},\
            "layers":[{"mediaType":"\(OCIMediaTypes.emptyConfig)","digest":"\(emptyDigest)","size":2}]}
            """.utf8)
            let client = try RegistryClient(host: server.host, repository: "team/app", options: Self.insecure)
            let bareDigest = try client.putManifest(bare, mediaType: OCIMediaTypes.imageManifest, reference: "note")
            try client.addFallbackReferrer(Descriptor(mediaType: OCIMediaTypes.imageManifest, digest: bareDigest, size: Int64(bare.count)),
                                           subject: digest)

            let referrers = try store.referrers(of: digest)
            #expect(referrers.map(\.digest) == [pushed.digest, bareDigest])
            #expect(referrers.map(\.artifactType) == [sbomType, "application/vnd.example.note"])
            #expect(try store.tags().contains("sha256-\(digest.hex)"))
        }
    }
}

/// What a `registry:` reference means before anything is sent.
struct RegistryReferenceFactsTests {
    @Test("repository names, pinning and implied latest", arguments: [
        ("127.0.0.1:5000/team/app:1.0", "127.0.0.1:5000/team/app", "1.0", false, false),
        ("127.0.0.1:5000/team/app", "127.0.0.1:5000/team/app", nil, false, true),
        ("127.0.0.1:5000/team/app@sha256:\(String(repeating: "a", count: 64))", "127.0.0.1:5000/team/app", nil, true, false),
        ("alpine", "index.docker.io/library/alpine", nil, false, true),
        ("ghcr.io/org/app:latest", "ghcr.io/org/app", "latest", false, false),
    ] as [(String, String, String?, Bool, Bool)])
    func referenceFacts(reference: String, repository: String, tag: String?, pinned: Bool, latest: Bool) throws {
        let (store, openedTag) = try SupplyChainTarget.open("registry:" + reference)
        let registry = try #require(store as? RegistryArtifactStore)
        #expect(registry.repositoryName == repository)
        #expect(openedTag == tag)
        #expect(registry.pinnedByDigest == pinned)
        #expect(registry.impliesLatest == latest)
    }
}

import Foundation
import ShrikeCore
import Testing
@testable import ShrikeSupplyChain

@Suite("cosign signatures: exact formats, sign then verify, real cosign fixtures, rejections")
struct SignatureTests {
    // MARK: - Exact bytes

    @Test("the simple-signing payload and signature config are byte for byte what cosign v3 wrote")
    func exactCosignBytes() throws {
        let subject = try Digest(parsing: try SupplyChainFixtures.text("cosign-v3-attached/subject-digest.txt"))
        let payload = SimpleSigningPayload(dockerReference: "localhost:15381/tobby/fixture", manifestDigest: subject)
        #expect(payload.bytes == (try SupplyChainFixtures.bytes("cosign-v3-attached/payload.json")))

        let cosignManifest = try SupplyChainFixtures.bytes("cosign-v3-attached/signature-manifest.json")
        let parsed = try SignatureManifest(parsing: cosignManifest)
        // Rebuilding the manifest from its layer reproduces cosign's config (233 bytes, same digest) and manifest.
        #expect(parsed.config.count == 233)
        #expect(SupplyChainDigest.sha256(parsed.config).description == "sha256:2122b6ad0794d3fdae43a4b477cf1d95d4a38d3c5f10631e199676039b876e37")
        #expect(parsed.bytes == cosignManifest)
    }

    @Test("payload JSON escapes like Go's encoding/json")
    func goEscaping() throws {
        let digest = SupplyChainDigest.sha256([1])
        let text = String(decoding: SimpleSigningPayload(dockerReference: "a<b>&\"c", manifestDigest: digest).bytes, as: UTF8.self)
        #expect(text.contains(#""docker-reference":"a\u003cb\u003e\u0026\"c""#))
        #expect(text.hasSuffix(#""optional":null}"#))
    }

    // MARK: - Real cosign signatures

    @Test("a genuine cosign v3 .sig artifact verifies with its cosign.pub")
    func genuineCosignArtifact() throws {
        let key = try VerificationKey.load(path: SupplyChainFixtures.path("cosign-v3-attached/cosign.pub"))
        let subject = try Digest(parsing: try SupplyChainFixtures.text("cosign-v3-attached/subject-digest.txt"))
        let payload = try SupplyChainFixtures.bytes("cosign-v3-attached/payload.json")
        let manifest = try SupplyChainFixtures.bytes("cosign-v3-attached/signature-manifest.json")
        let checks = try SignatureVerifier(keys: [key]).verify(image: subject, signatureManifest: manifest, tag: "t") { _ in payload }
        #expect(checks.count == 1)
        #expect(checks.first?.outcome == .verified(keyFingerprint: key.fingerprint))
        #expect(checks.first?.claimedReference == "localhost:15381/tobby/fixture")

        // The same artifact under another key is rejected.
        let other = try SupplyChainFixtures.otherKey().verificationKey
        let wrong = try SignatureVerifier(keys: [other]).verify(image: subject, signatureManifest: manifest, tag: "t") { _ in payload }
        #expect(wrong.first?.outcome == .rejected(.noMatchingKey))
    }

    @Test("containers/image's real cosign signature over a non-JSON payload: valid signature, unparsable payload")
    func realSignatureOverUnparsablePayload() throws {
        let key = try VerificationKey.load(path: SupplyChainFixtures.path("containers-image/cosign.pub"))
        let fixtures = try JSONSerialization.jsonObject(with: Data(try SupplyChainFixtures.bytes("containers-image/signatures.json"))) as? [String: Any]
        for name in ["nonJSONPayload", "unacceptableJSONPayload"] {
            let entry = try #require(fixtures?[name] as? [String: String])
            let payload = Array(try #require(entry["payload"]).utf8)
            let signature = try #require(entry["signature"])
            // The signature itself is cosign's and valid...
            #expect(key.isValid(signature: Array(try #require(Data(base64Encoded: signature))), for: payload))
            // ...but what it signs is not a cosign simple-signing document.
            let layer = OCIDescriptor(mediaType: OCIMediaTypes.simpleSigning, bytes: payload,
                                      annotations: [OCIMediaTypes.signatureAnnotation: signature])
            let check = SignatureVerifier(keys: [key]).verifyLayer(layer, payload: payload, image: SupplyChainDigest.sha256([]),
                                                                   source: .cosignTag(tag: "t", payload: layer.digest))
            guard case .rejected(.unparsablePayload) = check.outcome else {
                Issue.record("\(name): expected unparsablePayload, got \(check.outcome)")
                continue
            }
        }
    }

    // MARK: - Sign then verify on an OCI layout

    @Test("sign an OCI layout, verify it; a second signature is appended, not replacing the first")
    func signThenVerify() throws {
        let dir = try SupplyChainFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let layout = try SupplyChainFixtures.layout(in: dir)
        let image = try SupplyChainTarget.resolve("oci-dir:\(layout):1.0")
        let key = try SupplyChainFixtures.plainKey()
        let first = try ImageSigner(key: key).sign(image, identity: "example.com/team/app")
        #expect(first.tag == "sha256-\(image.digest.hex).sig")
        #expect(first.signatureCount == 1)

        let other = try SupplyChainFixtures.otherKey()
        let second = try ImageSigner(key: other).sign(image, identity: "example.com/team/app")
        #expect(second.signatureCount == 2)

        let report = try SignatureVerifier(keys: [key.verificationKey]).verify(image)
        #expect(report.checks.count == 2)
        #expect(report.passed)
        #expect(report.verifiedKeys == [key.verificationKey.fingerprint])
        #expect(report.checks.filter { $0.outcome == .rejected(.noMatchingKey) }.count == 1)

        let both = try SignatureVerifier(keys: [key.verificationKey, other.verificationKey]).verify(image)
        #expect(both.verifiedKeys.count == 2)

        // The signature manifest is in index.json under cosign's tag, next to the image, and the image still reads.
        let store = try OCILayoutStore(root: layout)
        #expect(try store.tags().contains(first.tag))
        #expect(try store.descriptor(forTag: nil).digest == image.digest)
    }

    @Test("an unsigned image has no signatures, and the report says so")
    func unsigned() throws {
        let dir = try SupplyChainFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let image = try SupplyChainTarget.resolve("oci-dir:\(try SupplyChainFixtures.layout(in: dir))")
        let report = try SignatureVerifier(keys: [try SupplyChainFixtures.plainKey().verificationKey]).verify(image)
        #expect(!report.passed)
        #expect(report.lines == ["no signatures found for \(image.digest)"])
    }

    // MARK: - Rejections

    /// A signed layout and what is needed to tamper with it.
    struct SignedLayout {
        var dir: String
        var layout: String
        var image: ResolvedImage
        var key: SigningKey
        var result: ImageSigner.Result
        var store: OCILayoutStore
    }

    func signedLayout() throws -> SignedLayout {
        let dir = try SupplyChainFixtures.temporaryDirectory()
        let layout = try SupplyChainFixtures.layout(in: dir)
        let image = try SupplyChainTarget.resolve("oci-dir:\(layout):1.0")
        let key = try SupplyChainFixtures.plainKey()
        let result = try ImageSigner(key: key).sign(image, identity: "example.com/team/app")
        return SignedLayout(dir: dir, layout: layout, image: image, key: key, result: result, store: try OCILayoutStore(root: layout))
    }

    @Test("a wrong key is rejected with its reason")
    func wrongKey() throws {
        let signed = try signedLayout()
        defer { try? FileManager.default.removeItem(atPath: signed.dir) }
        let report = try SignatureVerifier(keys: [try SupplyChainFixtures.otherKey().verificationKey]).verify(signed.image)
        #expect(!report.passed)
        #expect(report.checks.map(\.outcome) == [.rejected(.noMatchingKey)])
        #expect(report.lines[0].contains("does not verify with the given key"))
    }

    @Test("a modified manifest (tag moved to an altered copy, signature copied along) is rejected: digest mismatch")
    func modifiedManifest() throws {
        let signed = try signedLayout()
        defer { try? FileManager.default.removeItem(atPath: signed.dir) }
        // The attacker edits the manifest, pushes it under the same tag and copies the old signature to its .sig tag.
        var manifest = signed.image.manifest
        manifest.append(UInt8(ascii: " "))
        let moved = try signed.store.pushManifest(manifest, mediaType: OCIMediaTypes.imageManifest, tag: "1.0")
        let sigManifest = try #require(try signed.store.manifest(signed.result.signatureManifest.digest))
        try signed.store.pushManifest(sigManifest, mediaType: OCIMediaTypes.imageManifest, tag: CosignTags.signature(for: moved.digest))

        let image = try SupplyChainTarget.resolve("oci-dir:\(signed.layout):1.0")
        #expect(image.digest == moved.digest)
        let report = try SignatureVerifier(keys: [signed.key.verificationKey]).verify(image)
        #expect(report.checks.map(\.outcome) == [.rejected(.manifestDigestMismatch(signed: signed.image.digest.description, image: moved.digest))])
        #expect(report.lines[0].contains("the manifest was modified"))
    }

    @Test("a payload blob that does not match its layer descriptor is rejected")
    func payloadDigestMismatch() throws {
        let signed = try signedLayout()
        defer { try? FileManager.default.removeItem(atPath: signed.dir) }
        let payloadDigest = SupplyChainDigest.sha256(signed.result.payload)
        let path = "\(signed.layout)/blobs/sha256/\(payloadDigest.hex)"
        var tampered = signed.result.payload
        tampered[tampered.count - 2] = UInt8(ascii: "x")
        try Data(tampered).write(to: URL(fileURLWithPath: path))
        let report = try SignatureVerifier(keys: [signed.key.verificationKey]).verify(signed.image)
        #expect(report.checks.map(\.outcome) == [.rejected(.payloadDigestMismatch(descriptor: payloadDigest, actual: SupplyChainDigest.sha256(tampered)))])
    }

    @Test("a valid signature over an unparsable payload is rejected as such")
    func unparsablePayload() throws {
        let dir = try SupplyChainFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let image = try SupplyChainTarget.resolve("oci-dir:\(try SupplyChainFixtures.layout(in: dir))")
        let key = try SupplyChainFixtures.plainKey()
        let payload = Array("this is not json".utf8)
        let layer = OCIDescriptor(mediaType: OCIMediaTypes.simpleSigning, bytes: payload,
                                  annotations: [OCIMediaTypes.signatureAnnotation: Data(try key.sign(payload)).base64EncodedString()])
        try SignatureManifest(layers: [layer]).push(to: image.store, blobs: [payload], tag: CosignTags.signature(for: image.digest))
        let report = try SignatureVerifier(keys: [key.verificationKey]).verify(image)
        guard case .rejected(.unparsablePayload(let reason))? = report.checks.first?.outcome else {
            Issue.record("expected unparsablePayload, got \(report.checks)")
            return
        }
        #expect(reason.contains("not a JSON object"))
    }

    @Test("a layer with a Fulcio certificate and no matching key is reported as keyless, not supported yet")
    func keylessLayer() throws {
        let key = try SupplyChainFixtures.plainKey()
        let payload = SimpleSigningPayload(dockerReference: "x", manifestDigest: SupplyChainDigest.sha256([1])).bytes
        let layer = OCIDescriptor(mediaType: OCIMediaTypes.simpleSigning, bytes: payload,
                                  annotations: [OCIMediaTypes.signatureAnnotation: Data(try SupplyChainFixtures.otherKey().sign(payload)).base64EncodedString(),
                                                OCIMediaTypes.certificateAnnotation: "-----BEGIN CERTIFICATE-----"])
        let check = SignatureVerifier(keys: [key.verificationKey]).verifyLayer(layer, payload: payload, image: SupplyChainDigest.sha256([1]),
                                                                               source: .cosignTag(tag: "t", payload: layer.digest))
        #expect(check.outcome == .rejected(.keylessNotSupported))
    }

    @Test("a layer announcing a huge payload is rejected without reading it")
    func oversizedPayload() throws {
        let layer = OCIDescriptor(mediaType: OCIMediaTypes.simpleSigning, digest: SupplyChainDigest.sha256([1]), size: 5 << 30,
                                  annotations: [OCIMediaTypes.signatureAnnotation: "AAAA"])
        let manifest = SignatureManifest(layers: [layer]).bytes
        let checks = try SignatureVerifier(keys: [try SupplyChainFixtures.plainKey().verificationKey])
            .verify(image: SupplyChainDigest.sha256([2]), signatureManifest: manifest, tag: "t") { _ in
                Issue.record("the payload must not be read")
                return nil
            }
        #expect(checks.map(\.outcome) == [.rejected(.payloadTooLarge(5 << 30))])
    }

    // MARK: - Sigstore bundles (cosign v3, OCI 1.1 referrers)

    /// Attaches `bundle` to `image` as an OCI 1.1 referrer the way cosign v3 does.
    func attachBundle(_ bundle: [UInt8], to image: ResolvedImage) throws {
        let store = image.store
        try store.pushBlob(bundle)
        try store.pushBlob(Array("{}".utf8))
        let manifest = """
        {"schemaVersion":2,"mediaType":"\(OCIMediaTypes.imageManifest)","artifactType":"\(OCIMediaTypes.sigstoreBundle)",\
        "config":{"mediaType":"\(OCIMediaTypes.emptyConfig)","size":2,"digest":"\(SupplyChainDigest.sha256(Array("{}".utf8)))"},\
        "layers":[{"mediaType":"\(OCIMediaTypes.sigstoreBundle)","size":\(bundle.count),"digest":"\(SupplyChainDigest.sha256(bundle))"}],\
        "subject":{"mediaType":"\(OCIMediaTypes.imageManifest)","size":\(image.manifest.count),"digest":"\(image.digest)"}}
        """
        try store.pushManifest(Array(manifest.utf8), mediaType: OCIMediaTypes.imageManifest, tag: nil)
    }

    @Test("a real cosign v3 Sigstore bundle (key-based message signature) verifies; another artifact or key does not")
    func realCosignBundle() throws {
        let key = try VerificationKey.load(path: SupplyChainFixtures.path("cosign-v3-bundle/cosign.pub"))
        let bundle = try SupplyChainFixtures.bytes("cosign-v3-bundle/checksums.txt.sigstore.json")
        let artifact = SupplyChainDigest.sha256(try SupplyChainFixtures.bytes("cosign-v3-bundle/checksums.txt"))
        let verifier = SignatureVerifier(keys: [key])
        #expect(verifier.verifyBundle(bundle, image: artifact, source: .bundle(artifact)).outcome == .verified(keyFingerprint: key.fingerprint))
        let other = SupplyChainDigest.sha256(Array("abc  tool.tar.gz\n ".utf8))
        guard case .rejected(.manifestDigestMismatch) = verifier.verifyBundle(bundle, image: other, source: .bundle(other)).outcome else {
            Issue.record("a bundle for another artifact must be rejected")
            return
        }
        let stranger = SignatureVerifier(keys: [try SupplyChainFixtures.plainKey().verificationKey])
        #expect(stranger.verifyBundle(bundle, image: artifact, source: .bundle(artifact)).outcome == .rejected(.noMatchingKey))
    }

    @Test("key-based Sigstore bundles attached as referrers verify (DSSE and message signature); keyless ones are named")
    func bundles() throws {
        let dir = try SupplyChainFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let image = try SupplyChainTarget.resolve("oci-dir:\(try SupplyChainFixtures.layout(in: dir))")
        let key = try SupplyChainFixtures.plainKey()

        let statement = try InTotoStatement(image: "example.com/team/app", digest: image.digest,
                                            predicateType: "https://sigstore.dev/cosign/sign/v1", predicate: Array("{}".utf8))
        let envelope = try DSSEEnvelope.sign(payload: statement.bytes, payloadType: DSSEEnvelope.inTotoPayloadType, key: key)
        try attachBundle(SigstoreBundle.keyBased(envelope: envelope, keyHint: "hint"), to: image)

        let digestBytes = SupplyChainFixtures.hex(image.digest.hex)
        let messageSignature = Data(try key.sign(sha256Digest: digestBytes)).base64EncodedString()
        let message = """
        {"mediaType":"\(OCIMediaTypes.sigstoreBundle)","verificationMaterial":{"publicKey":{"hint":"k"}},\
        "messageSignature":{"messageDigest":{"algorithm":"SHA2_256","digest":"\(Data(digestBytes).base64EncodedString())"},"signature":"\(messageSignature)"}}
        """
        try attachBundle(Array(message.utf8), to: image)

        let keyless = """
        {"mediaType":"\(OCIMediaTypes.sigstoreBundle)","verificationMaterial":{"certificate":{"rawBytes":"AAAA"},"tlogEntries":[]},\
        "messageSignature":{"messageDigest":{"algorithm":"SHA2_256","digest":"\(Data(digestBytes).base64EncodedString())"},"signature":"\(messageSignature)"}}
        """
        try attachBundle(Array(keyless.utf8), to: image)

        let report = try SignatureVerifier(keys: [key.verificationKey]).verify(image)
        #expect(report.checks.count == 3)
        #expect(report.checks.filter(\.isVerified).count == 2)
        #expect(report.checks.contains { $0.outcome == .rejected(.keylessNotSupported) })
        #expect(report.lines.contains { $0.contains("keyless (Fulcio certificate / Rekor) verification is not supported yet") })

        let wrong = try SignatureVerifier(keys: [try SupplyChainFixtures.otherKey().verificationKey]).verify(image)
        #expect(wrong.checks.filter { $0.outcome == .rejected(.noMatchingKey) }.count == 2)
    }
}
